// Series fixtures for the soak and release tests: runs stored in a real SQLite history with an
// evaluation built by hand (only what a soak reads), judged by the current evaluator so nothing
// re-judges them.
import type { CheckResult, CheckStatus, PhaseStatus, RunEvaluation, RunState, RunVerdict } from '@shared/domain'
import { GATE_WORKLOAD, SHIP_GATE_DEFAULT_PARAMS, THRESHOLDS, THRESHOLD_SET_ID } from '@shared/thresholds'
import { join } from 'node:path'
import { Store } from '../../src-main/store/store'
import { EVALUATOR_VERSION } from '../../src-main/verdict/evaluate'

export interface FakeRun {
  verdict?: RunVerdict
  state?: RunState
  /** kill_primary_mid_write bound; null = no p4.bound check; 'error' = check in error. */
  bound?: number | null | 'error'
  durationMs?: number | null
  costUsd?: number | null
  thresholdSet?: string
  simulated?: boolean
  version?: string | null
  phaseStatuses?: PhaseStatus[]
  /** Extra checks: id → status (phase 1, phase-wide). */
  checks?: Record<string, CheckStatus>
  /** The subject of the extra checks (hostile names in the CLI tests). */
  subject?: string
  startedAt?: number
}

const HOUR = 3_600_000
export const T0 = Date.UTC(2026, 3, 20, 19, 30)

function check(phase: 1 | 4, id: string, status: CheckStatus, extra: Partial<CheckResult> = {}): CheckResult {
  return { id, phase, label: id, status, value: '', measured: null, threshold: '', thresholdValue: null, counted: true, reads: [], ...extra }
}

export function fakeEvaluation(f: FakeRun): RunEvaluation {
  const verdict = f.verdict ?? 'pass'
  const statuses = f.phaseStatuses ?? (verdict === 'pass' ? ['pass', 'pass', 'pass', 'pass'] : verdict === 'fail' ? ['pass', 'fail', 'pass', 'pass'] : ['pass', 'pass', 'pass', 'error'])
  const bound = f.bound === undefined ? 1 : f.bound
  const p1 = Object.entries(f.checks ?? {}).map(([id, s]) => check(1, id, s, f.subject ? { subject: f.subject } : {}))
  const p4 = bound === null ? [] : [check(4, 'p4.bound', bound === 'error' ? 'error' : bound >= THRESHOLDS.p4BoundMin ? 'pass' : 'fail', { subject: 'kill_primary_mid_write', measured: bound === 'error' ? null : bound })]
  const phases = statuses.map((status, i) => ({
    phase: (i + 1) as 1 | 2 | 3 | 4,
    status,
    summary: status,
    checks: status === 'not_run' ? [] : i === 0 ? p1 : i === 3 ? p4 : [],
    warnings: [],
    metrics: [],
    artifacts: [],
  }))
  return {
    verdict,
    reason: `${verdict.toUpperCase()} — test`,
    phases,
    warnings: [],
    evaluatorVersion: EVALUATOR_VERSION,
    thresholdSet: f.thresholdSet ?? THRESHOLD_SET_ID,
    thresholds: { ...THRESHOLDS },
    params: { ...SHIP_GATE_DEFAULT_PARAMS, chaosCycles: GATE_WORKLOAD.chaosCycles },
    deviations: [],
    simulated: f.simulated ?? false,
  }
}

/** Stores `<series>-r<k>` for each entry of `runs` (k from 1; an `undefined` entry leaves k absent). */
export function storeSeries(store: Store, series: string, runs: (FakeRun | undefined)[]): void {
  store.transaction(() => {
    runs.forEach((f, i) => {
      if (!f) return
      const k = i + 1
      const startedAt = f.startedAt ?? T0 + i * 4 * HOUR
      const durationMs = f.durationMs === undefined ? 14 * 60_000 : f.durationMs
      store.runs.insert({
        id: `${series}-r${k}`,
        campaign: series,
        source: 'launched',
        state: f.state ?? 'completed',
        evaluation: fakeEvaluation(f),
        params: {},
        aiMemoryRef: f.version === undefined ? 'v0.6.0' : f.version,
        aiMemoryVersion: f.version === undefined ? '0.6.0' : f.version,
        aiMemoryCommit: null,
        startedAt,
        completedAt: durationMs === null ? null : startedAt + durationMs,
        durationMs,
        contentSha256: null,
        createdAt: startedAt,
      })
      if (f.costUsd != null) store.runs.update(`${series}-r${k}`, { costUsd: f.costUsd })
    })
  })
}

/** A history in `dir` (h.sqlite) holding each series of `runs`. */
export function storeSeriesIn(dir: string, runs: Record<string, FakeRun[]>): { store: Store; db: string } {
  const db = join(dir, 'h.sqlite')
  const store = Store.open(db)
  for (const [series, list] of Object.entries(runs)) storeSeries(store, series, list)
  return { store, db }
}
