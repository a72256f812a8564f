// src-main/publish: a publication is held to the sizes `shipgate import` reads (IMPORT_LIMITS), so
// what is written to the evidence repo can always be read back; a run over them is refused before a
// single file is written, and stays whole in the history.
import { existsSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { IMPORT_LIMITS } from '@shared/bundle'
import { importBundle } from '../../src-main/import/bundle'
import { importPaths } from '../../src-main/import/importer'
import { publishRun } from '../../src-main/publish/publish'
import { exportBundle } from '../../src-main/report/bundle'
import { Store } from '../../src-main/store/store'
import { FIXTURE_RUNS } from '../helpers/fixtures'
import { useTmp } from '../helpers/tmp'

const tmp = useTmp()

/** A run received as a bundle (publishable, unlike a ship-gate import), with `lines` log lines of 1000 bytes. */
function receivedRun(lines: number): { store: Store; runId: string } {
  const origin = Store.open(join(tmp(), 'origin.sqlite'))
  importPaths(origin, [join(FIXTURE_RUNS, 'good-r1')])
  const bundle = exportBundle(origin, 'good-r1')
  origin.close()
  // ship-gate's own summary is a file a publication writes itself.
  bundle.artifacts = bundle.artifacts.filter((a) => a.name !== 'campaign-summary.json')
  const store = Store.open(join(tmp(), 'h.sqlite'))
  importBundle(store, JSON.parse(JSON.stringify(bundle)))
  const line = 'x'.repeat(1000)
  for (let i = 0; i < lines; i += 10_000) store.logs.append('good-r1', Array.from({ length: Math.min(10_000, lines - i) }, (_, k) => ({ at: 1_700_000_000_000 + i + k, phase: 4, host: 'node-a', stream: 'stdout' as const, line })))
  return { store, runId: 'good-r1' }
}

describe('publish within what an import reads', () => {
  it('publishes a run whose files fit, and they are all under the per-file limit', () => {
    const { store, runId } = receivedRun(1000)
    const to = tmp()
    const r = publishRun(store, runId, { to })
    expect(r.files.every((f) => f.sizeBytes <= IMPORT_LIMITS.artifactBytes)).toBe(true)
    expect(readdirSync(join(to, 'runs', runId)).length).toBe(r.files.length)
    store.close()
  })

  it('refuses a run whose log would make a file over the limit, writing nothing and keeping the run', () => {
    // 18,000 lines of 1000 bytes: the log alone is over 16 MB.
    const { store, runId } = receivedRun(18_000)
    const to = tmp()
    expect(() => publishRun(store, runId, { to })).toThrow(/good-r1's shipgate-run\.json would be \d+\.\d MB, over the 16\.0 MB an import reads for one file; nothing was written; the run stays whole/)
    expect(existsSync(join(to, 'runs'))).toBe(false)
    expect(store.logs.count(runId)).toBe(18_000)
    expect(store.runs.get(runId)).not.toBeNull()
    store.close()
  })
})
