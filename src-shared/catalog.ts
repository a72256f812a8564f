// The check catalog: every check of the four phases, defined once. Labels and value texts follow
// the ship-gate run page engineers already read; thresholds are data (THRESHOLDS below) and the
// metric each check reads is named by a versioned definition id, so a change of definition shows
// up in comparisons instead of passing silently.
import type { CheckStatus, PhaseNumber } from './domain'
import type {
  FaultEvidence,
  MigrateReport,
  Phase1Evidence,
  Phase2Evidence,
  Phase3Evidence,
  Phase4Evidence,
} from './evidence'

export const THRESHOLD_SET_ID = 'shipgate-thresholds@1'

/** Every threshold of the gate, in one place. A campaign file may override any of them. */
export interface Thresholds {
  p1StatsTotalMin: number
  p1RecallMin: number
  /** `backup --keep 1` must leave exactly one snapshot and one manifest. */
  p1SnapshotCount: number
  p1ManifestCount: number
  p1McpToolsMin: number
  /** Curator errors that do not count (no LLM on the droplets). */
  p1CuratorAcceptedErrors: string[]
  /** Each node must hold at least floor(ok × percent / 100) of the burst. */
  p2ConvergencePercent: number
  p2Probe1Code: number
  p2Probe2Code: number
  p4BoundMin: number
}

export const THRESHOLDS: Readonly<Thresholds> = Object.freeze({
  p1StatsTotalMin: 1,
  p1RecallMin: 1,
  p1SnapshotCount: 1,
  p1ManifestCount: 1,
  p1McpToolsMin: 30,
  p1CuratorAcceptedErrors: ['no LLM client configured'],
  p2ConvergencePercent: 95,
  p2Probe1Code: 201,
  p2Probe2Code: 503,
  p4BoundMin: 0.995,
})

/** The workload a run was configured with; imported ship-gate runs use ship-gate's defaults. */
export interface GateParams {
  agents: number
  writesPerAgent: number
  phase3Memories: number
  chaosCycles: number | null
  chaosWritesPerCycle: number | null
}

export const SHIP_GATE_DEFAULT_PARAMS: Readonly<GateParams> = Object.freeze({
  agents: 4,
  writesPerAgent: 50,
  phase3Memories: 1000,
  chaosCycles: null,
  chaosWritesPerCycle: null,
})

/** Server-side page sizes of `GET /api/v1/memories` in ai-memory v0.6.0 (default, max). */
export const API_PAGE_CAPS = [20, 200] as const

export interface MetricDefinition {
  id: string
  metric: string
  formula: string
  origin: string
  /** False when the definition is known not to measure what its name says. */
  trustworthy: boolean
}

export const METRIC_DEFINITIONS: Record<string, MetricDefinition> = {
  'p2.count.unpaged-list@1': {
    id: 'p2.count.unpaged-list@1',
    metric: 'phase-2 convergence count',
    formula: 'GET /api/v1/memories?namespace=ship-gate-phase2&limit=1000 → .memories|length (the server clamps limit to 200)',
    origin: 'ship-gate phase2_multiagent.sh',
    trustworthy: true,
  },
  'p2.count.paged@2': {
    id: 'p2.count.paged@2',
    metric: 'phase-2 convergence count',
    formula: 'GET /api/v1/memories?namespace=…&limit=200&offset=k, paged until a short page',
    origin: 'Shipgate Lab phase-2 engine',
    trustworthy: true,
  },
  'chaos.bound.uptime@0': {
    id: 'chaos.bound.uptime@0',
    metric: 'convergence_bound',
    formula: 'floor(Σok / Σwrites × 1000) / 1000: the share of writes acknowledged, i.e. uptime, not convergence',
    origin: 'run-chaos.sh before ai-memory-mcp PR #312',
    trustworthy: false,
  },
  'chaos.bound.surviving-peers@1': {
    id: 'chaos.bound.surviving-peers@1',
    metric: 'convergence_bound',
    formula: 'floor(Σ min(count_node1, count_node2) / Σok × 1000) / 1000; counts from an unpaged list (≤ 20 rows); 1 when Σok = 0',
    origin: 'run-chaos.sh after ai-memory-mcp PR #312',
    trustworthy: true,
  },
  'chaos.bound.surviving-peers@2': {
    id: 'chaos.bound.surviving-peers@2',
    metric: 'convergence_bound',
    formula: 'Σ min(count_node1, count_node2) / Σok over all cycles; counts paged to completion; Σok = 0 is an error',
    origin: 'Shipgate Lab phase-4 engine',
    trustworthy: true,
  },
}

