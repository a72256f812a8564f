// What a verdict carries, in the desktop app, in a real browser over the real services: imports
// through main's dialogs (folders, bundles, cancelled), the simulated badge and filter, weakened
// thresholds, stated values, verdict history after a real re-judge, stop reason, preflight cause
// and fix, exports through the save token, compare cautions, malformed records that open to a panel
// (the app still works after), a log page that fails visibly, local campaigns refused then allowed,
// campaign warnings, keyboard navigation, and a demo run judged with its own threshold line.
// Screenshots light/dark × 1440/1024 land in test-results/screenshots.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import YAML from 'yaml'
import type { Annotation, RunEvaluation } from '@shared/domain'
import { importPaths } from '../../src-main/import/importer'
import { rejudgeStale } from '../../src-main/judge/judge'
import { Store } from '../../src-main/store/store'
import { EVALUATOR_VERSION, evaluateRun } from '../../src-main/verdict/evaluate'
import { FIXTURE_RUNS, fixtureRun } from '../helpers/fixtures'
import { testServices } from '../helpers/services'
import { type AppHarness, SCREENSHOTS, launchApp } from './harness'

let app: AppHarness
let dir: string
let folderToImport: string
let bundlePath: string
/** What main's dialogs answer next (null: the user cancelled). */
let nextOpen: string[] | null = null
let nextSave: string | null = null

/** A copy of a fixture run under another id, in `<root>/runs/<id>`. */
function copyRun(root: string, fixture: string, id: string, edit?: (name: string, text: string) => string): void {
  const to = join(root, 'runs', id)
  mkdirSync(to, { recursive: true })
  for (const name of readdirSync(join(FIXTURE_RUNS, fixture))) {
    const text = readFileSync(join(FIXTURE_RUNS, fixture, name), 'utf8')
    writeFileSync(join(to, name), edit ? edit(name, text) : text)
  }
}

function setEvaluationJson(store: Store, id: string, patch: (e: Record<string, unknown>) => void): void {
  const row = store.db.prepare<[string], { evaluation_json: string }>('SELECT evaluation_json FROM runs WHERE id = ?').get(id)
  const e = JSON.parse(row?.evaluation_json ?? '{}') as Record<string, unknown>
  patch(e)
  store.db.prepare<[string, string]>('UPDATE runs SET evaluation_json = ? WHERE id = ?').run(JSON.stringify(e), id)
}

/** A bundle of a run against the simulated ai-memory that was stopped early, exported by the real exporter. */
async function simulatedBundle(root: string): Promise<string> {
  copyRun(root, 'good-r1', 'sim-r1', (_n, t) => t.replaceAll('"ai-memory 0.6.0"', '"ai-memory 0.6.0+shipgate-sim"'))
  const services = testServices(join(root, 'other.sqlite'))
  importPaths(services.store, [root])
  const path = join(root, 'sim-r1.bundle.json')
  await services.exports.write('sim-r1', 'bundle', path)
  services.store.close()
  const bundle = JSON.parse(readFileSync(path, 'utf8')) as { run: Record<string, unknown> }
  bundle.run.stopReason = 'cancelled by the user during phase 4'
  writeFileSync(path, JSON.stringify(bundle))
  return path
}

