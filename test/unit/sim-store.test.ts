// src-main/sim/store.ts: ai-memory's own SQLite store, each test naming the lines of v0.6.0 it reproduces.

import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { MemoryStore, type MemoryRow } from '../../src-main/sim/store'
import { useTmp } from '../helpers/tmp'
import { aim } from '../helpers/sim'

const tmp = useTmp()

function row(over: Partial<MemoryRow> & { title: string }): MemoryRow {
  const now = new Date().toISOString()
  return { id: `id-${over.title}-${Math.random().toString(16).slice(2)}`, tier: 'mid', namespace: 'ns', content: 'c', tags: [], priority: 5, confidence: 1, source: 'cli', access_count: 0, created_at: now, updated_at: now, last_accessed_at: null, expires_at: null, metadata: {}, agent_id: null, ...over }
}

describe('the SQLite store', () => {
  it('upserts on (title, namespace), never on id; the tier never goes down; the first metadata.agent_id is kept (db.rs:529-571)', () => {
    const d = tmp()
    const s = new MemoryStore(join(d, 'm.db'))
    const first = s.insert(row({ title: 'same', tier: 'long', metadata: { agent_id: 'alice' } }))
    const second = s.insert(row({ title: 'same', tier: 'short', content: 'new', metadata: { agent_id: 'mallory' } }))
    expect(second).toBe(first)
    const all = s.all()
    expect(all).toHaveLength(1)
    expect(all[0]).toMatchObject({ tier: 'long', content: 'new', metadata: { agent_id: 'alice' }, expires_at: null })
    s.insert(row({ title: 'same', namespace: 'other' }))
    expect(s.all()).toHaveLength(2)
    s.close()
  })

  it("sync's merge keeps the newer row's content under the same key (db.rs:1965-2008)", () => {
    const d = tmp()
    const s = new MemoryStore(join(d, 'm.db'))
    s.insert(row({ title: 'k', content: 'newer', updated_at: '2026-01-02T00:00:00.000Z' }))
    s.insertIfNewer(row({ title: 'k', content: 'older', updated_at: '2026-01-01T00:00:00.000Z', tier: 'long' }))
    expect(s.all()[0]).toMatchObject({ content: 'newer', tier: 'long', updated_at: '2026-01-02T00:00:00.000Z' })
    s.close()
  })

  it('list is ORDER BY priority DESC, updated_at DESC and hides expired rows, which stats still counts (db.rs:869-893)', () => {
    const d = tmp()
    const s = new MemoryStore(join(d, 'm.db'))
    s.insert(row({ title: 'low-new', priority: 3, updated_at: '2026-01-03T00:00:00.000Z' }))
    s.insert(row({ title: 'high-old', priority: 9, updated_at: '2026-01-01T00:00:00.000Z' }))
    s.insert(row({ title: 'low-old', priority: 3, updated_at: '2026-01-02T00:00:00.000Z' }))
    s.insert(row({ title: 'expired', priority: 10, expires_at: '2000-01-01T00:00:00.000Z' }))
    expect(s.list({ limit: 10, offset: 0 }).map((m) => m.title)).toEqual(['high-old', 'low-new', 'low-old'])
    expect(s.stats().total).toBe(4)
    s.close()
  })

  it('a mid memory expires after 7 days (models.rs:44-50); a past --expires-at is refused (validate.rs:339-351)', () => {
    const d = tmp()
    const db = join(d, 'm.db')
    const before = Date.now()
    expect(aim(['--db', db, 'store', '--title', 'mid', '--content', 'c', '--tier', 'mid', '--namespace', 'p'], { cwd: d }).code).toBe(0)
    const s = new MemoryStore(db)
    const expires = Date.parse(s.all()[0]?.expires_at ?? '')
    s.close()
    expect(expires - before).toBeGreaterThanOrEqual(7 * 24 * 3600 * 1000)
    expect(expires - before).toBeLessThan(7 * 24 * 3600 * 1000 + 60_000)
    const past = aim(['--db', db, 'store', '--title', 'x', '--content', 'c', '--namespace', 'p', '--expires-at', '2000-01-01T00:00:00Z'], { cwd: d })
    expect(past.code).not.toBe(0)
    expect(past.stderr).toContain('expires_at is in the past')
  })

  it('store without --namespace names the folder, not `global` (main.rs:719 auto_namespace)', () => {
    const d = tmp()
    const dir = join(d, 'my-project')
    mkdirSync(dir)
    aim(['--db', join(d, 'm.db'), 'store', '--title', 't', '--content', 'c'], { cwd: dir })
    const s = new MemoryStore(join(d, 'm.db'))
    expect(s.all()[0]?.namespace).toBe('my-project')
    s.close()
  })
})