export interface CheckContext {
  thresholds: Thresholds
  params: GateParams
}

export interface CheckOutcome {
  status: CheckStatus
  measured: number | null
  value: string
  threshold: string
  thresholdValue: number | null
  /** Short reason used in verdict lines, e.g. `node-B 166 < 190`. */
  brief: string
}

export interface CheckSpec<E> {
  id: string
  phase: PhaseNumber
  label: (ctx: CheckContext, subject?: string) => string
  /** What the check proves and how it is computed, for the report and the catalog listing. */
  computes: string
  reads: string[]
  metricDefinition?: string
  /** Informational lines (the artifact's own pass flag) never enter the verdict. */
  counted: boolean
  evaluate: (ev: E, ctx: CheckContext, subject?: string) => CheckOutcome
}

// ---- helpers -------------------------------------------------------------------------------

function missing(what: string, threshold: string, thresholdValue: number | null = null): CheckOutcome {
  return { status: 'error', measured: null, value: `${what} missing`, threshold, thresholdValue, brief: `${what} missing` }
}

function atLeast(n: number | null, min: number, value: (n: number) => string, what: string): CheckOutcome {
  const threshold = `≥ ${min}`
  if (n === null) return missing(what, threshold, min)
  const ok = n >= min
  return { status: ok ? 'pass' : 'fail', measured: n, value: value(n), threshold, thresholdValue: min, brief: `${what} ${n} ${ok ? '≥' : '<'} ${min}` }
}

function exactly(n: number | null, want: number, value: (n: number) => string, what: string): CheckOutcome {
  const threshold = `= ${want}`
  if (n === null) return missing(what, threshold, want)
  const ok = n === want
  return { status: ok ? 'pass' : 'fail', measured: n, value: value(n), threshold, thresholdValue: want, brief: `${what} ${n} ${ok ? '=' : '≠'} ${want}` }
}

function reportedFlag(selfPass: boolean | null): CheckOutcome {
  const value = selfPass === null ? 'no pass flag in the artifact' : `artifact says ${selfPass ? 'pass' : 'fail'} (not counted)`
  return {
    status: selfPass === true ? 'pass' : selfPass === false ? 'fail' : 'error',
    measured: selfPass === null ? null : selfPass ? 1 : 0,
    value,
    threshold: '',
    thresholdValue: null,
    brief: value,
  }
}

export function nodeLetter(role: string): 'a' | 'b' | 'c' {
  const letter = role.slice(-1).toLowerCase()
  if (letter === 'a' || letter === 'b' || letter === 'c') return letter
  throw new Error(`not a node role: ${role}`)
}

export function migrateErrors(r: MigrateReport | null): number | null {
  return r?.errors ? r.errors.length : null
}

/** Floor to three decimals, as run-chaos.sh prints the bound. */
export function floor3(x: number): number {
  return Math.floor(x * 1000 + 1e-9) / 1000
}

/**
 * The convergence bound of one fault class, recomputed from per-cycle rows when the artifact has
 * them (never trusting the stated figure), else as stated.
 */
export function faultBound(f: FaultEvidence): { bound: number | null; sumMin: number | null; sumOk: number | null } {
  const rows = f.cycles.filter((c) => c.status === 'ok')
  if (f.cycles.length > 0) {
    let sumMin = 0
    let sumOk = 0
    for (const c of rows) {
      const survivors = c.counts.slice(1)
      if (c.ok === null || survivors.length < 2 || survivors.some((n) => n === null)) return { bound: null, sumMin: null, sumOk: null }
      sumMin += Math.min(...(survivors as number[]))
      sumOk += c.ok
    }
    return { bound: sumOk === 0 ? null : sumMin / sumOk, sumMin, sumOk }
  }
  return { bound: f.bound, sumMin: null, sumOk: f.totals?.ok ?? null }
}