beforeAll(async () => {
  // One folder for the whole file (useTmp's folders go after each test; the app's database lives on).
  dir = mkdtempSync(join(tmpdir(), 'shipgate-ui-'))
  const seedRoot = join(dir, 'seed')
  copyRun(seedRoot, 'good-r1', 'good-r1')
  copyRun(seedRoot, 'good-r1', 'weak-r1')
  copyRun(seedRoot, 'good-r1', 'nophases-r1')
  copyRun(seedRoot, 'good-r1', 'numhead-r1')
  copyRun(seedRoot, 'good-r1', 'logs-r1')
  const db = join(dir, 'history.sqlite')
  const seed = Store.open(db)
  importPaths(seed, [seedRoot])
  // Judged by the real evaluator with a weakened bound, as a campaign with `p4BoundMin: 0` would be.
  seed.runs.updateEvaluation('weak-r1', evaluateRun({ artifacts: seed.artifacts.all('weak-r1'), thresholds: { p4BoundMin: 0 } }).evaluation)
  // A run an older evaluator passed on its stated bound, judged again from its evidence for real.
  const old = { verdict: 'pass', reason: 'PASS — all four phases pass (23 checks)', phases: [], warnings: [], evaluatorVersion: 'evaluator@1', thresholdSet: 'shipgate-thresholds@1' } as unknown as RunEvaluation
  seed.transaction(() => {
    seed.runs.insert({ id: 'rejudged-r1', campaign: 'rejudged', source: 'import', state: 'completed', evaluation: old, params: {}, aiMemoryRef: null, aiMemoryVersion: null, aiMemoryCommit: null, startedAt: null, completedAt: 1, durationMs: null, contentSha256: null, createdAt: 1 })
    for (const a of fixtureRun('stated-vs-rows-r1')) seed.artifacts.put('rejudged-r1', a.name, a.bytes, 1)
  })
  expect(rejudgeStale(seed).map((r) => r.runId)).toEqual(['rejudged-r1'])
  // Records that lost their shape: an evaluation with no phases, a narrative whose headline is a number.
  setEvaluationJson(seed, 'nophases-r1', (e) => void (e.phases = []))
  seed.annotations.add('numhead-r1', { headline: 5 } as unknown as Annotation, 'imported', 'run-insights.json', 1)
  seed.logs.append(
    'logs-r1',
    Array.from({ length: 1200 }, (_v, i) => ({ at: 1_700_000_000_000 + i, phase: 1, host: 'node-a', stream: 'stdout' as const, line: `line ${i + 1}` })),
  )
  seed.close()
  const importRoot = join(dir, 'to-import')
  copyRun(importRoot, 'good-r1', 'folder-r1')
  folderToImport = importRoot
  bundlePath = await simulatedBundle(join(dir, 'bundle'))
  app = await launchApp(db, {
    services: { knownHostsFiles: [] },
    pickOpen: async () => nextOpen,
    pickSavePath: async () => nextSave,
  })
}, 120_000)

afterAll(async () => {
  await app?.close()
  rmSync(dir, { recursive: true, force: true })
})

const historyCount = () => app.page.textContent('[data-testid="history-count"]')
const runIds = () => app.page.$$eval('[data-run]', (rows) => rows.map((r) => r.getAttribute('data-run')))

async function openRun(id: string): Promise<void> {
  const { page } = app
  await page.click('nav.sidebar button:has-text("History")')
  await page.selectOption('select[aria-label="Simulated or real"]', '')
  await page.fill('[data-testid="history-search"]', id)
  await page.click(`.hrow button:has-text("${id}")`)
  await page.waitForSelector(`[data-testid="report"][data-run="${id}"]`)
}

