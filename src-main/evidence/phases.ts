// Phase JSON objects → normalised evidence. Pure and lenient about types, strict about identity:
// an object whose `phase` field is not the phase it stands for is rejected.
import type { PhaseNumber } from '@shared/domain'
import type {
  ChaosCycleEvidence,
  FaultEvidence,
  MigrateReport,
  Phase1Evidence,
  Phase2Evidence,
  Phase3Evidence,
  Phase4Evidence,
} from '@shared/evidence'
import { floor3 } from '@shared/catalog'
import type { HarnessFaultBlock } from './harness-log'
import { bool, get, isErrSentinel, isRecord, num, str, strList } from './normalize'

export const DEFAULT_CHAOS_DEFINITION = 'chaos.bound.surviving-peers@1'
export const UPTIME_DEFINITION = 'chaos.bound.uptime@0'
export const DEFAULT_P2_COUNT_METHOD = 'p2.count.unpaged-list@1'

export function phaseIdentityError(obj: Record<string, unknown>, phase: PhaseNumber): string | null {
  const declared = num(obj.phase)
  if (declared === phase) return null
  if (declared === null) return `not the phase-${phase} JSON object (no "phase" field)`
  return `not the phase-${phase} JSON object ("phase": ${declared})`
}

export function parsePhase1(obj: Record<string, unknown>, source: string): Phase1Evidence {
  const curator = obj.curator
  return {
    source,
    host: str(obj.host),
    version: str(obj.version),
    selfPass: bool(obj.pass),
    statsTotal: num(get(obj, 'stats.total')),
    recallCount: num(obj.recall_count),
    snapshotCount: num(obj.snapshot_count),
    manifestCount: num(obj.manifest_count),
    mcpToolCount: num(obj.mcp_tool_count),
    curatorErrors: isRecord(curator) ? strList(curator.errors) : null,
    steps: Array.isArray(obj.steps)
      ? obj.steps.filter(isRecord).map((st) => ({ step: str(st.step) ?? '?', exitCode: num(st.exit_code), timedOut: st.timed_out === true }))
      : null,
  }
}

export function parsePhase2(obj: Record<string, unknown>, source: string): Phase2Evidence {
  const counts = isRecord(obj.counts) ? obj.counts : {}
  const countErrors = (['a', 'b', 'c'] as const).filter((k) => isErrSentinel(counts[k]))
  return {
    source,
    selfPass: bool(obj.pass),
    totalWrites: num(obj.total_writes),
    ok: num(obj.ok),
    quorumNotMet: num(obj.quorum_not_met),
    fail: num(obj.fail),
    counts: { a: num(counts.a), b: num(counts.b), c: num(counts.c) },
    countErrors,
    probe1: num(obj.probe1_single_peer_down),
    probe2: num(obj.probe2_both_peers_down),
    countMethod: str(obj.count_method) ?? DEFAULT_P2_COUNT_METHOD,
    settleMs: num(obj.settle_ms),
  }
}

function migrateReport(v: unknown): MigrateReport | null {
  if (!isRecord(v)) return null
  const errors = Array.isArray(v.errors) ? v.errors.map((e) => (typeof e === 'string' ? e : JSON.stringify(e))) : null
  return { read: num(v.memories_read), written: num(v.memories_written), errors, batches: num(v.batches) }
}

export function parsePhase3(obj: Record<string, unknown>, source: string): Phase3Evidence {
  return {
    source,
    selfPass: bool(obj.pass),
    environmentError: str(obj.environment_error),
    forward: migrateReport(obj.report_forward),
    idempotent: migrateReport(obj.report_idempotent),
    reverse: migrateReport(obj.report_reverse),
    srcCount: num(obj.src_count),
    dstCount: num(obj.dst_count),
  }
}