// ---- phase 1 ---------------------------------------------------------------------------------

export const PHASE1_CHECKS: CheckSpec<Phase1Evidence>[] = [
  {
    id: 'p1.stats_total',
    phase: 1,
    label: ({ thresholds: t }) => `Stats total ≥ ${t.p1StatsTotalMin} (store + list + stats round-trip)`,
    computes: '`ai-memory stats --json` .total after one `store`',
    reads: ['stats.total'],
    counted: true,
    evaluate: (e, c) => atLeast(e.statsTotal, c.thresholds.p1StatsTotalMin, (n) => `${n} memories`, 'stats.total'),
  },
  {
    id: 'p1.recall',
    phase: 1,
    label: ({ thresholds: t }) => `Recall returned ≥ ${t.p1RecallMin} hit`,
    computes: '`ai-memory recall … --limit 5 --json` .memories|length',
    reads: ['recall_count'],
    counted: true,
    evaluate: (e, c) => atLeast(e.recallCount, c.thresholds.p1RecallMin, (n) => `${n} hits`, 'recall'),
  },
  {
    id: 'p1.snapshot',
    phase: 1,
    label: () => 'Backup snapshot file emitted',
    computes: 'number of `ai-memory-*.db` files after `backup --keep 1` (exactly one)',
    reads: ['snapshot_count'],
    counted: true,
    evaluate: (e, c) => exactly(e.snapshotCount, c.thresholds.p1SnapshotCount, (n) => `${n} snapshot(s)`, 'snapshots'),
  },
  {
    id: 'p1.manifest',
    phase: 1,
    label: () => 'Backup manifest file emitted',
    computes: 'number of `ai-memory-*.manifest.json` files after `backup --keep 1` (exactly one)',
    reads: ['manifest_count'],
    counted: true,
    evaluate: (e, c) => exactly(e.manifestCount, c.thresholds.p1ManifestCount, (n) => `${n} manifest(s)`, 'manifests'),
  },
  {
    id: 'p1.mcp_tools',
    phase: 1,
    label: ({ thresholds: t }) => `MCP handshake advertises ≥ ${t.p1McpToolsMin} tools`,
    computes: 'MCP `initialize` then `tools/list` over stdio: .result.tools|length',
    reads: ['mcp_tool_count'],
    counted: true,
    evaluate: (e, c) => atLeast(e.mcpToolCount, c.thresholds.p1McpToolsMin, (n) => `${n} tools`, 'MCP tools'),
  },
  {
    id: 'p1.curator',
    phase: 1,
    label: () => 'Curator dry-run clean (Ollama-not-configured is accepted)',
    computes: '`ai-memory curator --once --dry-run --json` .errors, excluding the accepted "no LLM client configured"',
    reads: ['curator.errors'],
    counted: true,
    evaluate: (e, c) => {
      if (e.curatorErrors === null) return missing('curator report', '0 other errors', 0)
      const accepted = new Set(c.thresholds.p1CuratorAcceptedErrors)
      const other = e.curatorErrors.filter((x) => !accepted.has(x))
      const ok = other.length === 0
      return {
        status: ok ? 'pass' : 'fail',
        measured: other.length,
        value: `${e.curatorErrors.length} errors${ok ? '' : ` (${other.length} not accepted: ${other.join('; ')})`}`,
        threshold: '0 other errors',
        thresholdValue: 0,
        brief: ok ? 'curator clean' : `curator errors: ${other.join('; ')}`,
      }
    },
  },
  {
    id: 'p1.reported',
    phase: 1,
    label: () => 'Overall phase-1 pass flag',
    computes: "the artifact's own `pass` field; shown, never trusted",
    reads: ['pass'],
    counted: false,
    evaluate: (e) => reportedFlag(e.selfPass),
  },
]

