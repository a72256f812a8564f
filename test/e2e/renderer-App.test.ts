// The desktop app's renderer in a real browser over the real services: history filters, a report,
// a comparison, launching and cancelling a demo run, a full demo run to its report, trends, the
// campaign form, host-key approval, and hostile text staying text. Screenshots land in
// test-results/screenshots (look at them).
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import YAML from 'yaml'
import { importPaths } from '../../src-main/import/importer'
import { Store } from '../../src-main/store/store'
import { CORPUS, FIXTURE_RUNS } from '../helpers/fixtures'
import { droplet, lab } from '../helpers/lab'
import { type AppHarness, launchApp } from './harness'

let app: AppHarness
let dir: string
const opened: string[] = []

function hostileRun(root: string): void {
  const run = join(root, 'hostile-r1')
  cpSync(join(FIXTURE_RUNS, 'good-r1'), run, { recursive: true })
  const p1 = JSON.parse(readFileSync(join(run, 'phase1-node-a.json'), 'utf8')) as { host: string; curator: { errors: string[] } }
  p1.host = '<img src=x onerror="window.__pwned=1">'
  p1.curator.errors = ['no LLM client configured', '<script>window.__pwned=2</script>']
  writeFileSync(join(run, 'phase1-node-a.json'), JSON.stringify(p1, null, 2))
  mkdirSync(join(root, 'analysis'), { recursive: true })
  writeFileSync(
    join(root, 'analysis', 'run-insights.json'),
    JSON.stringify({ 'hostile-r1': { headline: '<b onmouseover="window.__pwned=3">bold?</b>', verdict: 'v', what_it_tested: 't', what_it_proved: 'p', for_non_technical: 'n', for_c_level: 'c', for_sme: 's', bugs: [{ title: 'x', impact: 'i', root_cause: 'r', fixed_in: [{ label: 'evil', url: 'javascript:alert(1)' }, { label: 'PR #312', url: 'https://github.com/alphaonedev/ai-memory-mcp/pull/312' }] }], next_run_change: '' } }),
  )
}

beforeAll(async () => {
  // One folder for the whole file: useTmp's folders are removed after each test, the app's database is not.
  dir = mkdtempSync(join(tmpdir(), 'shipgate-app-'))
  const db = join(dir, 'history.sqlite')
  const seed = Store.open(db)
  importPaths(seed, [CORPUS])
  importPaths(seed, [FIXTURE_RUNS])
  const hostileRoot = join(dir, 'hostile')
  mkdirSync(join(hostileRoot, 'runs'), { recursive: true })
  hostileRun(join(hostileRoot, 'runs'))
  importPaths(seed, [hostileRoot])
  seed.close()
  app = await launchApp(db, { services: { knownHostsFiles: [] }, openExternal: async (url) => void opened.push(url) })
}, 60_000)

afterAll(async () => {
  await app?.close()
  rmSync(dir, { recursive: true, force: true })
})