/** A per-cycle row as run-chaos.sh's JSONL, ship-gate's `cycles_by_fault` and Shipgate Lab's engine print it. */
export function parseCycleRow(v: unknown): ChaosCycleEvidence | null {
  if (!isRecord(v)) return null
  const cycle = num(v.cycle)
  if (cycle === null) return null
  const error = str(v.error)
  const held1 = v.acked_held_node1
  const held2 = v.acked_held_node2
  const time = (x: unknown) => (typeof x === 'number' ? x : typeof x === 'string' ? Date.parse(x) || null : null)
  return {
    cycle,
    ok: num(v.ok),
    writes: num(v.writes),
    quorumNotMet: num(v.quorum_not_met),
    fail: num(v.fail),
    counts: [v.count_node0, v.count_node1, v.count_node2].map(num),
    ackedHeld: held1 === undefined && held2 === undefined ? null : [num(held1), num(held2)],
    writesDuringFault: num(v.writes_during_fault),
    verified: bool(v.verified),
    healVerified: bool(v.heal_verified),
    status: error || str(v.status) === 'error' ? 'error' : 'ok',
    ...(error ? { error } : {}),
    faultAppliedAt: time(v.fault_applied_at),
    faultHealedAt: time(v.fault_healed_at),
    convergeMs: num(v.converge_ms),
    converged: bool(v.converged),
  }
}

/** Per-cycle rows as an artifact gives them: from phase4-cycles.jsonl (read strictly) or `cycles_by_fault`. */
export interface CycleRows {
  byFault: Map<string, unknown[]>
  source: 'phase4-cycles.jsonl' | 'cycles_by_fault' | null
  error: string | null
}

function rowsByFault(rows: Record<string, unknown>[]): Map<string, unknown[]> {
  const out = new Map<string, unknown[]>()
  for (const row of rows) {
    const fault = str(row.fault)
    if (fault) out.set(fault, [...(out.get(fault) ?? []), row])
  }
  return out
}

/** The comparable content of a row: what the bound and the cycle checks read. */
function rowKey(v: unknown): string {
  const r = parseCycleRow(v)
  return r ? JSON.stringify([r.cycle, r.ok, r.counts, r.ackedHeld, r.status, r.verified, r.healVerified, r.writesDuringFault]) : 'unreadable'
}

/**
 * The rows of a phase-4 artifact. The JSONL wins when both exist, and both must agree: rows that
 * differ between the two files make them unusable rather than letting either one decide.
 */
export function cycleRows(obj: Record<string, unknown>, jsonl: { rows: Record<string, unknown>[] } | { error: string } | null): CycleRows {
  const found = collectCycleRows(obj, jsonl)
  for (const [fault, rows] of found.byFault) {
    const bad = rows.findIndex((r) => parseCycleRow(r) === null)
    if (bad >= 0 && !found.error) return { ...found, error: `${found.source ?? 'the rows'}: row ${bad + 1} of ${fault} has no cycle number` }
  }
  return found
}

function collectCycleRows(obj: Record<string, unknown>, jsonl: { rows: Record<string, unknown>[] } | { error: string } | null): CycleRows {
  const inJson = new Map<string, unknown[]>()
  if (isRecord(obj.cycles_by_fault)) for (const [fault, rows] of Object.entries(obj.cycles_by_fault)) if (Array.isArray(rows)) inJson.set(fault, rows)
  if (jsonl && 'error' in jsonl) return { byFault: new Map(), source: 'phase4-cycles.jsonl', error: jsonl.error }
  if (!jsonl) return { byFault: inJson, source: inJson.size ? 'cycles_by_fault' : null, error: null }
  const fromJsonl = rowsByFault(jsonl.rows)
  const unfaulted = jsonl.rows.length - [...fromJsonl.values()].reduce((n, r) => n + r.length, 0)
  if (unfaulted > 0) return { byFault: fromJsonl, source: 'phase4-cycles.jsonl', error: `phase4-cycles.jsonl has ${unfaulted} row(s) without a fault class` }
  for (const [fault, rows] of inJson) {
    const other = fromJsonl.get(fault) ?? []
    const same = rows.length === other.length && rows.every((r, i) => rowKey(r) === rowKey(other[i]))
    if (!same) return { byFault: fromJsonl, source: 'phase4-cycles.jsonl', error: `phase4.json and phase4-cycles.jsonl disagree on the ${fault} rows (${rows.length} vs ${other.length} rows)` }
  }
  return { byFault: fromJsonl, source: fromJsonl.size ? 'phase4-cycles.jsonl' : inJson.size ? 'cycles_by_fault' : null, error: null }
}