// ---- phase 2 ---------------------------------------------------------------------------------

function convergenceThreshold(ok: number, percent: number): number {
  return Math.floor((ok * percent) / 100)
}

export const PHASE2_CHECKS: CheckSpec<Phase2Evidence>[] = [
  {
    id: 'p2.burst',
    phase: 2,
    label: () => 'Burst writes returned 201',
    computes: 'HTTP codes of the burst (agents × writes per agent): every write must return 201',
    reads: ['ok', 'total_writes', 'quorum_not_met', 'fail'],
    counted: true,
    evaluate: (e, c) => {
      const expected = c.params.agents * c.params.writesPerAgent
      if (e.ok === null || e.totalWrites === null) return missing('burst tally', `= ${expected}`, expected)
      const value = `ok=${e.ok}/${e.totalWrites} (qnm=${e.quorumNotMet ?? '?'}, fail=${e.fail ?? '?'})`
      const wrongSize = e.totalWrites !== expected
      const ok = !wrongSize && e.ok === e.totalWrites
      return {
        status: ok ? 'pass' : 'fail',
        measured: e.ok,
        value: wrongSize ? `${value}; ${expected} writes were configured` : value,
        threshold: `= ${expected}`,
        thresholdValue: expected,
        brief: ok ? value : wrongSize ? `burst ran ${e.totalWrites} writes, ${expected} configured` : `burst ${value}`,
      }
    },
  },
  {
    id: 'p2.convergence',
    phase: 2,
    label: ({ thresholds: t }, subject) => `node-${(subject ?? '?').slice(-1).toUpperCase()} convergence ≥ ${t.p2ConvergencePercent}% of ok`,
    computes: 'memories in the phase-2 namespace on the node after settling, against floor(ok × percent / 100)',
    reads: ['counts.a', 'counts.b', 'counts.c', 'ok'],
    metricDefinition: 'p2.count',
    counted: true,
    evaluate: (e, c, subject) => {
      const letter = nodeLetter(subject ?? '')
      const count = e.counts[letter]
      if (e.ok === null) return missing('ok', `≥ ${c.thresholds.p2ConvergencePercent}% of ok`)
      const min = convergenceThreshold(e.ok, c.thresholds.p2ConvergencePercent)
      if (count === null) {
        const err = e.countErrors.includes(letter)
        return { ...missing(`count ${letter}`, `≥ ${min}`, min), value: err ? `${letter}=ERR / threshold ${min}` : `${letter} missing / threshold ${min}` }
      }
      const ok = count >= min
      return {
        status: ok ? 'pass' : 'fail',
        measured: count,
        value: `${letter}=${count} / threshold ${min}`,
        threshold: `≥ ${min}`,
        thresholdValue: min,
        brief: `node-${letter.toUpperCase()} ${count} ${ok ? '≥' : '<'} ${min}`,
      }
    },
  },
  {
    id: 'p2.probe1',
    phase: 2,
    label: ({ thresholds: t }) => `Probe 1: one peer down → ${t.p2Probe1Code} (quorum met via remaining peer)`,
    computes: 'HTTP code of a write to node-a with node-b stopped',
    reads: ['probe1_single_peer_down'],
    counted: true,
    evaluate: (e, c) => probe(e.probe1, c.thresholds.p2Probe1Code, 'probe 1'),
  },
  {
    id: 'p2.probe2',
    phase: 2,
    label: ({ thresholds: t }) => `Probe 2: both peers down → ${t.p2Probe2Code} (quorum_not_met)`,
    computes: 'HTTP code of a write to node-a with node-b and node-c stopped',
    reads: ['probe2_both_peers_down'],
    counted: true,
    evaluate: (e, c) => probe(e.probe2, c.thresholds.p2Probe2Code, 'probe 2'),
  },
  {
    id: 'p2.reported',
    phase: 2,
    label: () => 'Overall phase-2 pass flag',
    computes: "the artifact's own `pass` field; shown, never trusted",
    reads: ['pass'],
    counted: false,
    evaluate: (e) => reportedFlag(e.selfPass),
  },
]

