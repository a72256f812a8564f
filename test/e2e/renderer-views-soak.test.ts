// The Soak view in a real browser over the real services: a stored series judged (criteria, gaps,
// flaky checks, heatmap and trends), then a soak started from the view on the demo lab and stopped
// twice (the run is cancelled and torn down), with the OS notification for a run that is not PASS.
// Screenshots land in test-results/screenshots (look at them).
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Store } from '../../src-main/store/store'
import { useTmp } from '../helpers/tmp'
import { type FakeRun, storeSeries } from '../unit/soak-fixtures'
import { type AppHarness, launchApp } from './harness'

const tmp = useTmp()
let app: AppHarness
const notes: string[] = []

/** Twelve runs of a 4-hourly soak: a flaky check, a hole, runs without evidence, one red run, drift. */
function series(): (FakeRun | undefined)[] {
  const m = 60_000
  const noEvidence: FakeRun = { verdict: 'incomplete', phaseStatuses: ['not_run', 'not_run', 'not_run', 'not_run'], bound: null, durationMs: null }
  const run = (i: number, extra: FakeRun = {}): FakeRun => ({
    durationMs: (13.5 + (i % 4) * 0.5) * m,
    costUsd: 0.1,
    checks: { 'p1.stats': 'pass', 'p1.recall': i % 3 === 0 ? 'fail' : 'pass', 'p2.convergence': 'pass', 'p3.roundtrip': 'pass' },
    ...(i % 3 === 0 ? { verdict: 'fail' as const } : {}),
    ...extra,
  })
  return [run(1), run(2), run(3), run(4, { bound: 0.998 }), undefined, noEvidence, run(7), run(8, { durationMs: 19 * m }), run(9), run(10), run(11, { bound: 0.99, verdict: 'fail' }), run(12)]
}

beforeAll(async () => {
  const db = join(tmp(), 'history.sqlite')
  const seed = Store.open(db)
  storeSeries(seed, 'soak-v0.6.0', series())
  seed.close()
  app = await launchApp(db, { services: { knownHostsFiles: [] }, notify: (title, body) => void notes.push(`${title} | ${body}`) })
}, 60_000)

afterAll(async () => {
  await app?.close()
})

describe('the Soak view', { timeout: 300_000 }, () => {
  it('judges a series: criteria with their state, the gap, flaky checks, heatmap and trends', async () => {
    const { page } = app
    await page.click('nav >> text=Soak')
    await page.waitForSelector('[data-testid="soak-criteria"]')
    expect(await page.textContent('[data-testid="soak-title"]')).toBe('soak-v0.6.0')
    expect(await page.getAttribute('[data-testid="criterion-no_regression"]', 'data-state')).toBe('fail')
    expect(await page.getAttribute('[data-testid="criterion-kill_bound"]', 'data-state')).toBe('fail')
    expect(await page.getAttribute('[data-testid="criterion-wall_clock"]', 'data-state')).toBe('fail')
    expect(await page.getAttribute('[data-testid="criterion-window"]', 'data-state')).toBe('unknown')
    expect(await page.textContent('[data-testid="soak-gaps"]')).toContain('soak-v0.6.0-r5 … soak-v0.6.0-r6 (2 run(s), 1 absent from the history)')
    expect(await page.textContent('[data-testid="soak-flips"]')).toMatch(/flaky p1\.recall/)
    // Three charts: heatmap, bound, wall-clock (SVG drawn).
    await page.waitForFunction(() => document.querySelectorAll('.echart svg').length === 3)
    await page.fill('[aria-label="Soak window"]', '12')
    await page.click('text=Judge again')
    await page.waitForSelector('[data-testid="criterion-window"][data-state="unknown"]')
    expect(await page.textContent('[data-testid="criterion-window"]')).toContain('11 of 12 run(s) present, 1 absent')
    await app.shot('soak-series')
    await page.evaluate(() => document.querySelector('.content')?.scrollTo(0, 900))
    await app.shot('soak-charts')
  })

  it('starts a soak on the demo lab, stops it twice (cancels the run), and notifies', async () => {
    const { page } = app
    await page.fill('[aria-label="Soak run count"]', '2')
    await page.fill('[aria-label="Soak cadence"]', '4h')
    await page.fill('[aria-label="Soak series id"]', 'e2e-soak')
    await page.click('text=Start soak')
    await page.waitForSelector('[data-testid="soak-running"] >> text=run 1 in progress')
    await app.shot('soak-running')
    await page.click('[data-testid="soak-running"] >> text=Stop')
    await page.click('[data-testid="soak-running"] >> text=Cancel the current run')
    await page.waitForSelector('[data-testid="soak-ended"]', { timeout: 240_000 })
    expect(await page.textContent('[data-testid="soak-ended"]')).toMatch(/e2e-soak: cancelled/)
    expect(notes).toEqual([expect.stringMatching(/^Soak e2e-soak: e2e-soak-r1 INCOMPLETE/)])
    expect(app.services.core.store.runs.get('e2e-soak-r1')?.state).toBe('cancelled')
    await page.waitForSelector('[data-testid="soak-series"] >> text=e2e-soak')
    expect(app.consoleErrors).toEqual([])
  })
})