export function parsePhase4Json(obj: Record<string, unknown>, source: string, rows: CycleRows = { byFault: new Map(), source: null, error: null }): Phase4Evidence {
  const byFault = isRecord(obj.convergence_by_fault) ? obj.convergence_by_fault : {}
  const faultErrors = isRecord(obj.fault_errors) ? obj.fault_errors : {}
  const recorded = isRecord(obj.cycles_recorded_by_fault) ? obj.cycles_recorded_by_fault : {}
  const totals = isRecord(obj.totals_by_fault) ? obj.totals_by_fault : {}
  const definition = str(obj.metric_definition) ?? DEFAULT_CHAOS_DEFINITION
  const cyclesPerFault = num(obj.cycles_per_fault)
  const writesPerCycle = num(obj.writes_per_cycle)

  const names = new Set<string>([...Object.keys(byFault), ...Object.keys(faultErrors), ...rows.byFault.keys()])
  const faults: FaultEvidence[] = [...names].map((fault) => {
    const cycles = (rows.byFault.get(fault) ?? []).map(parseCycleRow).filter((r): r is ChaosCycleEvidence => r !== null)
    const t = isRecord(totals[fault]) ? (totals[fault] as Record<string, unknown>) : null
    return {
      fault,
      bound: num(byFault[fault]),
      definition,
      totals: t
        ? { cycles: num(t.cycles), writes: num(t.writes), ok: num(t.ok), quorumNotMet: num(t.quorum_not_met), fail: num(t.fail) }
        : null,
      cyclesConfigured: cyclesPerFault,
      cyclesRecorded: num(recorded[fault]),
      writesPerCycle,
      cycles,
      error: str(faultErrors[fault]),
    }
  })
  return {
    source,
    form: 'json',
    selfPass: bool(obj.pass),
    cyclesPerFault,
    writesPerCycle,
    faults,
    topology: str(obj.topology),
    aborted: str(obj.error),
    rowsError: rows.error,
    rowsSource: rows.source,
  }
}

/** Phase-4 evidence from a harness log: shown, with a metric definition inferred from arithmetic. */
export function phase4FromLog(blocks: HarnessFaultBlock[], source: string): Phase4Evidence {
  const faults: FaultEvidence[] = blocks.map((b) => {
    const s = b.summary
    let definition = DEFAULT_CHAOS_DEFINITION
    // run-chaos.sh before PR #312 printed floor(Σok/Σwrites): recognise it by its arithmetic.
    if (s && s.totalOk !== null && s.totalWrites && s.convergenceBound !== null && s.totalOk !== s.totalWrites) {
      if (floor3(s.totalOk / s.totalWrites) === s.convergenceBound) definition = UPTIME_DEFINITION
    }
    let error: string | null = null
    if (b.fatal) error = `harness aborted at cycle ${b.cyclesStarted} of ${b.cyclesConfigured ?? '?'}: ${b.fatal}`
    else if (!s) error = `no summary printed (log ends after cycle ${b.cyclesStarted} of ${b.cyclesConfigured ?? '?'})`
    return {
      fault: b.fault,
      bound: s?.convergenceBound ?? null,
      definition,
      totals: s ? { cycles: s.totalCycles, writes: s.totalWrites, ok: s.totalOk, quorumNotMet: s.totalQuorumNotMet, fail: s.totalFail } : null,
      cyclesConfigured: b.cyclesConfigured,
      cyclesRecorded: s?.totalCycles ?? b.cyclesStarted,
      writesPerCycle: b.writesPerCycle,
      cycles: [],
      error,
    }
  })
  const first = blocks[0]
  return {
    source,
    form: 'log',
    selfPass: null,
    cyclesPerFault: first?.cyclesConfigured ?? null,
    writesPerCycle: first?.writesPerCycle ?? null,
    faults,
    topology: 'harness',
    aborted: null,
    rowsError: null,
    rowsSource: null,
  }
}
