// Verdicts a run had before it was judged again (a new evaluator, or new evidence), so a changed
// verdict is shown, never silent: "judged FAIL by evaluator@1, INCOMPLETE by evaluator@2".
import type { RunVerdict } from '@shared/domain'
import type { Db } from './db'

export interface PastVerdict {
  evaluatorVersion: string
  thresholdSet: string
  verdict: RunVerdict
  reason: string
  judgedAt: number
}

export class VerdictHistoryRepo {
  constructor(private readonly db: Db) {}

  add(runId: string, v: PastVerdict): void {
    this.db
      .prepare<[string, string, string, RunVerdict, string, number]>('INSERT INTO verdict_history (run_id, evaluator_version, threshold_set, verdict, reason, judged_at) VALUES (?, ?, ?, ?, ?, ?)')
      .run(runId, v.evaluatorVersion, v.thresholdSet, v.verdict, v.reason, v.judgedAt)
  }

  list(runId: string): PastVerdict[] {
    return this.db
      .prepare<[string], PastVerdict>('SELECT evaluator_version AS evaluatorVersion, threshold_set AS thresholdSet, verdict, reason, judged_at AS judgedAt FROM verdict_history WHERE run_id = ? ORDER BY id')
      .all(runId)
  }
}