describe('verdict data in the desktop app', { timeout: 240_000 }, () => {
  it('imports folders through main\'s dialog; a cancelled dialog imports nothing', async () => {
    const { page } = app
    await page.waitForSelector('[data-testid="history-count"]')
    const before = app.services.core.history.list().length
    expect(await historyCount()).toContain(`${before} of ${before} runs`)
    nextOpen = null
    await page.click('button:has-text("Import runs…")')
    // Nothing to wait for but the round trip: the count stays, no notice of an import.
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => r(null))))
    expect(app.services.core.history.list().length).toBe(before)
    expect(await page.locator('.notice').count()).toBe(0)
    nextOpen = [folderToImport]
    await page.click('button:has-text("Import runs…")')
    await page.waitForSelector('.notice:has-text("Imported 1")')
    await expect.poll(historyCount).toContain(`${before + 1} of ${before + 1} runs`)
    expect(await runIds()).toContain('folder-r1')
  })

  it('imports a bundle through the picker: SIMULATED badge, simulated/real filter, an empty filter says so', async () => {
    const { page } = app
    nextOpen = [bundlePath]
    await page.click('button:has-text("Import bundle…")')
    await page.waitForSelector('.notice:has-text("Imported 1")')
    await page.waitForSelector('[data-run="sim-r1"] [data-testid="simulated-badge"]')
    expect(await page.locator('[data-run="good-r1"] [data-testid="simulated-badge"]').count()).toBe(0)
    await page.selectOption('select[aria-label="Simulated or real"]', 'simulated')
    expect(await runIds()).toEqual(['sim-r1'])
    await page.selectOption('select[aria-label="Simulated or real"]', 'real')
    const real = await runIds()
    expect(real).not.toContain('sim-r1')
    expect(real).toContain('good-r1')
    await page.fill('[data-testid="history-search"]', 'sim-r1')
    await page.waitForSelector('[data-testid="history-empty"]')
    expect(await page.textContent('[data-testid="history-empty"]')).toContain('No run matches these filters')
    await page.click('[data-testid="history-empty"] button:has-text("Clear them")')
    await page.waitForSelector('[data-run="sim-r1"]')
  })

  it('a simulated run stopped early says so under its verdict', async () => {
    const { page } = app
    await openRun('sim-r1')
    expect(await page.locator('.report-head [data-testid="simulated-badge"]').count()).toBe(1)
    expect(await page.textContent('[data-testid="note-simulated"]')).toContain('0.6.0+shipgate-sim')
    expect(await page.textContent('[data-testid="note-stop-reason"]')).toBe('Stopped: cancelled by the user during phase 4')
  })

  it('a weakened run names each change, marks History, and its check reads exactly ≥ 0', async () => {
    const { page } = app
    await page.click('nav.sidebar button:has-text("History")')
    await page.fill('[data-testid="history-search"]', '')
    await page.waitForSelector('[data-run="weak-r1"] [data-testid="weakened-badge"]')
    expect(await page.locator('[data-run="good-r1"] [data-testid="weakened-badge"]').count()).toBe(0)
    await openRun('weak-r1')
    expect(await page.textContent('[data-testid="note-weakened"]')).toContain('weakened: p4BoundMin 0 (default 0.995)')
    const thresholds = await page.$$eval('[data-phase="4"] tr[data-check^="p4.bound."] [data-testid="threshold"]', (cells) => cells.map((c) => c.textContent))
    expect(thresholds.length).toBeGreaterThan(0)
    for (const t of thresholds) expect(t).toBe('≥ 0')
  })

  it('a value the harness stated carries its provenance', async () => {
    const { page } = app
    await openRun('good-r1')
    const stated = page.locator('[data-phase="4"] [data-testid="stated-tag"]')
    expect(await stated.count()).toBeGreaterThan(0)
    expect(await stated.first().textContent()).toBe('stated by the harness, not recomputed')
  })

  it('shows the verdict history of a run judged again by newer rules', async () => {
    const { page } = app
    await openRun('rejudged-r1')
    expect(await page.textContent('[data-testid="verdict-reason"]')).toMatch(/^INCOMPLETE/)
    expect(await page.textContent('[data-testid="note-verdict-history"]')).toContain(`judged PASS by evaluator@1, INCOMPLETE by ${EVALUATOR_VERSION}`)
  })

  it('exports HTML to the file main\'s save dialog chose; a cancelled dialog writes nothing', async () => {
    const { page } = app
    await openRun('weak-r1')
    // A notice of an earlier step may still be up: dismiss it so that any new one counts.
    if (await page.locator('.notice').count()) await page.click('.notice')
    nextSave = null
    await page.click('.report-head button:has-text("HTML")')
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => r(null))))
    expect(await page.locator('.notice').count()).toBe(0)
    const target = join(dir, 'weak-r1.html')
    nextSave = target
    await page.click('.report-head button:has-text("HTML")')
    await page.waitForSelector(`.notice:has-text("Exported to ${target}")`)
    const html = readFileSync(target, 'utf8')
    expect(html).toContain('weak-r1')
    expect(html).toContain('weakened: p4BoundMin 0 (default 0.995)')
    await page.click('.notice')
  })

  it('certifies a release from the report: a simulated run is refused before any dialog, a real PASS writes ship-gate\'s summary.json', async () => {
    const { page } = app
    await openRun('sim-r1')
    if (await page.locator('.notice').count()) await page.click('.notice')
    nextSave = join(dir, 'never.json')
    await page.click('.report-head button:has-text("Certify release…")')
    await page.click('[data-testid="certify-release"] button[type="submit"]')
    await page.waitForSelector('[data-testid="certify-refused"]')
    expect(await page.textContent('[data-testid="certify-refused"]')).toMatch(/refused to write a release file for v0\.6\.0:[\s\S]*simulated ai-memory/)
    expect(existsSync(join(dir, 'never.json'))).toBe(false)
    await app.shot('report-certify-refused')
    await openRun('good-r1')
    await page.click('.report-head button:has-text("Certify release…")')
    expect(await page.inputValue('[aria-label="Release version"]')).toBe('v0.6.0')
    const target = join(dir, 'releases', 'v0.6.0', 'summary.json')
    nextSave = target
    await page.click('[data-testid="certify-release"] button[type="submit"]')
    await page.waitForSelector(`.notice:has-text("Release file written (PASS): ${target}")`)
    expect(JSON.parse(readFileSync(target, 'utf8'))).toMatchObject({ version: 'v0.6.0', campaign_run_id: 'good-r1', verdict: 'pass', nhi_verdict: null })
    expect(await page.locator('[data-testid="certify-release"]').count()).toBe(0)
    await app.shot('report-certify-release')
    await page.click('.notice')
  })

  it('compare says the threshold sets differ and cautions about the simulated run', async () => {
    const { page } = app
    await page.click('nav.sidebar button:has-text("History")')
    await page.fill('[data-testid="history-search"]', '')
    await page.check('input[aria-label="select sim-r1"]')
    await page.check('input[aria-label="select weak-r1"]')
    await page.click('[data-testid="compare-selected"]')
    await page.waitForSelector('[data-testid="compare"]')
    expect(await page.textContent('[data-testid="threshold-sets-differ"]')).toContain('The threshold sets differ')
    expect(await page.textContent('[data-testid="simulated-caution"]')).toContain('sim-r1 ran against Shipgate Lab’s simulated ai-memory')
    expect(await page.textContent('[data-side="weak-r1"] [data-testid="deviations"]')).toContain('weakened: p4BoundMin 0 (default 0.995)')
    await app.shot('compare-cautions')
  })

  it('an evaluation with no phases opens to a panel; the app still works after', async () => {
    const { page } = app
    await page.click('nav.sidebar button:has-text("History")')
    await page.fill('[data-testid="history-search"]', 'nophases-r1')
    await page.click('button:has-text("nophases-r1")')
    await page.waitForSelector('[data-testid="error-panel"]')
    expect(await page.textContent('[data-testid="error-message"]')).toBe('The stored record of run nophases-r1 is malformed: evaluation.phases: no phases (an evaluation always judges phases 1 to 4)')
    await app.shot('report-malformed')
    await page.click('[data-testid="error-panel"] button:has-text("Try again")')
    await page.waitForSelector('[data-testid="error-panel"]')
    await page.click('[data-testid="error-panel"] button:has-text("Back to the history")')
    await page.waitForSelector('[data-testid="history-count"]')
    await openRun('good-r1')
    expect(await page.textContent('[data-testid="verdict-reason"]')).toMatch(/^PASS/)
  })

  it('a narrative whose headline is a number replaces only the narrative; a new one starts from the draft', async () => {
    const { page } = app
    await openRun('numhead-r1')
    await page.waitForSelector('[data-testid="narrative-error"]')
    expect(await page.textContent('[data-testid="narrative-error"]')).toContain('narrative v1.headline: expected text')
    expect(await page.textContent('[data-testid="verdict-reason"]')).toMatch(/^PASS/)
    expect(await page.locator('[data-phase]').count()).toBe(4)
    await page.click('button:has-text("Write a new narrative from the evidence draft")')
    await page.waitForSelector('.dialog textarea')
    await page.click('.dialog button:has-text("Save")')
    await page.waitForSelector('[data-testid="narrative"] [data-testid="headline"]')
    expect(await page.locator('[data-testid="narrative-error"]').count()).toBe(0)
    expect(app.services.core.store.annotations.latest('numhead-r1')?.source).toBe('edited')
  })

  it('a log page that fails to load shows its error and loads on "Try again"', async () => {
    const { page } = app
    await openRun('logs-r1')
    await page.waitForSelector('[data-testid="log-pane"] .logline:has-text("line 1")')
    // The store loses its log table under the running app: the next page cannot load.
    app.services.core.store.db.exec('ALTER TABLE run_log RENAME TO run_log_gone')
    try {
      await page.locator('[data-testid="log-pane"] .log-list').evaluate((el) => el.scrollTo(0, el.scrollHeight))
      await page.waitForSelector('[data-testid="log-error"]')
      expect(await page.textContent('[data-testid="log-error"]')).toMatch(/^Lines 1,001–1,200 could not be loaded: .*run_log/)
    } finally {
      app.services.core.store.db.exec('ALTER TABLE run_log_gone RENAME TO run_log')
    }
    await page.click('[data-testid="log-error"] button:has-text("Try again")')
    await page.waitForSelector('[data-testid="log-pane"] .logline:has-text("line 1200")')
    expect(await page.locator('[data-testid="log-error"]').count()).toBe(0)
  })

  it('moves by keyboard: history rows, Enter, Alt+digit views, Ctrl-K palette', async () => {
    const { page } = app
    await page.keyboard.press('Alt+1')
    await page.waitForSelector('[data-testid="history-count"]')
    await page.fill('[data-testid="history-search"]', '')
    await page.focus('.view.history')
    await page.keyboard.press('ArrowDown')
    const second = (await runIds())[1]
    await page.keyboard.press('Enter')
    await page.waitForSelector(`[data-testid="report"][data-run="${second}"]`)
    await page.keyboard.press('Alt+4')
    await page.waitForSelector('[data-testid="trends"]')
    await page.keyboard.press('Control+k')
    await page.fill('input[aria-label="Command palette"]', 'weak-r1')
    await page.keyboard.press('Enter')
    await page.waitForSelector('[data-testid="report"][data-run="weak-r1"]')
  })

  it('warns about phase3.memories above 1000 before a run', async () => {
    const { page } = app
    await page.click('nav.sidebar button:has-text("Campaigns")')
    await page.waitForFunction(() => (document.querySelector('[data-testid="campaign-yaml"]') as HTMLTextAreaElement | null)?.value.includes('name: demo'))
    await page.fill('input[aria-label="Memories to migrate"]', '1500')
    await page.waitForSelector('[data-testid="campaign-warnings"]:has-text("clamps a Postgres list to 1000 rows")')
    expect(await page.textContent('[data-testid="campaign-warnings"]')).toContain('parameters.phase3.memories is 1500')
    await page.fill('input[aria-label="Memories to migrate"]', '40')
    await page.waitForFunction(() => !document.querySelector('[data-testid="campaign-warnings"]')?.textContent?.includes('memories'))
  })

  it('refuses a local campaign other than the demo lab until the setting allows it; its preflight error names cause and fix', async () => {
    const { page } = app
    await page.click('nav.sidebar button:has-text("Campaigns")')
    const yaml = YAML.parse(await page.inputValue('[data-testid="campaign-yaml"]')) as Record<string, unknown> & { ai_memory: Record<string, unknown> }
    yaml.name = 'ui-local'
    yaml.phases = [1]
    yaml.ai_memory.binary = '/nonexistent/bin/ai-memory'
    await page.fill('[data-testid="campaign-yaml"]', YAML.stringify(yaml))
    await page.waitForFunction(() => !document.querySelector('[data-testid="campaign-issues"]') && (document.querySelector('[data-testid="campaign-yaml"]') as HTMLTextAreaElement).value.includes('name: ui-local'))
    await page.click('[data-testid="run-campaign"]')
    await page.waitForSelector('.notice:has-text("allow local campaigns in the settings")')
    expect(app.services.core.history.list({ campaign: 'ui-local' })).toEqual([])
    await page.click('.notice')
    // A controlled checkbox: it turns on once main has saved the setting.
    await page.click('[data-testid="allow-local"] input')
    await expect.poll(() => app.services.settings.get().allowLocalCampaigns).toBe(true)
    await page.waitForSelector('[data-testid="allow-local"] input:checked')
    await page.click('[data-testid="run-campaign"]')
    await page.waitForSelector('[data-testid="live-finished"]', { timeout: 120_000 })
    await page.click('button:has-text("Open the report")')
    await page.waitForSelector('[data-testid="report"][data-run="ui-local-r1"]')
    expect(await page.textContent('[data-testid="verdict-reason"]')).toMatch(/^INCOMPLETE/)
    expect(await page.textContent('[data-testid="preflight-cause"]')).toContain('/nonexistent/bin/ai-memory --version failed')
    expect(await page.textContent('[data-testid="preflight-fix"]')).toContain('install ai-memory at /nonexistent/bin/ai-memory')
    await app.shot('report-preflight')
    await page.click('nav.sidebar button:has-text("Campaigns")')
    await page.click('[data-testid="allow-local"] input')
    await expect.poll(() => app.services.settings.get().allowLocalCampaigns).toBe(false)
  })

  it('a demo run with bound 0.9 is warned before it runs, and its charts draw "threshold 0.9"', async () => {
    const { page } = app
    await page.click('nav.sidebar button:has-text("Campaigns")')
    await page.click('button:has-text("New from the demo lab")')
    await page.waitForFunction(() => (document.querySelector('[data-testid="campaign-yaml"]') as HTMLTextAreaElement | null)?.value.includes('name: demo'))
    const yaml = YAML.parse(await page.inputValue('[data-testid="campaign-yaml"]')) as Record<string, unknown> & { parameters: Record<string, Record<string, unknown>> }
    yaml.name = 'ui-bound'
    yaml.phases = [4]
    yaml.parameters.phase4 = { ...yaml.parameters.phase4, cycles: 2, writes_per_cycle: 10 }
    await page.fill('[data-testid="campaign-yaml"]', YAML.stringify(yaml))
    await page.waitForFunction(() => !document.querySelector('[data-testid="campaign-issues"]') && (document.querySelector('[data-testid="campaign-yaml"]') as HTMLTextAreaElement).value.includes('name: ui-bound'))
    await page.fill('input[aria-label="Convergence bound"]', '0.9')
    await page.waitForSelector('[data-testid="campaign-warnings"]:has-text("thresholds.p4BoundMin overrides")')
    await app.shot('campaign-warned')
    await page.click('[data-testid="run-campaign"]')
    await page.waitForSelector('[data-testid="live-finished"]', { timeout: 180_000 })
    await page.click('button:has-text("Open the report")')
    await page.waitForSelector('[data-testid="report"][data-run="ui-bound-r1"]')
    expect(await page.textContent('[data-testid="note-weakened"]')).toContain('weakened: p4BoundMin 0.9 (default 0.995)')
    await page.waitForSelector('[data-phase="4"] .echart svg')
    await page.waitForFunction(() => Array.from(document.querySelectorAll('[data-phase="4"] .echart svg text')).some((t) => t.textContent === 'threshold 0.9'))
    expect(await page.$$eval('[data-phase="4"] .echart svg text', (ts) => ts.some((t) => t.textContent === 'threshold 0.995'))).toBe(false)
  })

  it('screenshots: light and dark, 1440 and 1024 wide', async () => {
    const { page } = app
    for (const scheme of ['light', 'dark'] as const) {
      // Reduced motion: the charts draw without animation, so each picture shows them finished.
      await page.emulateMedia({ colorScheme: scheme, reducedMotion: 'reduce' })
      for (const width of [1440, 1024]) {
        await page.setViewportSize({ width, height: 900 })
        await page.keyboard.press('Alt+1')
        await page.fill('[data-testid="history-search"]', '')
        await page.waitForSelector('[data-run="sim-r1"]')
        await app.shot(`history-${scheme}-${width}`)
        await openRun('weak-r1')
        await app.shot(`report-${scheme}-${width}`)
        await openRun('ui-bound-r1')
        await page.locator('[data-phase="4"]').scrollIntoViewIfNeeded()
        await page.waitForSelector('[data-phase="4"] .echart svg')
        await app.shot(`report-chaos-${scheme}-${width}`)
        await page.keyboard.press('Alt+4')
        await page.waitForSelector('[data-testid="trends"] .echart svg')
        // The runs were judged with different bounds (0.995, 0, 0.9): each run's own is drawn, not the default.
        await page.waitForFunction(() => Array.from(document.querySelectorAll('[data-testid="trends"] .echart svg text')).some((t) => t.textContent === 'threshold (per run)'))
        await app.shot(`trends-${scheme}-${width}`)
      }
    }
    await page.emulateMedia({ colorScheme: 'light', reducedMotion: 'no-preference' })
    for (const name of ['history-dark-1024', 'report-light-1440', 'report-chaos-dark-1440', 'trends-light-1024']) expect(existsSync(join(SCREENSHOTS, `${name}.png`))).toBe(true)
  })

  it('left no console errors, CSP violations or React warnings', () => {
    expect(app.consoleErrors).toEqual([])
  })
})
