// src-main/release/summary.ts: the release verdict file `shipgate release` writes, and every refusal says why.

import { describe, expect, it } from 'vitest'
import { evaluateSoak } from '@shared/soak'
import { releaseSchemaErrors } from '../../src-main/release/schema'
import { type ReleaseInput, buildReleaseSummary, releaseRefusals, releaseVersion } from '../../src-main/release/summary'
import { HistoryService } from '../../src-main/services/history'
import { readSeries } from '../../src-main/soak/series'
import { Store } from '../../src-main/store/store'
import { useTmp } from '../helpers/tmp'
import { type FakeRun, storeSeriesIn } from './soak-fixtures'

const tmp = useTmp()

function storeWith(runs: Record<string, FakeRun[]>): { store: Store; db: string } {
  return storeSeriesIn(tmp(), runs)
}

function input(store: Store, runId: string, extra: Partial<ReleaseInput> = {}): ReleaseInput {
  return { version: 'v0.6.0', run: new HistoryService(store).detail(runId), generatedBy: 'test', now: Date.UTC(2026, 4, 1), ...extra }
}

describe('building the release file', () => {
  it("writes recorded timings in v0.6.3's style and validates", () => {
    const { store } = storeWith({ 'ship-v0.6.0': [{ durationMs: 840_000 }] })
    const id = 'ship-v0.6.0-r1'
    const t0 = Date.UTC(2026, 3, 27, 16, 0)
    store.timings.insertAll(id, [
      { phase: 1, startedAt: t0, finishedAt: t0 + 3_000 },
      { phase: 2, startedAt: t0 + 3_000, finishedAt: t0 + 119_000 },
      { phase: 3, startedAt: t0 + 119_000, finishedAt: t0 + 204_000 },
      { phase: 4, startedAt: t0 + 204_000, finishedAt: t0 + 528_000 },
    ])
    const s = buildReleaseSummary(input(store, id))
    expect(releaseSchemaErrors(s)).toEqual([])
    expect(s).toMatchObject({ version: 'v0.6.0', campaign_run_id: id, verdict: 'pass', pass_count: 4, fail_count: 0, wall_seconds: 840, wall_human: '14m', nhi_verdict: null })
    expect(s.phases.map((p) => [p.name, p.wall_seconds, p.wall_human])).toEqual([
      ['functional', 3, '3s'],
      ['federation', 116, '1m56s'],
      ['migration', 85, '1m25s'],
      ['chaos', 324, '5m24s'],
    ])
    expect(s.evidence).toMatchObject({ threshold_set: 'shipgate-thresholds@1', threshold_overrides: [], artifacts: {} })
    expect(s.release).toEqual({ generated_by: 'test', allow_weakened: false, date_source: 'run completed_at' })
    store.close()
  })

  it('says so when an imported run has no timings, and gives a failing run a FAIL file', () => {
    const { store } = storeWith({ x: [{ durationMs: null, verdict: 'fail' }] })
    store.db.prepare("UPDATE runs SET source = 'import'").run()
    const s = buildReleaseSummary(input(store, 'x-r1'))
    expect(releaseSchemaErrors(s)).toEqual([])
    expect(s).toMatchObject({ verdict: 'fail', pass_count: 3, fail_count: 1, wall_seconds: 0, wall_human: 'not recorded (imported run)' })
    expect(s.phases.every((p) => p.wall_seconds === 0 && p.wall_human === 'not recorded (imported run)')).toBe(true)
    store.close()
  })

  it('refuses what cannot certify a release, each with its reason', () => {
    const { store } = storeWith({
      r: [{ verdict: 'incomplete', state: 'interrupted' }, { simulated: true, version: '0.6.0+shipgate-sim' }, { version: '0.6.1' }, { thresholdSet: 'shipgate-thresholds@1~weakened-1234abcd' }, {}],
    })
    const why = (k: number, extra: Partial<ReleaseInput> = {}) => releaseRefusals(input(store, `r-r${k}`, extra)).join('\n')
    expect(why(1)).toMatch(/is interrupted, not completed[\s\S]*INCOMPLETE/)
    expect(why(2)).toMatch(/simulated ai-memory/)
    expect(why(3)).toMatch(/tested ai-memory 0\.6\.1, not 0\.6\.0/)
    expect(why(4)).toMatch(/weakened thresholds.*--allow-weakened/)
    expect(why(4, { allowWeakened: true })).toBe('')
    expect(buildReleaseSummary(input(store, 'r-r4', { allowWeakened: true })).release.allow_weakened).toBe(true)
    expect(why(5)).toBe('')
    expect(() => releaseVersion('latest')).toThrow(/not a release version/)
    expect(releaseVersion('0.6.0')).toBe('v0.6.0')
    store.close()
  })

  it('refuses a soak that is not PASS, has simulated runs, another version, or no known window', () => {
    const { store } = storeWith({ g: [{}], bad: [{}, { verdict: 'fail' }], sim: [{ simulated: true }, {}], other: [{ version: '0.5.9' }, {}] })
    const soak = (series: string, expect: number | null) => {
      const runs = readSeries(store, series)
      return { report: evaluateSoak(series, runs, { expect }), runs }
    }
    const why = (series: string, expect: number | null) => releaseRefusals(input(store, 'g-r1', { soak: soak(series, expect) })).join('\n')
    expect(why('g', 1)).toBe('')
    expect(why('g', null)).toMatch(/soak g is INCOMPLETE[\s\S]*no known window/)
    expect(why('bad', 2)).toMatch(/soak bad is FAIL, not PASS/)
    expect(why('sim', 2)).toMatch(/1 run\(s\) of the simulated ai-memory \(sim-r1\)/)
    expect(why('other', 2)).toMatch(/another or unknown version than 0\.6\.0: other-r1 \(0\.5\.9\)/)
    const s = buildReleaseSummary(input(store, 'g-r1', { soak: soak('g', 1) }))
    expect(s.evidence.soak).toEqual({ series: 'g', verdict: 'pass', runs: 1, pass: 1, fail: 0, incomplete: 0, criteria: { no_regression: 'pass', kill_bound: 'pass', wall_clock: 'pass', cost: 'not_applicable', window: 'pass', standard_thresholds: 'pass', pass_rate: 'info' } })
    expect(releaseSchemaErrors(s)).toEqual([])
    store.close()
  })
})
