// Normalised evidence: what the parsers in src-main/evidence produce from raw artifacts and what
// the check catalog reads. Every number is `number | null`: null means absent, unparseable or the
// harness's `ERR` sentinel; a check that needs a null value is `error`, never `pass`.

export interface Phase1Evidence {
  /** Artifact the node's evidence came from, e.g. `phase1-node-a.json`. */
  source: string
  host: string | null
  version: string | null
  selfPass: boolean | null
  statsTotal: number | null
  recallCount: number | null
  snapshotCount: number | null
  manifestCount: number | null
  mcpToolCount: number | null
  /** Curator `errors` array; null when the curator report is missing. */
  curatorErrors: string[] | null
  /** Each command of the phase with its exit code (Shipgate Lab's engine records them; ship-gate's script does not). */
  steps: { step: string; exitCode: number | null; timedOut: boolean }[] | null
}

/** The phase-1 files of a run together, for the checks that compare nodes. */
export interface Phase1Set {
  nodes: Partial<Record<'node-a' | 'node-b' | 'node-c', Phase1Evidence>>
  /** Host names the campaign gave each node, when it gave them. */
  expectedHosts: Partial<Record<'node-a' | 'node-b' | 'node-c', string>>
}

export interface Phase2Evidence {
  source: string
  selfPass: boolean | null
  totalWrites: number | null
  ok: number | null
  quorumNotMet: number | null
  fail: number | null
  counts: { a: number | null; b: number | null; c: number | null }
  /** Counts that held the `ERR` sentinel. */
  countErrors: string[]
  probe1: number | null
  probe2: number | null
  /** How counts were taken; absent in ship-gate artifacts (an unpaged list capped at 200). */
  countMethod: string | null
  settleMs: number | null
}

export interface MigrateReport {
  read: number | null
  written: number | null
  errors: string[] | null
  batches: number | null
}

export interface Phase3Evidence {
  source: string
  selfPass: boolean | null
  /** Why the phase could not test the product (a PostgreSQL without pgvector, a binary without `migrate`). */
  environmentError: string | null
  forward: MigrateReport | null
  idempotent: MigrateReport | null
  reverse: MigrateReport | null
  srcCount: number | null
  dstCount: number | null
}

export interface ChaosTotals {
  cycles: number | null
  writes: number | null
  ok: number | null
  quorumNotMet: number | null
  fail: number | null
}

export interface ChaosCycleEvidence {
  cycle: number
  ok: number | null
  writes: number | null
  quorumNotMet: number | null
  fail: number | null
  /** Memories in the cycle's namespace on node-0, -1, -2 (a diagnostic under the acknowledged-writes bound). */
  counts: (number | null)[]
  /** Of the writes acknowledged with 201 in the cycle, how many node-1 and node-2 hold (by title). */
  ackedHeld: [number | null, number | null] | null
  /** Writes attempted while the fault was in force; a cycle with none did not test the fault. */
  writesDuringFault: number | null
  verified: boolean | null
  /** The heal (for faults with a window) was verified: the host is no longer faulted. */
  healVerified: boolean | null
  status: 'ok' | 'error'
  error?: string
  /** Unix ms; absent in ship-gate's rows. */
  faultAppliedAt: number | null
  faultHealedAt: number | null
  convergeMs: number | null
  converged: boolean | null
}

export interface FaultEvidence {
  fault: string
  /** The bound as the artifact states it (null if absent). */
  bound: number | null
  /** Metric definition id the bound was computed under. */
  definition: string
  totals: ChaosTotals | null
  cyclesConfigured: number | null
  /** Cycles the artifact says it recorded (`cycles_recorded_by_fault`); the rows win when both exist. */
  cyclesRecorded: number | null
  writesPerCycle: number | null
  /** Per-cycle rows: the truth wherever they exist. */
  cycles: ChaosCycleEvidence[]
  /** Why the fault class produced no usable bound (timeout, harness FATAL, injection impossible). */
  error: string | null
}

export interface Phase4Evidence {
  source: string
  /** `json` for a phase-4 JSON object, `log` when only a harness log was found. */
  form: 'json' | 'log'
  selfPass: boolean | null
  cyclesPerFault: number | null
  writesPerCycle: number | null
  faults: FaultEvidence[]
  topology: string | null
  /** Set when the engine stopped before the end of the phase. */
  aborted: string | null
  /** Why the per-cycle rows cannot be read (a bad JSONL line, rows that disagree between files). */
  rowsError: string | null
  /** Where the rows came from. */
  rowsSource: 'phase4-cycles.jsonl' | 'cycles_by_fault' | null
}
