// Judging a soak series: the Wilson interval against its closed form and a brute-force search, then
// each criterion on series stored in a real SQLite history (pass, fail, unproven, flaky, drift,
// cost, window, weakened thresholds) and the public r70 run without evidence.
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { type SoakReport, cleanRunsNeeded, evaluateSoak, humanWall, parseDuration, soakIndex, wilsonInterval } from '@shared/soak'
import { ImportService } from '../../src-main/services/imports'
import { listSeries, seriesReport, soakDir } from '../../src-main/soak/series'
import { Store } from '../../src-main/store/store'
import { CORPUS } from '../helpers/fixtures'
import { useTmp } from '../helpers/tmp'
import { type FakeRun, storeSeries } from './soak-fixtures'

const tmp = useTmp()
const Z = 1.959963984540054

function judge(runs: (FakeRun | undefined)[], options: Parameters<typeof seriesReport>[3] = {}): SoakReport {
  const dir = tmp()
  const store = Store.open(join(dir, 'h.sqlite'))
  try {
    storeSeries(store, 'soak-t', runs)
    return seriesReport(store, join(dir, 'h.sqlite'), 'soak-t', options).report
  } finally {
    store.close()
  }
}

const criterion = (r: SoakReport, id: string) => {
  const c = r.criteria.find((x) => x.id === id)
  if (!c) throw new Error(`no criterion ${id}`)
  return c
}

describe('Wilson interval and clean runs needed', () => {
  it('matches the closed form (p̂ + z²/2n ± z√(p̂(1−p̂)/n + z²/4n²)) / (1 + z²/n)', () => {
    for (const [s, n] of [[58, 58], [50, 58], [1, 2], [0, 10], [83, 84]] as const) {
      const p = s / n
      const centre = (p + (Z * Z) / (2 * n)) / (1 + (Z * Z) / n)
      const half = (Z * Math.sqrt((p * (1 - p)) / n + (Z * Z) / (4 * n * n))) / (1 + (Z * Z) / n)
      const w = wilsonInterval(s, n)
      expect(w?.low).toBeCloseTo(Math.max(0, centre - half), 12)
      expect(w?.high).toBeCloseTo(Math.min(1, centre + half), 12)
    }
    expect(wilsonInterval(0, 0)).toBeNull()
    // All clean: the upper failure bound is z²/(n+z²).
    expect(1 - (wilsonInterval(58, 58)?.low ?? 0)).toBeCloseTo((Z * Z) / (58 + Z * Z), 12)
  })

  it('finds the smallest number of clean runs, as a brute-force search does', () => {
    const brute = (passes: number, decided: number) => {
      for (let k = 0; ; k++) if (1 - (wilsonInterval(passes + k, decided + k)?.low ?? 0) < 0.01) return k
    }
    for (const [p, d] of [[58, 58], [0, 0], [40, 42], [84, 84], [10, 20]] as const) expect(cleanRunsNeeded(p, d)).toBe(brute(p, d))
    // 58 clean of 58: n must exceed 99·z² ≈ 380.3, so 381 − 58.
    expect(cleanRunsNeeded(58, 58)).toBe(323)
  })

  it('parses durations and writes wall times as ship-gate does', () => {
    expect(parseDuration('4h')).toBe(4 * 3_600_000)
    expect(parseDuration('1h30m')).toBe(90 * 60_000)
    expect(parseDuration('0s')).toBe(0)
    expect(parseDuration('250ms')).toBe(250)
    for (const bad of ['', '4', 'h', '-1h', '4 hours', '1h;rm']) expect(parseDuration(bad)).toBeNull()
    expect([840, 116, 3, 324, 85, 3725, 7200].map(humanWall)).toEqual(['14m', '1m56s', '3s', '5m24s', '1m25s', '1h2m5s', '2h'])
    expect(soakIndex('soak-v0.6.0', 'soak-v0.6.0-r70')).toBe(70)
    expect(soakIndex('soak-v0.6.0', 'soak-v0.6.0-r07')).toBeNull()
    expect(soakIndex('soak', 'soak-v0.6.0-r7')).toBeNull()
  })
})

