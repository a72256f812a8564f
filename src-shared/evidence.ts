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
  counts: (number | null)[]
  verified: boolean | null
  status: 'ok' | 'error'
  error?: string
}

export interface FaultEvidence {
  fault: string
  /** The bound as the artifact states it (null if absent). */
  bound: number | null
  /** Metric definition id the bound was computed under. */
  definition: string
  totals: ChaosTotals | null
  cyclesConfigured: number | null
  cyclesRecorded: number | null
  writesPerCycle: number | null
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
}