function probe(code: number | null, want: number, what: string): CheckOutcome {
  if (code === null) return missing(what, `= ${want}`, want)
  const ok = code === want
  return { status: ok ? 'pass' : 'fail', measured: code, value: `got ${code}`, threshold: `= ${want}`, thresholdValue: want, brief: `${what} got ${code}, expected ${want}` }
}

// ---- phase 3 ---------------------------------------------------------------------------------

export const PHASE3_CHECKS: CheckSpec<Phase3Evidence>[] = [
  {
    id: 'p3.src_count',
    phase: 3,
    label: ({ params }) => `Source SQLite has ${params.phase3Memories} seed memories`,
    computes: '`ai-memory stats --json` .total on the seeded SQLite source',
    reads: ['src_count'],
    counted: true,
    evaluate: (e, c) => exactly(e.srcCount, c.params.phase3Memories, (n) => `src_count=${n}`, 'src_count'),
  },
  {
    id: 'p3.dst_count',
    phase: 3,
    label: ({ params }) => `Destination after reverse roundtrip has ${params.phase3Memories} memories`,
    computes: '`ai-memory stats --json` .total on the SQLite written back from Postgres',
    reads: ['dst_count'],
    counted: true,
    evaluate: (e, c) => exactly(e.dstCount, c.params.phase3Memories, (n) => `dst_count=${n}`, 'dst_count'),
  },
  {
    id: 'p3.forward_errors',
    phase: 3,
    label: () => 'Forward migration SQLite → Postgres: errors=0',
    computes: '`ai-memory migrate --from sqlite://… --to postgres://…` report .errors|length',
    reads: ['report_forward.errors'],
    counted: true,
    evaluate: (e) => exactly(migrateErrors(e.forward), 0, (n) => `errors=${n}`, 'forward errors'),
  },
  {
    id: 'p3.forward_counts',
    phase: 3,
    label: () => 'Forward migration read and wrote every seed memory',
    computes: 'forward report .memories_read and .memories_written against the seed size',
    reads: ['report_forward.memories_read', 'report_forward.memories_written'],
    counted: true,
    evaluate: (e, c) => {
      const want = c.params.phase3Memories
      const r = e.forward
      if (!r || r.read === null || r.written === null) return missing('forward report', `= ${want}`, want)
      const ok = r.read === want && r.written === want
      return {
        status: ok ? 'pass' : 'fail',
        measured: Math.min(r.read, r.written),
        value: `read=${r.read} written=${r.written}`,
        threshold: `= ${want}`,
        thresholdValue: want,
        brief: `forward read=${r.read} written=${r.written}, expected ${want}`,
      }
    },
  },
  {
    id: 'p3.idempotent',
    phase: 3,
    label: () => 'Idempotent re-run is a no-op',
    computes: 'the same forward migration again: every row upserted (written = seed size) with no error',
    reads: ['report_idempotent.memories_written', 'report_idempotent.errors'],
    counted: true,
    evaluate: (e, c) => {
      const want = c.params.phase3Memories
      const r = e.idempotent
      if (!r || r.written === null || r.errors === null) return missing('idempotent report', `= ${want}`, want)
      const ok = r.written === want && r.errors.length === 0
      const value = `writes=${r.written}${r.errors.length ? ` errors=${r.errors.length}` : ''}`
      return { status: ok ? 'pass' : 'fail', measured: r.written, value, threshold: `= ${want}, errors=0`, thresholdValue: want, brief: `idempotent re-run ${value}` }
    },
  },
  {
    id: 'p3.reverse_errors',
    phase: 3,
    label: () => 'Reverse migration Postgres → SQLite: errors=0',
    computes: '`ai-memory migrate --from postgres://… --to sqlite://…` report .errors|length',
    reads: ['report_reverse.errors'],
    counted: true,
    evaluate: (e) => exactly(migrateErrors(e.reverse), 0, (n) => `errors=${n}`, 'reverse errors'),
  },
  {
    id: 'p3.reported',
    phase: 3,
    label: () => 'Overall phase-3 pass flag',
    computes: "the artifact's own `pass` field; shown, never trusted",
    reads: ['pass'],
    counted: false,
    evaluate: (e) => reportedFlag(e.selfPass),
  },
]

