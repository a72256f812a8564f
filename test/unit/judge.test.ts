// Judging stored runs: when the rules change, a run is judged again from its stored evidence and
// the verdict it had is kept and shown.
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { RunEvaluation } from '@shared/domain'
import { rejudgeStale } from '../../src-main/judge/judge'
import { verdictHistoryLine } from '../../src-main/cli/format'
import { HistoryService } from '../../src-main/services/history'
import { Store } from '../../src-main/store/store'
import { EVALUATOR_VERSION } from '../../src-main/verdict/evaluate'
import { fixtureRun } from '../helpers/fixtures'
import { useTmp } from '../helpers/tmp'

const tmp = useTmp()

/** A run stored by an older evaluator that believed its stated bound: PASS. */
function storeOldPass(store: Store, id: string, fixture: string): void {
  const old = { verdict: 'pass', reason: 'PASS — all four phases pass (23 checks)', phases: [], warnings: [], evaluatorVersion: 'evaluator@1', thresholdSet: 'shipgate-thresholds@1' } as unknown as RunEvaluation
  store.transaction(() => {
    store.runs.insert({ id, campaign: 'c', source: 'import', state: 'completed', evaluation: old, params: {}, aiMemoryRef: null, aiMemoryVersion: null, aiMemoryCommit: null, startedAt: null, completedAt: 1, durationMs: null, contentSha256: null, createdAt: 1 })
    for (const a of fixtureRun(fixture)) store.artifacts.put(id, a.name, a.bytes, 1)
  })
}

describe('judging again when the rules change', () => {
  it('re-judges runs of an older evaluator from their evidence and keeps the earlier verdict', () => {
    const store = Store.open(join(tmp(), 'h.sqlite'))
    storeOldPass(store, 'stated-vs-rows-r1', 'stated-vs-rows-r1')
    storeOldPass(store, 'good-r1', 'good-r1')
    const changed = rejudgeStale(store, 1234)
    expect(changed.map((c) => [c.runId, c.before?.verdict, c.after.verdict])).toEqual([
      ['good-r1', 'pass', 'pass'],
      ['stated-vs-rows-r1', 'pass', 'incomplete'],
    ])
    const run = new HistoryService(store).detail('stated-vs-rows-r1')
    expect(run.evaluation.evaluatorVersion).toBe(EVALUATOR_VERSION)
    expect(run.verdictHistory).toEqual([{ evaluatorVersion: 'evaluator@1', thresholdSet: 'shipgate-thresholds@1', verdict: 'pass', reason: 'PASS — all four phases pass (23 checks)', judgedAt: 1234 }])
    expect(verdictHistoryLine(run)).toBe(`judged PASS by evaluator@1, INCOMPLETE by ${EVALUATOR_VERSION}`)
    // Judged once: nothing is stale any more.
    expect(rejudgeStale(store, 5678)).toEqual([])
    expect(new HistoryService(store).detail('stated-vs-rows-r1').verdictHistory).toHaveLength(1)
    store.close()
  })

  it('judges a run whose stored evaluation lost its shape from its evidence, with no earlier verdict to keep', () => {
    const store = Store.open(join(tmp(), 'h.sqlite'))
    storeOldPass(store, 'good-r1', 'good-r1')
    store.db.prepare("UPDATE runs SET evaluation_json = '{\"verdict\": 5}' WHERE id = 'good-r1'").run()
    expect(() => store.runs.get('good-r1')).toThrow(/malformed/)
    expect(rejudgeStale(store, 1234)).toEqual([{ runId: 'good-r1', before: null, after: { evaluatorVersion: EVALUATOR_VERSION, verdict: 'pass' } }])
    const run = new HistoryService(store).detail('good-r1')
    expect(run.evaluation.verdict).toBe('pass')
    expect(run.verdictHistory).toEqual([])
    store.close()
  })
})
