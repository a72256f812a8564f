// The domain model shared by the main process, the renderer and the CLI.
// Types only: no behaviour, no platform imports.
import type { ChaosCycleEvidence } from './evidence'
import type { GateParams, Thresholds } from './thresholds'

export const PHASES = [1, 2, 3, 4] as const
export type PhaseNumber = (typeof PHASES)[number]

/** pass | fail | error (evidence present but cannot decide) | not_run (no evidence). */
export type PhaseStatus = 'pass' | 'fail' | 'error' | 'not_run'
/** A single check never is `not_run`: a check exists only when its phase has evidence. */
export type CheckStatus = 'pass' | 'fail' | 'error'
export type RunVerdict = 'pass' | 'fail' | 'incomplete'
/** Lifecycle of a run row; independent of its verdict. */
export type RunState = 'running' | 'completed' | 'interrupted' | 'cancelled'
export type RunSource = 'import' | 'launched' | 'bundle'

export const HOST_ROLES = ['node-a', 'node-b', 'node-c', 'chaos'] as const
export type HostRole = (typeof HOST_ROLES)[number]
export const NODE_ROLES = ['node-a', 'node-b', 'node-c'] as const
export type NodeRole = (typeof NODE_ROLES)[number]

export const FAULT_CLASSES = [
  'kill_primary_mid_write',
  'partition_minority',
  'drop_random_acks',
  'clock_skew_peer',
] as const
export type FaultClass = (typeof FAULT_CLASSES)[number]

export interface Host {
  role: HostRole
  /** Display name, e.g. `aim-v0-6-0-0-final-r17-node-a`. */
  name: string
  address: string
  port: number
  user: string
}

/** Result of one check of the catalog against one subject (a node, a fault class) of a phase. */
export interface CheckResult {
  id: string
  phase: PhaseNumber
  /** node-a, node-b, node-c, a fault class, or undefined when the check is phase-wide. */
  subject?: string
  label: string
  status: CheckStatus
  /** Measured value as the report prints it, e.g. `ok=200/200 (qnm=0, fail=0)`. */
  value: string
  measured: number | null
  /** Threshold as printed, e.g. `≥ 190`. Empty for informational lines. */
  threshold: string
  thresholdValue: number | null
  metricDefinition?: string
  /** False for informational lines (the artifact's own pass flag): never part of the verdict. */
  counted: boolean
  /** Evidence fields the check read, e.g. `phase2.json#counts.b`. */
  reads: string[]
  /**
   * `stated`: the value is the figure the harness printed and could not be recomputed here (no
   * per-cycle rows, no totals); shown as "stated by the harness, not recomputed" wherever it appears.
   */
  provenance?: 'stated'
}

export type WarningCode =
  | 'self_report_mismatch'
  | 'page_cap'
  | 'degenerate_bound'
  | 'uptime_metric'
  | 'impossible_bound'
  | 'cycles_short'
  | 'err_sentinel'
  | 'evidence_fallback'
  | 'metric_definition_changed'
  | 'harness_log'
  | 'fault_unverified'
  | 'teardown'
  /** Cloud resources of the run may still exist (destroy failed or could not be verified). */
  | 'cloud_teardown'
  | 'interrupted'
  /** A fault's heal could not be verified: the host may still be faulted. */
  | 'heal_unverified'
  /** A figure stated by the harness that could not be recomputed from rows or totals. */
  | 'stated_value'
  /** Thresholds or workload sizes differ from the gate's defaults. */
  | 'weakened'
  /** The nodes ran Shipgate Lab's simulated ai-memory, not a release binary. */
  | 'simulated'

export interface RunWarning {
  code: WarningCode
  phase?: PhaseNumber
  message: string
  /** Evidence the warning rests on, e.g. `phase4.json#convergence_by_fault.partition_minority`. */
  evidence?: string
}

/** A number the report and the comparison track across runs. */
export interface Metric {
  key: string
  label: string
  value: number
  unit?: string
  definition?: string
}

export interface PhaseResult {
  phase: PhaseNumber
  status: PhaseStatus
  /** One line: why this status. */
  summary: string
  checks: CheckResult[]
  warnings: RunWarning[]
  metrics: Metric[]
  /** Artifact names the phase was judged on. */
  artifacts: string[]
  durationMs?: number
}

/** One way a run's thresholds or workload differ from the gate's defaults. */
export interface Deviation {
  key: string
  value: string
  default: string
  /** `weaker`: easier to pass than the default (a lower bound, fewer writes); `stricter`: harder. */
  direction: 'weaker' | 'stricter' | 'different'
  /** "weakened: p4BoundMin 0 (default 0.995)" */
  text: string
}