// ---- phase 4 ---------------------------------------------------------------------------------

/** Per-fault checks; `subject` is the fault class. */
export const PHASE4_FAULT_CHECKS: CheckSpec<FaultEvidence>[] = [
  {
    id: 'p4.bound',
    phase: 4,
    label: ({ thresholds: t }) => `Convergence bound ≥ ${t.p4BoundMin}`,
    computes: 'Σ min(count_node1, count_node2) / Σok over the cycles of the fault class',
    reads: ['convergence_by_fault', 'cycles_by_fault.ok', 'cycles_by_fault.count_node1', 'cycles_by_fault.count_node2'],
    metricDefinition: 'chaos.bound',
    counted: true,
    evaluate: (f, c) => {
      const min = c.thresholds.p4BoundMin
      const threshold = `≥ ${min}`
      const def = METRIC_DEFINITIONS[f.definition]
      const { bound, sumMin, sumOk } = faultBound(f)
      const detail = sumMin !== null && sumOk !== null ? ` (Σmin=${sumMin} / Σok=${sumOk})` : ''
      if (f.error) return { status: 'error', measured: bound, value: f.bound === null ? f.error : `${f.bound}: ${f.error}`, threshold, thresholdValue: min, brief: `${f.fault}: ${f.error}` }
      if (sumOk === 0) return { status: 'error', measured: null, value: `no acknowledged writes (Σok=0)`, threshold, thresholdValue: min, brief: `${f.fault}: no acknowledged writes, bound undefined` }
      if (bound === null) return { status: 'error', measured: null, value: 'metric unavailable', threshold, thresholdValue: min, brief: `${f.fault}: metric unavailable` }
      if (def && !def.trustworthy) {
        return { status: 'error', measured: bound, value: `${bound} under ${def.id}, which measures uptime, not convergence`, threshold, thresholdValue: min, brief: `${f.fault}: ${bound} is an uptime figure, not a convergence bound` }
      }
      if (bound > 1) {
        return { status: 'error', measured: bound, value: `${bound}${detail}: impossible (> 1)`, threshold, thresholdValue: min, brief: `${f.fault}: impossible bound ${bound}` }
      }
      const shown = Number.isInteger(bound) ? String(bound) : String(Number(bound.toFixed(4)))
      const ok = bound >= min
      return { status: ok ? 'pass' : 'fail', measured: bound, value: `${shown}${detail}`, threshold, thresholdValue: min, brief: `${f.fault} bound ${shown} ${ok ? '≥' : '<'} ${min}` }
    },
  },
  {
    id: 'p4.cycles',
    phase: 4,
    label: () => 'Every configured cycle recorded',
    computes: 'cycles with a result row against the cycles configured for the fault class',
    reads: ['cycles_per_fault', 'cycles_by_fault'],
    counted: true,
    evaluate: (f) => {
      const want = f.cyclesConfigured
      const got = f.cyclesRecorded
      if (want === null || got === null) return missing('cycle count', want === null ? '' : `= ${want}`, want)
      const errored = f.cycles.filter((c) => c.status === 'error').length
      const ok = got === want && errored === 0
      const value = `${got}/${want} cycles${errored ? `, ${errored} in error` : ''}`
      return { status: ok ? 'pass' : 'error', measured: got, value, threshold: `= ${want}`, thresholdValue: want, brief: `${f.fault}: ${value}` }
    },
  },
  {
    id: 'p4.verified',
    phase: 4,
    label: () => 'Every injected fault verified to have taken effect',
    computes: 'per cycle: process really gone / stopped, port really unreachable, clock really skewed',
    reads: ['cycles_by_fault.verified'],
    counted: true,
    evaluate: (f) => {
      const rows = f.cycles
      if (rows.length === 0) return missing('verification', 'all cycles')
      const verified = rows.filter((c) => c.verified === true).length
      const ok = verified === rows.length
      return { status: ok ? 'pass' : 'error', measured: verified, value: `${verified}/${rows.length} verified`, threshold: 'all cycles', thresholdValue: rows.length, brief: `${f.fault}: ${verified}/${rows.length} faults verified` }
    },
  },
]