describe('soak criteria on stored series', () => {
  it('passes a clean full window and says how far from < 1 % failures it is', () => {
    const r = judge(Array.from({ length: 6 }, () => ({ costUsd: 0.1 })), { expect: 6 })
    expect(r).toMatchObject({ series: 'soak-t', runs: 6, pass: 6, fail: 0, incomplete: 0, verdict: 'pass', gaps: [] })
    expect(Object.keys(r)).toEqual(['series', 'runs', 'pass', 'fail', 'incomplete', 'verdict', 'criteria', 'gaps', 'flips'])
    expect(r.criteria.map((c) => [c.id, c.state])).toEqual([
      ['no_regression', 'pass'],
      ['kill_bound', 'pass'],
      ['wall_clock', 'pass'],
      ['cost', 'pass'],
      ['window', 'pass'],
      ['standard_thresholds', 'pass'],
      ['pass_rate', 'info'],
    ])
    expect(criterion(r, 'pass_rate').detail).toMatchObject({ passes: 6, decided: 6, excludedIncomplete: 0, rate: 1, moreCleanRunsNeeded: cleanRunsNeeded(6, 6) })
  })

  it('fails on one red run after the first pass and names it a regression', () => {
    const r = judge([{}, {}, { verdict: 'fail' }, {}], { expect: 4 })
    expect(r.verdict).toBe('fail')
    const c = criterion(r, 'no_regression')
    expect(c.state).toBe('fail')
    expect(c.detail).toMatchObject({ firstPass: 'soak-t-r1', regressions: ['soak-t-r3'] })
  })

  it('leaves the soak unproven (INCOMPLETE, never PASS) when a run could not be decided', () => {
    const r = judge([{}, { verdict: 'incomplete', bound: 'error' }, {}], { expect: 3 })
    expect(r.verdict).toBe('incomplete')
    expect(criterion(r, 'no_regression').state).toBe('unknown')
    expect(criterion(r, 'kill_bound').state).toBe('unknown')
    expect(criterion(r, 'pass_rate').detail).toMatchObject({ passes: 2, decided: 2, excludedIncomplete: 1 })
  })

  it("holds the bound to the gate's 0.995 even when a run's own threshold was weakened", () => {
    const r = judge([{}, { bound: 0.99 }, {}], { expect: 3 })
    expect(criterion(r, 'kill_bound').state).toBe('fail')
    expect(criterion(r, 'kill_bound').findings).toEqual([{ run: 'soak-t-r2', state: 'fail', why: '0.99 < 0.995' }])
    const weak = judge([{}, { thresholdSet: 'shipgate-thresholds@1~weakened-0badc0de' }], { expect: 2 })
    expect(criterion(weak, 'standard_thresholds').state).toBe('fail')
    expect(weak.verdict).toBe('fail')
  })

  it('judges wall-clock drift against the first passing run ±25 %, unknown without a duration, cancelled runs not judged', () => {
    const m = 60_000
    const r = judge([{ durationMs: 14 * m }, { durationMs: 17 * m }, { durationMs: 18 * m }, { durationMs: 30 * m, state: 'cancelled', verdict: 'incomplete' }], { expect: 4 })
    const c = criterion(r, 'wall_clock')
    expect(c.state).toBe('fail')
    expect(c.findings.map((f) => [f.run, f.state])).toEqual([
      ['soak-t-r3', 'fail'],
      ['soak-t-r4', 'not_applicable'],
    ])
    expect(c.detail).toMatchObject({ baselineMs: 14 * m, baselineFrom: 'soak-t-r1', band: { low: 10.5 * m, high: 17.5 * m } })
    const unknown = judge([{ durationMs: 14 * m }, { durationMs: null }], { expect: 2 })
    expect(criterion(unknown, 'wall_clock').state).toBe('unknown')
    expect(unknown.verdict).toBe('incomplete')
    // --baseline overrides the first run.
    expect(criterion(judge([{ durationMs: 14 * m }, { durationMs: 17 * m }], { expect: 2, baselineMs: 16 * m }), 'wall_clock').state).toBe('pass')
  })

  it('keeps cost within 1.5 × the first passing run, lists runs without cost, and is N/A without any cost', () => {
    const r = judge([{ costUsd: 0.1 }, { costUsd: 0.14 }, { costUsd: null }, { costUsd: 0.16 }], { expect: 4 })
    const c = criterion(r, 'cost')
    expect(c.state).toBe('fail')
    expect(c.findings.map((f) => [f.run, f.state])).toEqual([
      ['soak-t-r3', 'info'],
      ['soak-t-r4', 'fail'],
    ])
    expect(criterion(judge([{ costUsd: 0.1 }, { costUsd: 0.16 }], { expect: 2, costEnvelopeUsd: 0.2 }), 'cost').state).toBe('pass')
    const none = judge([{}, {}], { expect: 2 })
    expect(criterion(none, 'cost').state).toBe('not_applicable')
    expect(none.verdict).toBe('pass')
  })

  it('names the window holes, the stretches without evidence and the flaky checks', () => {
    const noEvidence: FakeRun = { verdict: 'incomplete', phaseStatuses: ['not_run', 'not_run', 'not_run', 'not_run'], bound: null, durationMs: null }
    const flaky = (s: 'pass' | 'fail'): FakeRun => ({ checks: { 'p1.stats': s, 'p1.recall': 'pass' }, verdict: s })
    const r = judge([flaky('pass'), flaky('fail'), undefined, noEvidence, flaky('pass'), flaky('fail')], { expect: 8 })
    expect(r.gaps).toEqual([{ first: 'soak-t-r3', last: 'soak-t-r4', fromIndex: 3, toIndex: 4, runs: 2, missing: ['soak-t-r3'] }])
    const w = criterion(r, 'window')
    expect(w.state).toBe('unknown')
    expect(w.detail).toMatchObject({ expected: 8, absent: ['soak-t-r3'], notYetRun: ['soak-t-r7', 'soak-t-r8'] })
    const stats = r.flips.find((f) => f.key === 'p1.stats')
    expect(stats).toMatchObject({ observations: 4, flips: 3, rate: 1, flaky: true })
    expect(stats?.transitions[1]).toEqual({ from: 'fail', to: 'pass', fromRun: 'soak-t-r2', toRun: 'soak-t-r5' })
    expect(r.flips.find((f) => f.key === 'p1.recall')).toMatchObject({ flips: 0, flaky: false })
    expect(r.verdict).toBe('fail')
  })

  it('takes the window from the soak state when --expect is absent, and refuses an unknown series', () => {
    const dir = tmp()
    const db = join(dir, 'h.sqlite')
    const store = Store.open(db)
    storeSeries(store, 'soak-t', [{}, {}])
    expect(criterion(seriesReport(store, db, 'soak-t').report, 'window').state).toBe('unknown')
    mkdirSync(soakDir(db), { recursive: true })
    writeFileSync(join(soakDir(db), 'soak-t.json'), JSON.stringify({ version: 1, series: 'soak-t', campaignName: 'c', campaignFingerprint: 'f', count: 2, everyMs: 0, createdAt: 0, runs: [], nextDueAt: null }))
    const r = seriesReport(store, db, 'soak-t').report
    expect(criterion(r, 'window').state).toBe('pass')
    expect(r.verdict).toBe('pass')
    expect(() => seriesReport(store, db, 'nope')).toThrow(/no soak series "nope"/)
    expect(() => seriesReport(store, db, '../etc')).toThrow(/not a series name/)
    expect(listSeries(store, db)).toEqual([expect.objectContaining({ series: 'soak-t', runs: 2, pass: 2, expected: 2 })])
    store.close()
  })

  it('does not call the public soak series passed: r70 has no evidence, r1–r69 are absent', () => {
    const dir = tmp()
    const db = join(dir, 'h.sqlite')
    const store = Store.open(db)
    const report = new ImportService(store).import([CORPUS], { replace: false })
    expect(report.results.some((x) => x.id === 'soak-v0.6.0-r70')).toBe(true)
    const r = seriesReport(store, db, 'soak-v0.6.0', { expect: 84 }).report
    expect(r.verdict).toBe('incomplete')
    expect(r.runs).toBe(1)
    expect(r.gaps).toEqual([expect.objectContaining({ first: 'soak-v0.6.0-r1', last: 'soak-v0.6.0-r70', runs: 70 })])
    expect(r.gaps[0]?.missing).toHaveLength(69)
    expect(criterion(r, 'window').summary).toBe('1 of 84 run(s) present, 69 absent, 14 not yet run')
    store.close()
  })

  it('is pure: the same runs in another order give the same report', () => {
    const runs = evaluateSoak('x', [
      { id: 'x-r2', index: 2, verdict: 'pass', reason: '', state: 'completed', phaseStatuses: ['pass'], durationMs: 1000, costUsd: null, simulated: false, aiMemoryVersion: null, thresholdSet: 'shipgate-thresholds@1', checks: [], bound: { status: 'pass', measured: 1 } },
      { id: 'x-r1', index: 1, verdict: 'pass', reason: '', state: 'completed', phaseStatuses: ['pass'], durationMs: 1000, costUsd: null, simulated: false, aiMemoryVersion: null, thresholdSet: 'shipgate-thresholds@1', checks: [], bound: { status: 'pass', measured: 1 } },
    ], { expect: 2 })
    expect(runs.verdict).toBe('pass')
    expect(criterion(runs, 'wall_clock').detail.baselineFrom).toBe('x-r1')
  })
})
