// import_100_runs_ms: wall time to import 100 ship-gate run folders into a fresh database.
import { cpSync, mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { performance } from 'node:perf_hooks'
import { importPaths } from '../../src-main/import/importer'
import { Store } from '../../src-main/store/store'
import type { Figure } from './figure'

const ROOT = resolve(__dirname, '..', '..')

function sourceRuns(): string[] {
  const corpus = join(ROOT, 'test', 'fixtures', 'public', 'ship-gate-runs', 'runs')
  const fixtures = join(ROOT, 'test', 'fixtures', 'runs')
  const dirs = [fixtures, corpus]
  return dirs.flatMap((d) => readdirSync(d).map((n) => join(d, n)))
}

export async function benchImport(): Promise<Figure[]> {
  const work = mkdtempSync(join(tmpdir(), 'shipgate-bench-import-'))
  try {
    const sources = sourceRuns()
    const runs = join(work, 'runs')
    for (let i = 0; i < 100; i++) {
      const src = sources[i % sources.length] as string
      cpSync(src, join(runs, `bench-campaign-r${i + 1}`), { recursive: true })
    }
    const times: number[] = []
    for (let round = 0; round < 3; round++) {
      const store = Store.open(join(work, `h${round}.sqlite`))
      const t0 = performance.now()
      const report = importPaths(store, [runs])
      times.push(performance.now() - t0)
      const imported = report.results.filter((r) => r.status === 'imported').length
      store.close()
      if (imported !== 100) throw new Error(`expected 100 imported runs, got ${imported}`)
    }
    times.sort((a, b) => a - b)
    const median = Math.round(times[1] as number)
    return [{ name: 'import_100_runs_ms', value: median, unit: 'ms', target: '< 2000', note: `median of 3; rounds ${times.map((t) => Math.round(t)).join('/')} ms` }]
  } finally {
    rmSync(work, { recursive: true, force: true })
  }
}
