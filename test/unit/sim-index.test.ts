// src-main/sim/index.ts: the simulated binary's own commands (backup), run as an engine runs them, each test
// naming the lines of ai-memory v0.6.0 it reproduces.

import { readdirSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { useTmp } from '../helpers/tmp'
import { aim } from '../helpers/sim'

const tmp = useTmp()

describe('backup (main.rs:3846-3957)', () => {
  it('writes a snapshot and a manifest of exactly {snapshot, sha256, bytes, source_db, version, created_at}', () => {
    const d = tmp()
    aim(['--db', join(d, 'm.db'), 'store', '--title', 't', '--content', 'c', '--namespace', 'p'], { cwd: d })
    const r = aim(['--db', join(d, 'm.db'), 'backup', '--to', join(d, 'b'), '--keep', '1'], { cwd: d })
    expect(r.code, r.stderr).toBe(0)
    const files = readdirSync(join(d, 'b')).sort()
    expect(files).toHaveLength(2)
    expect(files[0]).toMatch(/^ai-memory-\d{4}-\d{2}-\d{2}T\d{6}Z\.db$/)
    const manifest = JSON.parse(readFileSync(join(d, 'b', files[1] as string), 'utf8')) as Record<string, unknown>
    expect(Object.keys(manifest)).toEqual(['snapshot', 'sha256', 'bytes', 'source_db', 'version', 'created_at'])
    expect(manifest).toMatchObject({ snapshot: files[0], source_db: join(d, 'm.db'), version: '0.6.0' })
  })

  it('refuses to overwrite a snapshot of the same second (one-second resolution)', () => {
    const d = tmp()
    const dir = join(d, 'b')
    mkdirSync(dir)
    // Every name the command could pick in the next seconds already exists: it must refuse, not overwrite.
    const now = Date.now()
    for (let s = -1; s <= 30; s++) writeFileSync(join(dir, `ai-memory-${new Date(now + s * 1000).toISOString().replace(/\.\d+Z$/, 'Z').replace(/:/g, '')}.db`), 'old')
    const r = aim(['--db', join(d, 'm.db'), 'backup', '--to', dir], { cwd: d })
    expect(r.code).toBe(1)
    expect(r.stderr).toMatch(/^Error: refusing to overwrite existing snapshot .*ai-memory-.*\.db\n$/)
  })
})
