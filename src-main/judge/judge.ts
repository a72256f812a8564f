// Judging a stored run: everything the verdict engine reads comes from the store (artifacts, the
// campaign the run was launched with, its journal, its teardown), so a run is judged the same way
// while it runs, after a crash, after import, and years later when the rules change. When the
// evaluator changes, stored runs are judged again and the verdict they had is kept beside the new one.
import { gateInput, storedCampaign } from '@shared/campaign'
import type { RunEvaluation } from '@shared/domain'
import type { Store } from '../store/store'
import { EVALUATOR_VERSION, type EvaluationInput, type RunFacts, evaluateRun } from '../verdict/evaluate'
import { THRESHOLD_SET_ID } from '@shared/catalog'

/** The facts of a run the store keeps: its state, why it stopped, its journal, its cloud teardown. */
export function runFacts(store: Store, runId: string): RunFacts {
  const run = store.runs.judgingFacts(runId)
  return {
    ...(run ? { state: run.state, stopReason: run.stopReason } : {}),
    journal: store.journal.entries(runId).map((e) => ({ kind: e.kind, state: e.state, hostRole: e.hostRole, label: e.label, detail: e.detail })),
    cloudTeardown: store.provisions
      .forRun(runId)
      .filter((p) => p.state === 'destroyed' || p.state === 'failed')
      .map((p) => ({ verified: p.teardownVerified, message: p.detail ?? (p.teardownVerified ? 'teardown verified' : 'teardown NOT verified') })),
  }
}

export function judgementInput(store: Store, runId: string): EvaluationInput {
  const run = store.runs.judgingFacts(runId)
  const campaign = storedCampaign(run?.params)
  return { artifacts: store.artifacts.all(runId), ...(campaign ? gateInput(campaign) : {}), facts: runFacts(store, runId) }
}

/** Judges a stored run from what the store holds and keeps the evaluation. */
export function judgeStored(store: Store, runId: string): RunEvaluation {
  const { evaluation } = evaluateRun(judgementInput(store, runId))
  store.runs.updateEvaluation(runId, evaluation)
  return evaluation
}

export interface Rejudged {
  runId: string
  /** Null when the stored evaluation had lost its shape. */
  before: { evaluatorVersion: string; verdict: string } | null
  after: { evaluatorVersion: string; verdict: string }
}

/**
 * Runs judged by an older evaluator are judged again from their stored evidence. The earlier
 * verdict is kept in the run's history ("judged FAIL by evaluator@1, INCOMPLETE by evaluator@2").
 */
export function rejudgeStale(store: Store, now = Date.now()): Rejudged[] {
  const out: Rejudged[] = []
  for (const runId of store.runs.judgedByOther(EVALUATOR_VERSION)) {
    if (!store.runs.exists(runId)) continue
    // A stored evaluation that lost its shape is judged again from the evidence like any other;
    // there is just no earlier verdict to keep.
    let before: RunEvaluation | null = null
    try {
      before = store.runs.get(runId)?.evaluation ?? null
    } catch {
      before = null
    }
    const { evaluation } = evaluateRun(judgementInput(store, runId))
    store.transaction(() => {
      if (before)
        store.verdicts.add(runId, {
          evaluatorVersion: before.evaluatorVersion,
          thresholdSet: before.thresholdSet ?? THRESHOLD_SET_ID,
          verdict: before.verdict,
          reason: before.reason,
          judgedAt: now,
        })
      store.runs.updateEvaluation(runId, evaluation)
    })
    out.push({ runId, before: before ? { evaluatorVersion: before.evaluatorVersion, verdict: before.verdict } : null, after: { evaluatorVersion: evaluation.evaluatorVersion, verdict: evaluation.verdict } })
  }
  return out
}
