// history_filter_10k_ms and report_open_100k_log_ms, measured in headless Chromium on the built
// renderer bridged to the real services (the same harness as the browser tests).
import { mkdtempSync, rmSync, cpSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { importPaths } from '../../src-main/import/importer'
import { Store } from '../../src-main/store/store'
import { launchApp } from '../../test/e2e/harness'
import type { Figure } from './figure'

const ROOT = resolve(__dirname, '..', '..')

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b)
  return Math.round((s[Math.floor(s.length / 2)] as number) * 10) / 10
}

/** A store of 10,000 runs (copies of real evaluations) and one run with a 100,000-line log. */
function seed(db: string): void {
  const store = Store.open(db)
  const runs = join(mkdtempSync(join(tmpdir(), 'shipgate-bench-seed-')), 'runs')
  cpSync(join(ROOT, 'test', 'fixtures', 'runs'), runs, { recursive: true })
  importPaths(store, [runs])
  const templates = store.runs.list().map((r) => store.runs.get(r.id)).filter((r) => r !== null)
  store.transaction(() => {
    for (let i = 0; i < 10_000; i++) {
      const t = templates[i % templates.length] as NonNullable<(typeof templates)[number]>
      store.runs.insert({
        ...t,
        id: `bench-${String(i).padStart(5, '0')}-r${i + 1}`,
        campaign: `bench-${i % 25}`,
        source: 'import',
        state: 'completed',
        aiMemoryRef: t.aiMemoryRef,
        aiMemoryVersion: `ai-memory 0.6.${i % 7}`,
        aiMemoryCommit: null,
        startedAt: null,
        completedAt: Date.UTC(2026, 0, 1) + i * 3_600_000,
        durationMs: 600_000 + (i % 100) * 1000,
        contentSha256: null,
        params: {},
        createdAt: Date.now(),
      })
    }
  })
  const logRun = 'bench-09999-r10000'
  const lines = Array.from({ length: 100_000 }, (_, i) => ({ at: Date.UTC(2026, 0, 1) + i * 10, phase: 1 + (i % 4), host: `node-${'abc'[i % 3]}`, stream: (i % 9 === 0 ? 'stderr' : 'stdout') as 'stdout', line: `line ${i}: ai-memory serve request handled in ${i % 37} ms namespace=chaos-c${i % 50}` }))
  for (let i = 0; i < lines.length; i += 10_000) store.logs.append(logRun, lines.slice(i, i + 10_000))
  store.close()
}

export async function benchUi(): Promise<Figure[]> {
  const dir = mkdtempSync(join(tmpdir(), 'shipgate-bench-ui-'))
  const db = join(dir, 'h.sqlite')
  seed(db)
  const app = await launchApp(db, {}, { width: 1440, height: 900 })
  try {
    const { page } = app
    await page.waitForFunction(() => Number(/of (\d+) runs/.exec(document.querySelector('[data-testid="history-count"]')?.textContent ?? '')?.[1] ?? 0) > 10_000, undefined, { timeout: 60_000 })
    const total = await page.evaluate(() => /of (\d+) runs/.exec(document.querySelector('[data-testid="history-count"]')?.textContent ?? '')?.[1])
    // Each measurement: change a filter, wait until the table shows the new result, two frames later.
    // In-page code is passed as text: tsx's name helpers do not exist inside the page.
    const measure = (kind: 'search' | 'verdict', value: string): Promise<number> =>
      page.evaluate(`(async () => {
        // The rows and the count both reflect the filter: wait for either to change (at most 5 s).
        const count = () => (document.querySelector('[data-testid="history-count"]')?.textContent ?? '') + (document.querySelector('[data-run]')?.getAttribute('data-run') ?? '')
        const before = count()
        const t0 = performance.now()
        if (${JSON.stringify(kind)} === 'search') {
          const input = document.querySelector('[data-testid="history-search"]')
          Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value').set.call(input, ${JSON.stringify(value)})
          input.dispatchEvent(new Event('input', { bubbles: true }))
        } else {
          const select = document.querySelector('select[aria-label="Verdict"]')
          Object.getOwnPropertyDescriptor(HTMLSelectElement.prototype, 'value').set.call(select, ${JSON.stringify(value)})
          select.dispatchEvent(new Event('change', { bubbles: true }))
        }
        while (count() === before && performance.now() - t0 < 5000) await new Promise((r) => requestAnimationFrame(r))
        await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)))
        return performance.now() - t0
      })()`)
    const filterTimes: number[] = []
    for (const [k, v] of [['verdict', 'fail'], ['verdict', 'pass'], ['verdict', ''], ['search', 'bench-0042'], ['search', 'page-size'], ['search', ''], ['verdict', 'incomplete'], ['verdict', '']] as const) filterTimes.push(await measure(k, v))

    // Open the report of the run with 100,000 log lines from the history, until its log shows lines.
    await measure('search', 'bench-09999')
    await page.waitForSelector('button:has-text("bench-09999-r10000")')
    const openTimes: number[] = []
    for (let i = 0; i < 3; i++) {
      const ms: number = await page.evaluate(`(async () => {
        const t0 = performance.now()
        Array.from(document.querySelectorAll('button')).find((b) => b.textContent === 'bench-09999-r10000').click()
        while (!document.querySelector('[data-testid="log-pane"] .logline:not(.muted)') && performance.now() - t0 < 30000) await new Promise((r) => requestAnimationFrame(r))
        await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)))
        return performance.now() - t0
      })()`)
      openTimes.push(ms)
      await page.click('button:has-text("History")')
      await page.waitForSelector('button:has-text("bench-09999-r10000")')
    }
    return [
      { name: 'history_filter_10k_ms', value: median(filterTimes), unit: 'ms', target: '< 100', note: `median of ${filterTimes.length} filter changes over ${total} runs; max ${Math.round(Math.max(...filterTimes))} ms` },
      { name: 'report_open_100k_log_ms', value: median(openTimes), unit: 'ms', target: '< 1000', note: `median of ${openTimes.length} opens, until the first log lines render` },
    ]
  } finally {
    await app.close()
    rmSync(dir, { recursive: true, force: true })
  }
}