export interface RunEvaluation {
  verdict: RunVerdict
  /** One line, verdict first: "FAIL — phase 2: node-B convergence 166 < 190". */
  reason: string
  phases: PhaseResult[]
  warnings: RunWarning[]
  evaluatorVersion: string
  /** `shipgate-thresholds@1` for the defaults; anything else names how it differs. */
  thresholdSet: string
  /** The thresholds and workload the run was judged with. */
  thresholds: Thresholds
  params: GateParams
  /** How they differ from the defaults (empty for a default run). */
  deviations: Deviation[]
  /** Evidence shows the simulated ai-memory (`+shipgate-sim`): never a release certification. */
  simulated: boolean
}

/** A verdict the run had before it was judged again. */
export interface PastVerdict {
  evaluatorVersion: string
  thresholdSet: string
  verdict: RunVerdict
  reason: string
  judgedAt: number
}

export interface ArtifactInfo {
  name: string
  phase: PhaseNumber | null
  subject: string | null
  sizeBytes: number
  sha256: string
  mediaType: string
}

export interface RunSummary {
  id: string
  campaign: string
  source: RunSource
  state: RunState
  verdict: RunVerdict
  reason: string
  phaseStatuses: PhaseStatus[]
  aiMemoryRef: string | null
  aiMemoryVersion: string | null
  aiMemoryCommit: string | null
  startedAt: number | null
  completedAt: number | null
  durationMs: number | null
  warningCount: number
  costUsd: number | null
  /** The nodes ran the simulated ai-memory. */
  simulated: boolean
  /** The threshold set the run was judged with (`shipgate-thresholds@1` for the defaults). Always set by the store. */
  thresholdSet?: string
  /** Judged with easier thresholds or a smaller workload than the gate's defaults. Always set by the store. */
  weakened?: boolean
}

export interface RunDetail extends RunSummary {
  evaluation: RunEvaluation
  artifacts: ArtifactInfo[]
  params: Record<string, unknown>
  phaseTimings: { phase: PhaseNumber; startedAt: number | null; finishedAt: number | null }[]
  /** Earlier verdicts, oldest first, when the run was judged again. */
  verdictHistory: PastVerdict[]
  /** Why the run stopped early (cancel, dead-man deadline), when it did. */
  stopReason: string | null
}

/** Per-cycle chaos row of one fault class, as the engine records it and the report charts it. */
export interface ChaosCycle extends ChaosCycleEvidence {
  fault: string
}

/**
 * A chaos cycle in the shape of ship-gate's phase4-cycles.jsonl rows, up to `heal_verified`; `missing`
 * stands for a count nobody could read (`ERR` in the artifact, as ship-gate writes it; null in JSON output).
 */
export function chaosCycleRow(c: ChaosCycle, missing: 'ERR' | null): Record<string, unknown> {
  return {
    cycle: c.cycle,
    fault: c.fault,
    writes: c.writes,
    ok: c.ok,
    quorum_not_met: c.quorumNotMet,
    fail: c.fail,
    acked_held_node1: c.ackedHeld?.[0] ?? missing,
    acked_held_node2: c.ackedHeld?.[1] ?? missing,
    count_node0: c.counts[0] ?? missing,
    count_node1: c.counts[1] ?? missing,
    count_node2: c.counts[2] ?? missing,
    writes_during_fault: c.writesDuringFault,
    fault_applied_at: c.faultAppliedAt,
    fault_healed_at: c.faultHealedAt,
    converge_ms: c.convergeMs,
    converged: c.converged,
    verified: c.verified,
    heal_verified: c.healVerified,
  }
}

export interface BugNote {
  title: string
  impact: string
  rootCause: string
  fixedIn: { label: string; url: string }[]
}

/** The human (or drafted) narrative kept with a run: the seed report's upper half. */
export interface Annotation {
  headline: string
  verdictLine: string
  whatItTested: string
  whatItProved: string
  forNonTechnical: string
  forCLevel: string
  forEngineers: string
  bugs: BugNote[]
  nextRunChange: string
}

export type AnnotationSource = 'imported' | 'draft' | 'edited' | 'accepted' | 'llm-draft'

export interface AnnotationVersion {
  version: number
  source: AnnotationSource
  author: string
  createdAt: number
  annotation: Annotation
  /** For drafts: the citation behind each sentence, keyed by field. */
  citations?: Record<string, string[]>
}
