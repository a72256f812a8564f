// A stored evaluation is read back through a schema: a malformed one is a coded error naming the run
// and the field, and one bad row breaks neither the trends nor the next run's report and draft.
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { Store } from '../../src-main/store/store'
import { importPaths } from '../../src-main/import/importer'
import { HistoryService } from '../../src-main/services/history'
import { ReportService } from '../../src-main/services/reports'
import { FIXTURE_RUNS } from '../helpers/fixtures'
import { useTmp } from '../helpers/tmp'

const tmp = useTmp()

function seeded(): Store {
  const store = Store.open(join(tmp(), 'h.sqlite'))
  importPaths(store, [join(FIXTURE_RUNS, 'good-r1'), join(FIXTURE_RUNS, 'store-failed-r1')])
  return store
}

function corrupt(store: Store, id: string, patch: (e: Record<string, unknown>) => void): void {
  const row = store.db.prepare<[string], { evaluation_json: string }>('SELECT evaluation_json FROM runs WHERE id = ?').get(id)
  const e = JSON.parse(row?.evaluation_json ?? '{}') as Record<string, unknown>
  patch(e)
  store.db.prepare<[string, string]>('UPDATE runs SET evaluation_json = ? WHERE id = ?').run(JSON.stringify(e), id)
}

describe('a stored evaluation', () => {
  it('reads back a sound one, with the threshold set on the summary', () => {
    const store = seeded()
    const run = store.runs.get('good-r1')
    expect(run?.evaluation.verdict).toBe('pass')
    expect(run?.thresholdSet).toBe('shipgate-thresholds@1')
    expect(store.runs.list().map((r) => [r.id, r.thresholdSet, r.weakened])).toEqual(expect.arrayContaining([['good-r1', 'shipgate-thresholds@1', false]]))
  })

  it('marks a run judged with weakened thresholds on its summary', () => {
    const store = seeded()
    corrupt(store, 'good-r1', (e) => void (e.thresholdSet = 'shipgate-thresholds@1~weakened-0badc0de'))
    expect(store.runs.list().find((r) => r.id === 'good-r1')?.weakened).toBe(true)
  })

  it('refuses a malformed one with a DB error naming the run and the field', () => {
    const store = seeded()
    corrupt(store, 'good-r1', (e) => {
      const phases = e.phases as Record<string, unknown>[]
      ;(phases[0] as Record<string, unknown>).checks = 'oops'
    })
    expect(() => store.runs.get('good-r1')).toThrowError(expect.objectContaining({ code: 'DB', message: expect.stringMatching(/run good-r1 is malformed \(phases\[0\]\.checks: /) }))
    corrupt(store, 'store-failed-r1', (e) => void delete e.verdict)
    expect(() => store.runs.get('store-failed-r1')).toThrowError(/store-failed-r1 is malformed \(verdict: /)
  })

  it('one bad row breaks neither the trends nor the next run\'s report and draft', () => {
    const store = seeded()
    // A later run of good-r1's campaign ("good"), whose report looks back at good-r1.
    const first = store.runs.get('good-r1')
    if (!first) throw new Error('good-r1 was not imported')
    store.runs.insert({ id: 'good-r2', campaign: first.campaign, source: 'import', state: 'completed', evaluation: first.evaluation, params: {}, aiMemoryRef: null, aiMemoryVersion: null, aiMemoryCommit: null, startedAt: null, completedAt: (first.completedAt ?? 0) + 1000, durationMs: null, contentSha256: null, createdAt: 1 })
    corrupt(store, 'good-r1', (e) => void (e.phases = [{ phase: 9 }]))
    const history = new HistoryService(store)
    const reports = new ReportService(store, history)
    const trends = reports.trends()
    expect(trends.runs.find((r) => r.id === 'good-r1')?.malformed).toBe(true)
    expect(trends.runs.find((r) => r.id === 'good-r2')?.malformed).toBeUndefined()
    expect(history.previous('good-r2')?.id).toBe('good-r1')
    const report = reports.report('good-r2')
    expect(report.run.id).toBe('good-r2')
    expect(report.draft?.basedOn.previousRunId).toBeNull()
    expect(() => reports.report('good-r1')).toThrowError(expect.objectContaining({ code: 'DB' }))
  })
})
