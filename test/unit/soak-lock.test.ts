// src-main/soak/lock.ts: one soak per history: a live lock refuses, a stale one (dead pid, other host, garbage) is taken over.

import { readFileSync, writeFileSync } from 'node:fs'
import { hostname } from 'node:os'
import { describe, expect, it } from 'vitest'
import type { Campaign } from '@shared/campaign'
import { demoCampaign } from '../../src-main/demo/demo'
import { acquireSoakLock, inspectLock, lockPath } from '../../src-main/soak/lock'
import { type Harness, soakHarness } from '../helpers/soak-runner'
import { useTmp } from '../helpers/tmp'

const tmp = useTmp()

function harness(options: Parameters<typeof soakHarness>[1] = {}): Harness {
  return soakHarness(tmp, options)
}

async function campaign(dir: string, name = 'demo'): Promise<Campaign> {
  return { ...(await demoCampaign({ phases: [1], baseDir: dir })), name }
}

describe('soak lock', () => {
  it('refuses a live holder and another host, replaces a stale lock and a damaged file', () => {
    const dir = tmp()
    const held = acquireSoakLock(dir, 's')
    expect(inspectLock(dir, 's').kind).toBe('live')
    expect(() => acquireSoakLock(dir, 's')).toThrow(/already running \(pid \d+/)
    held.release()
    expect(inspectLock(dir, 's').kind).toBe('free')

    // Stale: this host, a process that is gone.
    writeFileSync(lockPath(dir, 's'), JSON.stringify({ pid: 999_999_999, host: hostname(), series: 's', startedAt: 1 }))
    expect(inspectLock(dir, 's').kind).toBe('stale')
    const taken = acquireSoakLock(dir, 's')
    expect(taken.replaced?.kind).toBe('stale')
    taken.release()

    writeFileSync(lockPath(dir, 's'), JSON.stringify({ pid: 1, host: 'elsewhere.example', series: 's', startedAt: 1 }))
    expect(() => acquireSoakLock(dir, 's')).toThrow(/locked by pid 1 on elsewhere\.example; if that soak is gone, remove/)

    writeFileSync(lockPath(dir, 's'), '\x00garbage')
    const g = acquireSoakLock(dir, 's')
    expect(g.replaced?.kind).toBe('garbage')
    expect(JSON.parse(readFileSync(lockPath(dir, 's'), 'utf8'))).toMatchObject({ pid: process.pid, series: 's' })
    g.release()
  })

  it('keeps two runners of one series apart', async () => {
    const dir = tmp()
    const c = await campaign(tmp())
    let inner: Promise<unknown> | null = null
    const a = harness({ dir, during: () => (inner = harness({ dir }).runner.run(c, { count: 1, everyMs: 0, series: 'two' })) })
    await a.runner.run(c, { count: 1, everyMs: 0, series: 'two' })
    await expect(inner).rejects.toThrow(/already running/)
  })
})