export const PHASE4_CHECKS: CheckSpec<Phase4Evidence>[] = [
  {
    id: 'p4.parsed',
    phase: 4,
    label: () => 'phase4.json parsed as the phase-4 JSON object',
    computes: 'the artifact is the phase-4 JSON object, not a harness log',
    reads: ['phase4.json'],
    counted: true,
    evaluate: (e) =>
      e.form === 'json'
        ? { status: 'pass', measured: 1, value: 'JSON object', threshold: '', thresholdValue: null, brief: 'parsed' }
        : {
            status: 'error',
            measured: 0,
            value: 'phase4.json did not parse as JSON: the chaos-harness summary never wrote cleanly (log kept as evidence)',
            threshold: '',
            thresholdValue: null,
            brief: 'phase4.json is a harness log, not JSON',
          },
  },
  {
    id: 'p4.faults',
    phase: 4,
    label: () => 'At least one fault class produced a result',
    computes: 'fault classes present in the artifact (a phase where every class timed out proves nothing)',
    reads: ['convergence_by_fault'],
    counted: true,
    evaluate: (e) => {
      const n = e.faults.length
      return { status: n > 0 ? 'pass' : 'error', measured: n, value: `${n} fault class${n === 1 ? '' : 'es'}`, threshold: '≥ 1', thresholdValue: 1, brief: n > 0 ? `${n} fault classes` : 'no fault class produced a result' }
    },
  },
  {
    id: 'p4.reported',
    phase: 4,
    label: () => 'Overall phase-4 pass flag',
    computes: "the artifact's own `pass` field; shown, never trusted",
    reads: ['pass'],
    counted: false,
    evaluate: (e) => reportedFlag(e.selfPass),
  },
]

export interface PhaseInfo {
  phase: PhaseNumber
  title: string
  proves: string
}

export const PHASE_INFO: Record<PhaseNumber, PhaseInfo> = {
  1: {
    phase: 1,
    title: 'Phase 1 — functional (per-node)',
    proves:
      'Single-node CRUD, backup, curator dry-run, and MCP handshake on each of the three peer nodes. Establishes that ai-memory starts and is functional at the one-node level before federation is exercised.',
  },
  2: {
    phase: 2,
    title: 'Phase 2 — multi-agent federation',
    proves:
      'Four agents write a burst to a three-node federation with a W=2 quorum; every node must converge. Two quorum probes follow (one peer down must return 201, both peers down must return 503). Catches silent data loss and quorum misclassification.',
  },
  3: {
    phase: 3,
    title: 'Phase 3 — cross-backend migration',
    proves:
      'A round trip of the seed memories SQLite → Postgres, an idempotent re-run, then Postgres → SQLite, with zero errors and matching counts. Catches migration-correctness regressions in either direction of a production upgrade path.',
  },
  4: {
    phase: 4,
    title: 'Phase 4 — chaos campaign',
    proves:
      'Cycles of writes under injected faults (SIGKILL of the primary, a partition of the minority, stopped peers, clock skew). Measures the convergence bound Σ min(count_node1, count_node2) / Σok: of the writes acknowledged with 201, the share that reached both surviving peers.',
  },
}

/** Every check id of the catalog, for listings and the JUnit export. */
export const ALL_CHECK_IDS: string[] = [
  ...PHASE1_CHECKS.map((c) => c.id),
  ...PHASE2_CHECKS.map((c) => c.id),
  ...PHASE3_CHECKS.map((c) => c.id),
  ...PHASE4_CHECKS.map((c) => c.id),
  ...PHASE4_FAULT_CHECKS.map((c) => c.id),
]
