// src-main/soak/runner.ts with an injected `start` and clock: naming, cadence, resume, the stop steps.

import { existsSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import type { Campaign } from '@shared/campaign'
import type { SoakEvent } from '@shared/soak'
import { demoCampaign } from '../../src-main/demo/demo'
import { lockPath } from '../../src-main/soak/lock'
import { readSoakState } from '../../src-main/soak/state'
import { type Harness, soakHarness } from '../helpers/soak-runner'
import { useTmp } from '../helpers/tmp'

const tmp = useTmp()
const HOUR = 3_600_000

function harness(options: Parameters<typeof soakHarness>[1] = {}): Harness {
  return soakHarness(tmp, options)
}

async function campaign(dir: string, name = 'demo'): Promise<Campaign> {
  return { ...(await demoCampaign({ phases: [1], baseDir: dir })), name }
}

describe('soak runner', () => {
  it('names runs <series>-r<k>, keeps the cadence from each start, and records the state', async () => {
    const h = harness()
    const events: string[] = []
    const r = await h.runner.run(await campaign(tmp()), { count: 3, everyMs: 4 * HOUR, series: 'soak-x', onEvent: (e) => events.push(e.type) })
    expect(r.outcome).toBe('completed')
    expect(h.starts.map((s) => s.name)).toEqual(['soak-x-r1', 'soak-x-r2', 'soak-x-r3'])
    // Each run starts 4 h after the previous one started (a run takes 10 min here).
    expect(h.starts[1]!.at - h.starts[0]!.at).toBe(4 * HOUR)
    expect(h.starts[2]!.at - h.starts[1]!.at).toBe(4 * HOUR)
    expect(events).toEqual(['soak-started', 'run-started', 'run-finished', 'waiting', 'run-started', 'run-finished', 'waiting', 'run-started', 'run-finished', 'soak-ended'])
    const state = readSoakState(h.dir, 'soak-x')
    expect(state.ok && state.state?.runs.map((x) => [x.id, x.index, x.verdict])).toEqual([['soak-x-r1', 1, 'pass'], ['soak-x-r2', 2, 'pass'], ['soak-x-r3', 3, 'pass']])
    expect(existsSync(lockPath(h.dir, 'soak-x'))).toBe(false)
    expect(h.runner.status()).toBeNull()
  })

  it('resumes at the next index after a restart and never runs more than the window', async () => {
    const dir = tmp()
    const c = await campaign(tmp())
    const first = harness({ dir, during: (k, h) => k === 2 && h.runner.stop() })
    expect((await first.runner.run(c, { count: 4, everyMs: 0, series: 's' })).outcome).toBe('stopped')
    expect(first.ids).toEqual(['s-r1', 's-r2'])
    // A new process (same history, same state file): continues at r3.
    const second = harness({ dir, ids: [...first.ids] })
    const events: SoakEvent[] = []
    const r = await second.runner.run(c, { count: 4, everyMs: 0, series: 's', onEvent: (e) => events.push(e) })
    expect(r.outcome).toBe('completed')
    expect(second.starts.map((s) => s.name)).toEqual(['s-r3', 's-r4'])
    expect(events[0]).toMatchObject({ type: 'soak-started', nextIndex: 3, resumed: true })
    const again = harness({ dir, ids: [...second.ids] })
    expect((await again.runner.run(c, { count: 4, everyMs: 0, series: 's' })).runs).toEqual([])
  })

  it('stops at once when asked during a wait, after the run when asked during one, and cancels it on the second ask', async () => {
    const c = await campaign(tmp())
    const waiting = harness({ onSleep: (h) => h.runner.stop() })
    const w = await waiting.runner.run(c, { count: 3, everyMs: HOUR, series: 'w' })
    expect(w.outcome).toBe('stopped')
    expect(waiting.starts).toHaveLength(1)

    const once = harness({ during: (k, h) => k === 1 && expect(h.runner.stop()).toBe('after-run') })
    const o = await once.runner.run(c, { count: 3, everyMs: 0, series: 'o' })
    expect(o.outcome).toBe('stopped')
    expect(o.runs.map((x) => x.state)).toEqual(['completed'])

    const twice = harness({ during: (k, h) => k === 1 && [h.runner.stop(), h.runner.stop()] })
    const t = await twice.runner.run(c, { count: 3, everyMs: 0, series: 't' })
    expect(t.outcome).toBe('cancelled')
    expect(t.runs.map((x) => [x.state, x.evaluation.verdict])).toEqual([['cancelled', 'incomplete']])
    expect(twice.runner.stop()).toBe('none')
  })

  it('reports its status while it runs', async () => {
    let seen: unknown = null
    const h = harness({ during: (_k, x) => (seen = x.runner.status()) })
    await h.runner.run(await campaign(tmp()), { count: 1, everyMs: 0, series: 'st' })
    expect(seen).toMatchObject({ series: 'st', phase: 'running', done: 0, count: 1, currentIndex: 1 })
  })
})