describe('the desktop app in a real browser', { timeout: 240_000 }, () => {
  it('opens on the history and filters it by verdict, search and date', async () => {
    const { page } = app
    await page.waitForSelector('[data-testid="history-count"]')
    const count = () => page.textContent('[data-testid="history-count"]')
    const total = app.services.core.history.list().length
    expect(await count()).toContain(`${total} of ${total} runs`)
    await app.shot('history')
    await page.selectOption('select[aria-label="Verdict"]', 'fail')
    expect(await count()).toMatch(/^\d+ of/)
    const failing = await page.$$eval('[data-run]', (rows) => rows.map((r) => r.getAttribute('data-run')))
    expect(failing).toContain('pagecap-r1')
    expect(failing).not.toContain('good-r1')
    expect(failing).toEqual(expect.arrayContaining(['v0.6.0.0-final-r14', 'v0.6.0.0-final-r24']))
    await page.selectOption('select[aria-label="Verdict"]', '')
    await page.fill('[data-testid="history-search"]', 'r17')
    expect(await count()).toContain(`1 of ${total}`)
    await page.fill('[data-testid="history-search"]', '')
    await page.fill('input[aria-label="From date"]', '2026-04-20')
    await page.fill('input[aria-label="To date"]', '2026-04-20')
    const day = app.services.core.history.list({ since: Date.parse('2026-04-20T00:00:00Z'), until: Date.parse('2026-04-20T23:59:59.999Z') }).length
    expect(day).toBeGreaterThan(0)
    expect(day).toBeLessThan(total)
    expect(await count()).toContain(`${day} of ${total} runs`)
    await app.shot('history-filtered')
    await page.click('text=clear')
    expect(await count()).toContain(`${total} of ${total}`)
  })

  it('opens a report: verdict first, narrative, phases, evidence one click away', async () => {
    const { page } = app
    await page.click('button:has-text("v0.6.0.0-final-r17")')
    await page.waitForSelector('[data-testid="report"][data-run="v0.6.0.0-final-r17"]')
    expect(await page.textContent('[data-testid="verdict-reason"]')).toMatch(/^INCOMPLETE — phase 4 ERROR/)
    expect(await page.textContent('[data-testid="narrative"]')).toContain('Writes now land (150 ok)')
    expect(await page.textContent('[data-phase="2"]')).toContain('ok=200/200 (qnm=0, fail=0)')
    expect(await page.textContent('[data-phase="4"] h2')).toContain('ERROR')
    await app.shot('report-r17')
    await page.click('[data-phase="4"] details summary')
    await page.waitForSelector('[data-phase="4"] pre.code')
    expect(await page.textContent('[data-phase="4"] pre.code')).toContain('"convergence_bound": 0.03')
    await page.locator('[data-phase="4"]').scrollIntoViewIfNeeded()
    await app.shot('report-r17-evidence')
  })

  it('compares r17 with r18: flipped checks, moved metrics, evidence diff', async () => {
    const { page } = app
    await page.click('button:has-text("History")')
    await page.check('input[aria-label="select v0.6.0.0-final-r17"]')
    await page.check('input[aria-label="select v0.6.0.0-final-r18"]')
    await page.click('[data-testid="compare-selected"]')
    await page.waitForSelector('[data-testid="compare"]')
    expect(await page.textContent('[data-testid="flipped"]')).toContain('partition_minority')
    await page.selectOption('select[aria-label="Artifact to compare"]', 'phase4.json')
    await page.waitForSelector('[data-testid="evidence-diff"], .compare p.muted:has-text("Identical")')
    await app.shot('compare-r17-r18')
  })

  it('renders text from hosts and artifacts as text, never as HTML', async () => {
    const { page } = app
    await page.click('button:has-text("History")')
    await page.fill('[data-testid="history-search"]', 'hostile')
    await page.click('button:has-text("hostile-r1")')
    await page.waitForSelector('[data-testid="report"][data-run="hostile-r1"]')
    expect(await page.textContent('[data-testid="narrative"]')).toContain('<b onmouseover="window.__pwned=3">bold?</b>')
    expect(await page.textContent('[data-phase="1"]')).toContain('<script>window.__pwned=2</script>')
    await page.click('[data-phase="1"] details summary')
    await page.waitForSelector('[data-phase="1"] pre.code')
    expect(await page.textContent('[data-phase="1"] pre.code')).toContain('<img src=x onerror=')
    expect(await page.$$eval('img', (imgs) => imgs.length)).toBe(0)
    expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined()
    // The javascript: link never made it into the store; the https one goes through the allow-listed opener.
    expect(await page.locator('button:has-text("evil")').count()).toBe(0)
    await page.click('button:has-text("PR #312")')
    await expect.poll(() => opened).toEqual(['https://github.com/alphaonedev/ai-memory-mcp/pull/312'])
  })

  it('launches a demo run from the campaign view, shows it live, and cancels it with its teardown', async () => {
    const { page } = app
    await page.click('button:has-text("Campaigns")')
    await page.waitForSelector('[data-testid="campaign-yaml"]')
    await page.waitForFunction(() => (document.querySelector('[data-testid="campaign-yaml"]') as HTMLTextAreaElement | null)?.value.includes('name: demo'))
    await app.shot('campaigns')
    const yaml = YAML.parse(await page.inputValue('[data-testid="campaign-yaml"]')) as Record<string, unknown> & { parameters: Record<string, Record<string, unknown>> }
    yaml.name = 'ui-cancel'
    yaml.phases = [2, 4]
    yaml.parameters.phase4 = { ...yaml.parameters.phase4, cycles: 40, writes_per_cycle: 20 }
    await page.fill('[data-testid="campaign-yaml"]', YAML.stringify(yaml))
    await page.waitForFunction(() => !document.querySelector('[data-testid="campaign-issues"]'))
    await page.click('[data-testid="run-campaign"]')
    await page.waitForSelector('[data-testid="live-run"]')
    // Cancel once the chaos cycles run: servers and faults are live, the journal has work to undo.
    await page.waitForFunction(() => document.body.textContent?.includes('cycles,'), undefined, { timeout: 120_000 })
    await app.shot('live-running')
    await page.click('[data-testid="cancel-run"]')
    await page.waitForSelector('[data-testid="live-finished"]', { timeout: 120_000 })
    expect(await page.textContent('[data-testid="live-finished"]')).toContain('CANCELLED')
    expect(await page.textContent('[data-testid="teardown"]')).toMatch(/✓ .*stop serve --host 127\.0\.0\.1/)
    await app.shot('live-cancelled')
    const runs = app.services.core.history.list({ campaign: 'ui-cancel' })
    expect(runs.map((r) => [r.id, r.state])).toEqual([['ui-cancel-r1', 'cancelled']])
    expect(app.services.core.runs.journal.pending('ui-cancel-r1')).toEqual([])
  })

  it('runs a small demo campaign to its report: charts, a drafted narrative to accept, trends', async () => {
    const { page } = app
    await page.click('button:has-text("Campaigns")')
    const yaml = YAML.parse(await page.inputValue('[data-testid="campaign-yaml"]')) as Record<string, unknown> & { parameters: Record<string, Record<string, unknown>> }
    yaml.name = 'ui-demo'
    // Phase 3 needs the vector-capable PostgreSQL of the demo lab, another helper's work: left out here.
    yaml.phases = [1, 2, 4]
    yaml.parameters.phase2 = { ...yaml.parameters.phase2, writes_per_agent: 10 }
    yaml.parameters.phase3 = { ...yaml.parameters.phase3, memories: 40 }
    yaml.parameters.phase4 = { ...yaml.parameters.phase4, cycles: 4, writes_per_cycle: 12 }
    await page.fill('[data-testid="campaign-yaml"]', YAML.stringify(yaml))
    await page.waitForFunction(() => !document.querySelector('[data-testid="campaign-issues"]'))
    await page.fill('input[aria-label="Cycles per fault"]', '3')
    await page.waitForFunction(() => (document.querySelector('[data-testid="campaign-yaml"]') as HTMLTextAreaElement).value.includes('cycles: 3'))
    await page.click('[data-testid="run-campaign"]')
    await page.waitForSelector('[data-testid="live-finished"]', { timeout: 180_000 })
    expect(await page.textContent('[data-testid="live-finished"]')).toMatch(/^INCOMPLETE — .*phase 3 NOT RUN/)
    const judged = app.services.core.history.detail('ui-demo-r1').evaluation.phases
    expect(judged.slice(0, 3).map((p) => [p.phase, p.status])).toEqual([[1, 'pass'], [2, 'pass'], [3, 'not_run']])
    // Phase 4 on two shared cores can end in error (a cycle over its deadline): this test is about the UI, so it
    // needs phase 4 judged with its cycles, whatever its status.
    expect(judged[3]?.status).not.toBe('not_run')
    await app.shot('live-finished')
    await page.click('button:has-text("Open the report")')
    await page.waitForSelector('[data-testid="report"][data-run="ui-demo-r1"]')
    await page.waitForSelector('[data-phase="4"] .echart svg')
    expect(await page.$$eval('[data-phase="4"] .echart', (c) => c.length)).toBe(2)
    expect(await page.textContent('[data-testid="draft-flag"]')).toBe('DRAFT')
    // Each drafted sentence shows what it rests on, set apart from the prose; the headline carries none.
    expect(await page.locator('[data-testid="narrative"] .cite').count()).toBeGreaterThan(0)
    expect(await page.textContent('[data-testid="headline"]')).not.toContain('[cite:')
    expect(await page.textContent('[data-testid="log-pane"] h2')).toMatch(/Log \([\d,]+ lines\)/)
    await page.locator('[data-phase="4"]').scrollIntoViewIfNeeded()
    await page.waitForTimeout(600)
    await app.shot('report-demo-chaos')
    await page.click('button:has-text("Accept draft")')
    await page.waitForFunction(() => !document.querySelector('[data-testid="draft-flag"]'))
    expect(app.services.core.store.annotations.latest('ui-demo-r1')?.source).toBe('accepted')
    await page.click('button:has-text("Trends")')
    await page.waitForSelector('[data-testid="trends"] .echart svg')
    await page.waitForTimeout(600) // let the charts' short animation finish before the picture
    await app.shot('trends')
    await page.click('button:has-text("Table")')
    expect(await page.textContent('[data-testid="trends-table"]')).toContain('ui-demo-r1')
  })

  it('asks before trusting an unknown host key, showing its fingerprint', async () => {
    const { page } = app
    const h = droplet(19)
    await page.click('button:has-text("Campaigns")')
    const yaml = YAML.parse(await page.inputValue('[data-testid="campaign-yaml"]')) as Record<string, unknown> & { hosts: Record<string, Record<string, unknown>> }
    yaml.name = 'ui-ssh'
    yaml.transport = 'ssh'
    for (const role of ['node-a', 'node-b', 'node-c', 'chaos']) yaml.hosts[role] = { address: h.address, user: h.user, key: lab().keys.ed25519, agent: false, api_port: 9077, workdir: '/tmp/shipgate-ui' }
    await page.fill('[data-testid="campaign-yaml"]', YAML.stringify(yaml))
    await page.waitForFunction(() => !document.querySelector('[data-testid="campaign-issues"]'))
    await page.click('[data-testid="test-hosts"]')
    await page.waitForSelector('[data-testid="fingerprint"]')
    expect(await page.textContent('[data-testid="fingerprint"]')).toBe(`ssh-ed25519 ${h.hostKeys['ssh-ed25519']}`)
    await app.shot('hostkey-prompt')
    await page.click('button:has-text("Trust and connect")')
    await page.waitForFunction(() => document.querySelector('[data-testid="host-check-chaos"]')?.textContent?.startsWith('✓'), undefined, { timeout: 30_000 })
    expect(await page.textContent('[data-testid="host-check-node-a"]')).toMatch(/^✓ droplet19 · /)
    expect(app.services.core.store.knownHosts.pins(h.address, 22).map((p) => p.fingerprint)).toEqual([h.hostKeys['ssh-ed25519']])
    await app.shot('campaigns-hosts-tested')
  })

  it('left no console errors, CSP violations or React warnings', () => {
    expect(app.consoleErrors).toEqual([])
  })
})
