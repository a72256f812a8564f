// The soak runner with an injected `start` and clock: naming, cadence, resume, the stop steps, the
// lock (live, stale, other host, garbage) and the state file (same campaign on moved hosts, another
// campaign, a damaged file).
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { hostname } from 'node:os'
import { describe, expect, it } from 'vitest'
import type { Campaign } from '@shared/campaign'
import type { SoakEvent } from '@shared/soak'
import { demoCampaign } from '../../src-main/demo/demo'
import { acquireSoakLock, inspectLock, lockPath } from '../../src-main/soak/lock'
import { type SoakClock, SoakRunner, type SoakRunOutcome } from '../../src-main/soak/runner'
import { openSoakState, readSoakState, statePath } from '../../src-main/soak/state'
import { useTmp } from '../helpers/tmp'

const tmp = useTmp()
const HOUR = 3_600_000

interface Harness {
  runner: SoakRunner
  ids: string[]
  starts: { name: string; at: number }[]
  events: SoakEvent[]
  clock: SoakClock & { t: number }
  dir: string
}

/**
 * `during(k, h, signal)` runs inside the k-th start of this harness (1-based), e.g. to press Ctrl-C;
 * `onSleep` inside a wait. A run ends `cancelled` when its signal was aborted.
 */
function harness(options: { dir?: string; ids?: string[]; during?: (k: number, h: Harness, signal: AbortSignal) => void; onSleep?: (h: Harness) => void; verdicts?: ('pass' | 'fail')[] } = {}): Harness {
  const dir = options.dir ?? tmp()
  const h = { ids: options.ids ?? [], starts: [], events: [], dir } as unknown as Harness
  h.clock = {
    t: 1_000_000,
    now: () => h.clock.t,
    sleep: async (ms, signal) => {
      options.onSleep?.(h)
      if (!signal.aborted) h.clock.t += ms
    },
  }
  h.runner = new SoakRunner({
    dir,
    clock: h.clock,
    runIds: (series) => h.ids.filter((id) => id.startsWith(`${series}-r`)),
    start: async (c: Campaign, o): Promise<SoakRunOutcome> => {
      const k = h.ids.filter((id) => id.startsWith(`${c.name}-r`)).length + 1
      const id = `${c.name}-r${k}`
      h.ids.push(id)
      h.starts.push({ name: id, at: h.clock.t })
      options.during?.(h.starts.length, h, o.signal)
      h.clock.t += 10 * 60_000
      const cancelled = o.signal.aborted
      const verdict = options.verdicts?.[h.starts.length - 1] ?? 'pass'
      return { runId: id, state: cancelled ? 'cancelled' : 'completed', evaluation: { verdict: cancelled ? 'incomplete' : verdict, reason: verdict } }
    },
  })
  return h
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

describe('soak state', () => {
  it('continues the same campaign on moved hosts, refuses another campaign, leaves a damaged file untouched', async () => {
    const dir = tmp()
    const c = await campaign(tmp(), 'c')
    openSoakState(dir, 's', c, { count: 3, everyMs: 0 }, 1)
    const moved: Campaign = { ...c, hosts: { ...c.hosts, 'node-a': { ...c.hosts['node-a'], address: '10.0.0.9', workdir: '/srv/elsewhere' } } }
    expect(openSoakState(dir, 's', moved, { count: 5, everyMs: HOUR }, 2)).toMatchObject({ count: 5, everyMs: HOUR, createdAt: 1 })
    // The demo lab in another folder has other ports and server paths: still the same campaign.
    expect(openSoakState(dir, 's', await campaign(tmp(), 'c'), { count: 5, everyMs: HOUR }, 3).createdAt).toBe(1)
    const other: Campaign = { ...c, phases: [1, 2] }
    expect(() => openSoakState(dir, 's', other, { count: 3, everyMs: 0 }, 3)).toThrow(/runs another campaign/)
    writeFileSync(statePath(dir, 'd'), '{"version": 1, "series": "d", trunc')
    expect(() => openSoakState(dir, 'd', c, { count: 3, everyMs: 0 }, 4)).toThrow(/damaged \(unreadable JSON.*left untouched/)
    expect(readFileSync(statePath(dir, 'd'), 'utf8')).toBe('{"version": 1, "series": "d", trunc')
  })
})
