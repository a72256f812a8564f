// The check catalog: every check of the four phases, defined once, with the structure the verdict
// engine needs as data (which checks run per node or per fault class, when a check applies, where a
// figure may be an API page cap). Labels and value texts follow the ship-gate run page engineers
// already read; thresholds are data (./thresholds) and the metric each check reads is named by a
// versioned definition id, so a change of definition shows in comparisons instead of passing silently.
import type { CheckStatus, PhaseNumber } from './domain'
import type {
  ChaosCycleEvidence,
  FaultEvidence,
  MigrateReport,
  Phase1Evidence,
  Phase1Set,
  Phase2Evidence,
  Phase3Evidence,
  Phase4Evidence,
} from './evidence'
import type { GateParams, Thresholds } from './thresholds'

export * from './thresholds'

/** Every check id. A spec with an id not listed here does not compile. */
export const CHECK_IDS = [
  'p1.nodes',
  'p1.stats_total',
  'p1.recall',
  'p1.snapshot',
  'p1.manifest',
  'p1.mcp_tools',
  'p1.curator',
  'p1.steps',
  'p1.reported',
  'p2.burst',
  'p2.convergence',
  'p2.probe1',
  'p2.probe2',
  'p2.reported',
  'p3.src_count',
  'p3.dst_count',
  'p3.forward_errors',
  'p3.forward_counts',
  'p3.idempotent',
  'p3.reverse_errors',
  'p3.reported',
  'p4.parsed',
  'p4.faults',
  'p4.rows',
  'p4.bound',
  'p4.cycles',
  'p4.verified',
  'p4.fault_window',
  'p4.reported',
] as const

export type CheckId = (typeof CHECK_IDS)[number]

/** Server-side page sizes of `GET /api/v1/memories` in ai-memory v0.6.0 (default, max). */
export const API_PAGE_CAPS = [20, 200] as const

export function isPageCap(count: number | null, acknowledged: number | null): boolean {
  return count !== null && acknowledged !== null && (API_PAGE_CAPS as readonly number[]).includes(count) && count < acknowledged
}

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
    origin: 'Shipgate Lab phase-4 engine (before acknowledged writes were tracked by title)',
    trustworthy: true,
  },
  'chaos.bound.acked-writes@3': {
    id: 'chaos.bound.acked-writes@3',
    metric: 'convergence_bound',
    formula:
      'Σ min(acked_held_node1, acked_held_node2) / Σok: of the writes acknowledged with 201, how many each surviving peer holds, matched by title (writes that returned 503 or timed out but landed do not count); namespace counts kept as a diagnostic',
    origin: 'Shipgate Lab phase-4 engine',
    trustworthy: true,
  },
}

/** Definitions whose rows must carry what Shipgate Lab's engine records (acknowledged titles held, writes during the fault). */
export const ENGINE_CHAOS_DEFINITIONS: readonly string[] = ['chaos.bound.acked-writes@3']

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
  /** The value is the harness's own figure and could not be recomputed. */
  stated?: boolean
}

/** A figure that may be an API page cap: a count next to the writes it should have held. */
export interface PageCapCandidate {
  count: number | null
  acknowledged: number | null
  /** The evidence field the count came from, e.g. `counts.b`. */
  where: string
  /** Why this figure is a count at all (a stated bound of exactly cap/writes). */
  note?: string
}

export interface CheckSpec<E> {
  id: CheckId
  phase: PhaseNumber
  /** One result per node (`node`) or per fault class (`fault`), else one for the phase. */
  expand?: 'node' | 'fault'
  label: (ctx: CheckContext, subject?: string) => string
  /** What the check proves and how it is computed, for the report and the catalog listing. */
  computes: string
  reads: string[]
  metricDefinition?: string
  /** The versioned definition the evidence was measured under; only definitions the catalog knows are trusted. */
  definitionOf?: (ev: E) => string
  /** Informational lines (the artifact's own pass flag) never enter the verdict. */
  counted: boolean
  /** When the evidence cannot carry what the check reads (ship-gate's script records no step exit codes). */
  applies?: (ev: E, ctx: CheckContext) => boolean
  evaluate: (ev: E, ctx: CheckContext, subject?: string) => CheckOutcome
  /** Figures of this check that may be a page cap (count equal to an API page size below the acknowledged writes). */
  pageCaps?: (ev: E, subject?: string) => PageCapCandidate[]
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

function errorOutcome(value: string, brief: string, threshold = '', thresholdValue: number | null = null, measured: number | null = null): CheckOutcome {
  return { status: 'error', measured, value, threshold, thresholdValue, brief }
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

/** A number as the report prints it: integers plain, others to four decimals. */
export function showNumber(x: number): string {
  return Number.isInteger(x) ? String(x) : String(Number(x.toFixed(4)))
}

// ---- the convergence bound -----------------------------------------------------------------

/**
 * What the surviving peers hold of one cycle's acknowledged writes, under a definition: the
 * acknowledged titles they hold (acked-writes@3), else the namespace counts. Null when a figure is
 * missing: a missing count is never read as 0 or as everything.
 */
export function survivorsHeld(row: Pick<ChaosCycleEvidence, 'counts' | 'ackedHeld'>, definition: string): number | null {
  const figures = ENGINE_CHAOS_DEFINITIONS.includes(definition) ? (row.ackedHeld ?? [null, null]) : row.counts.slice(1, 3)
  if (figures.length < 2 || figures.some((n) => n === null || n === undefined)) return null
  return Math.min(...(figures as number[]))
}

export interface BoundFigures {
  bound: number | null
  sumMin: number | null
  sumOk: number | null
  /** `rows`: recomputed from per-cycle rows; `stated`: the artifact's own figure. */
  from: 'rows' | 'stated'
  /** Why the rows cannot give a bound. */
  problem?: string
}

/**
 * The convergence bound of one fault class: recomputed from the per-cycle rows wherever they exist
 * (never trusting a stated figure), else the figure as stated. Cycles in error hold no
 * measurement and are left out here; p4.cycles counts them against the fault class.
 */
export function faultBound(f: Pick<FaultEvidence, 'cycles' | 'definition' | 'bound' | 'totals'>): BoundFigures {
  if (f.cycles.length === 0) return { bound: f.bound, sumMin: null, sumOk: f.totals?.ok ?? null, from: 'stated' }
  let sumMin = 0
  let sumOk = 0
  for (const c of f.cycles) {
    if (c.status !== 'ok') continue
    const held = survivorsHeld(c, f.definition)
    if (c.ok === null || held === null) return { bound: null, sumMin: null, sumOk: null, from: 'rows', problem: `cycle ${c.cycle} has no ${c.ok === null ? 'acknowledged-write count' : 'count for both surviving peers'}` }
    sumMin += held
    sumOk += c.ok
  }
  return { bound: sumOk === 0 ? null : sumMin / sumOk, sumMin, sumOk, from: 'rows' }
}

/** The bound after each cycle, for the per-cycle chart: the same rule as faultBound, cycle by cycle. */
export function runningBound(rows: Pick<ChaosCycleEvidence, 'status' | 'ok' | 'counts' | 'ackedHeld'>[], definition: string): (number | null)[] {
  let sumMin = 0
  let sumOk = 0
  let broken = false
  return rows.map((c) => {
    if (c.status === 'ok' && !broken) {
      const held = survivorsHeld(c, definition)
      if (c.ok === null || held === null) broken = true
      else {
        sumMin += held
        sumOk += c.ok
      }
    }
    return broken || sumOk === 0 ? null : sumMin / sumOk
  })
}

/** A stated bound agrees with the rows when it is the same figure, or the same floored to 3 decimals (run-chaos.sh). */
export function statedAgrees(stated: number, recomputed: number): boolean {
  return Math.abs(stated - recomputed) < 1e-9 || Math.abs(stated - floor3(recomputed)) < 1e-9
}

// ---- phase 1 ---------------------------------------------------------------------------------


const NODE_NAMES = ['node-a', 'node-b', 'node-c'] as const

/** The role a host name carries at its end (ship-gate names droplets `aim-<campaign>-node-a`), if any. */
function roleInName(host: string): string | null {
  return /(?:^|[^a-z0-9])(node-[abc])$/i.exec(host)?.[1]?.toLowerCase() ?? null
}

/** Checks over the three phase-1 files together. */
export const PHASE1_SET_CHECKS: CheckSpec<Phase1Set>[] = [
  {
    id: 'p1.nodes',
    phase: 1,
    label: () => 'Three node files from three distinct hosts, each in its role',
    computes: 'phase1-node-a/b/c.json each name a host; the three hosts differ, and each is the host the campaign gave that role (or a host whose name ends in that role)',
    reads: ['phase1-node-a.json#host', 'phase1-node-b.json#host', 'phase1-node-c.json#host'],
    counted: true,
    evaluate: (set) => {
      const problems: string[] = []
      const seen = new Map<string, string>()
      for (const role of NODE_NAMES) {
        const ev = set.nodes[role]
        if (!ev) {
          problems.push(`phase1-${role}.json missing`)
          continue
        }
        const host = ev.host?.trim() ?? ''
        if (!host) {
          problems.push(`${ev.source} names no host`)
          continue
        }
        const other = seen.get(host.toLowerCase())
        if (other) problems.push(`${other} and ${role} both come from host ${host}`)
        seen.set(host.toLowerCase(), role)
        const expected = set.expectedHosts[role]
        if (expected !== undefined && expected !== host) problems.push(`${role} ran on ${host}, but the campaign gives that role to ${expected}`)
        const named = roleInName(host)
        if (expected === undefined && named !== null && named !== role) problems.push(`${ev.source} comes from ${host}, a ${named} host`)
      }
      if (problems.length === 0) return { status: 'pass', measured: 3, value: NODE_NAMES.map((r) => set.nodes[r]?.host).join(', '), threshold: '3 distinct hosts', thresholdValue: 3, brief: 'three distinct hosts' }
      return errorOutcome(problems.join('; '), problems[0] ?? 'node files do not match their roles', '3 distinct hosts', 3, seen.size)
    },
  },
]

export const PHASE1_NODE_CHECKS: CheckSpec<Phase1Evidence>[] = [
  {
    id: 'p1.stats_total',
    phase: 1,
    expand: 'node',
    label: ({ thresholds: t }) => `Stats total ≥ ${t.p1StatsTotalMin} (store + list + stats round-trip)`,
    computes: '`ai-memory stats --json` .total after one `store`',
    reads: ['stats.total'],
    counted: true,
    evaluate: (e, c) => atLeast(e.statsTotal, c.thresholds.p1StatsTotalMin, (n) => `${n} memories`, 'stats.total'),
  },
  {
    id: 'p1.recall',
    phase: 1,
    expand: 'node',
    label: ({ thresholds: t }) => `Recall returned ≥ ${t.p1RecallMin} hit`,
    computes: '`ai-memory recall … --limit 5 --json` .memories|length',
    reads: ['recall_count'],
    counted: true,
    evaluate: (e, c) => atLeast(e.recallCount, c.thresholds.p1RecallMin, (n) => `${n} hits`, 'recall'),
  },
  {
    id: 'p1.snapshot',
    phase: 1,
    expand: 'node',
    label: () => 'Backup snapshot file emitted',
    computes: 'number of `ai-memory-*.db` files after `backup --keep 1` (exactly one)',
    reads: ['snapshot_count'],
    counted: true,
    evaluate: (e, c) => exactly(e.snapshotCount, c.thresholds.p1SnapshotCount, (n) => `${n} snapshot(s)`, 'snapshots'),
  },
  {
    id: 'p1.manifest',
    phase: 1,
    expand: 'node',
    label: () => 'Backup manifest file emitted',
    computes: 'number of `ai-memory-*.manifest.json` files after `backup --keep 1` (exactly one)',
    reads: ['manifest_count'],
    counted: true,
    evaluate: (e, c) => exactly(e.manifestCount, c.thresholds.p1ManifestCount, (n) => `${n} manifest(s)`, 'manifests'),
  },
  {
    id: 'p1.mcp_tools',
    phase: 1,
    expand: 'node',
    label: ({ thresholds: t }) => `MCP handshake advertises ≥ ${t.p1McpToolsMin} tools`,
    computes: 'MCP `initialize` then `tools/list` over stdio: .result.tools|length',
    reads: ['mcp_tool_count'],
    counted: true,
    evaluate: (e, c) => atLeast(e.mcpToolCount, c.thresholds.p1McpToolsMin, (n) => `${n} tools`, 'MCP tools'),
  },
  {
    id: 'p1.curator',
    phase: 1,
    expand: 'node',
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
    id: 'p1.steps',
    phase: 1,
    expand: 'node',
    label: () => 'Every phase-1 command exited 0',
    computes: 'the exit code of each command of the phase (store, recall, stats, backup, curator, mcp, …) as the engine recorded it',
    reads: ['steps'],
    counted: true,
    applies: (e) => e.steps !== null,
    evaluate: (e) => {
      const steps = e.steps ?? []
      if (steps.length === 0) return missing('steps', 'all exit 0', 0)
      const failed = steps.filter((s) => s.exitCode !== 0 && !s.timedOut)
      const timedOut = steps.filter((s) => s.timedOut)
      const describe = (list: typeof steps) => list.map((s) => (s.timedOut ? `${s.step} timed out` : `${s.step} exited ${s.exitCode ?? 'by a signal'}`)).join(', ')
      if (failed.length > 0) return { status: 'fail', measured: failed.length, value: describe([...failed, ...timedOut]), threshold: 'all exit 0', thresholdValue: 0, brief: describe(failed) }
      if (timedOut.length > 0) return { status: 'error', measured: timedOut.length, value: describe(timedOut), threshold: 'all exit 0', thresholdValue: 0, brief: describe(timedOut) }
      return { status: 'pass', measured: 0, value: `${steps.length} commands, all exit 0`, threshold: 'all exit 0', thresholdValue: 0, brief: 'every command exited 0' }
    },
  },
  {
    id: 'p1.reported',
    phase: 1,
    expand: 'node',
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
    expand: 'node',
    label: ({ thresholds: t }, subject) => `node-${(subject ?? '?').slice(-1).toUpperCase()} convergence ≥ ${t.p2ConvergencePercent}% of ok`,
    computes: 'memories in the phase-2 namespace on the node after settling, against floor(ok × percent / 100)',
    reads: ['counts.a', 'counts.b', 'counts.c', 'ok'],
    metricDefinition: 'p2.count',
    definitionOf: (e) => e.countMethod ?? 'p2.count.unpaged-list@1',
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
    pageCaps: (e, subject) => [{ count: e.counts[nodeLetter(subject ?? '')], acknowledged: e.ok, where: `counts.${nodeLetter(subject ?? '')}` }],
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

const STATED = 'stated by the harness, not recomputed'

/** The configured cycle count: the campaign's when it has one (the artifact must agree), else the artifact's. */
function configuredCycles(f: FaultEvidence, ctx: CheckContext): { want: number | null; conflict: string | null } {
  const fromCampaign = ctx.params.chaosCycles
  if (fromCampaign !== null && f.cyclesConfigured !== null && fromCampaign !== f.cyclesConfigured) {
    return { want: fromCampaign, conflict: `the artifact says ${f.cyclesConfigured} cycles per fault, the campaign configured ${fromCampaign}` }
  }
  return { want: fromCampaign ?? f.cyclesConfigured, conflict: null }
}

/** Per-fault checks; `subject` is the fault class. */
export const PHASE4_FAULT_CHECKS: CheckSpec<FaultEvidence>[] = [
  {
    id: 'p4.bound',
    phase: 4,
    expand: 'fault',
    label: ({ thresholds: t }) => `Convergence bound ≥ ${t.p4BoundMin}`,
    computes: 'Σ min(acknowledged writes held by node-1, by node-2) / Σok over the cycles of the fault class, recomputed from the per-cycle rows',
    reads: ['convergence_by_fault', 'cycles_by_fault.ok', 'cycles_by_fault.acked_held_node1', 'cycles_by_fault.acked_held_node2'],
    metricDefinition: 'chaos.bound',
    definitionOf: (f) => f.definition,
    counted: true,
    evaluate: (f, c) => {
      const min = c.thresholds.p4BoundMin
      const threshold = `≥ ${min}`
      const err = (value: string, brief: string, measured: number | null = null) => errorOutcome(value, `${f.fault}: ${brief}`, threshold, min, measured)
      const def = METRIC_DEFINITIONS[f.definition]
      const figures = faultBound(f)
      const { bound, sumMin, sumOk } = figures
      if (f.error) return err(f.bound === null ? f.error : `${f.bound}: ${f.error}`, f.error, bound)
      if (def && !def.trustworthy) return err(`${f.bound ?? bound} under ${def.id}, which measures uptime, not convergence`, `${f.bound ?? bound} is an uptime figure, not a convergence bound`, f.bound ?? bound)
      if (figures.problem) return err(`rows unusable: ${figures.problem}`, figures.problem)
      if (sumOk === 0 || (figures.from === 'stated' && f.totals?.ok === 0)) return err('no acknowledged writes (Σok=0)', 'no acknowledged writes, bound undefined')
      if (bound === null) return err('metric unavailable', 'metric unavailable')
      const detail = figures.from === 'rows' ? ` (Σmin=${sumMin} / Σok=${sumOk})` : ` (${STATED})`
      if (figures.from === 'rows' && f.bound !== null && !statedAgrees(f.bound, bound)) {
        return err(`the artifact states ${showNumber(f.bound)} but its rows give ${showNumber(bound)}${detail}`, `stated bound ${showNumber(f.bound)} disagrees with the rows' ${showNumber(bound)}`, bound)
      }
      if (bound > 1) return err(`${showNumber(bound)}${detail}: impossible (> 1)`, `impossible bound ${showNumber(bound)}`, bound)
      const ok = bound >= min
      return {
        status: ok ? 'pass' : 'fail',
        measured: bound,
        value: `${showNumber(bound)}${detail}`,
        threshold,
        thresholdValue: min,
        brief: `${f.fault} bound ${showNumber(bound)} ${ok ? '≥' : '<'} ${min}`,
        ...(figures.from === 'stated' ? { stated: true } : {}),
      }
    },
    pageCaps: (f) =>
      f.cycles.length > 0
        ? f.cycles.filter((c) => c.status === 'ok').flatMap((c) => c.counts.slice(1, 3).map((n) => ({ count: n, acknowledged: c.ok, where: `cycles_by_fault.${f.fault}` })))
        : // No rows: a stated bound of exactly cap/writes means every count read one capped page.
          API_PAGE_CAPS.filter((cap) => f.bound !== null && f.writesPerCycle !== null && cap < f.writesPerCycle && floor3(cap / f.writesPerCycle) === f.bound).map((cap) => ({
            count: cap,
            acknowledged: f.writesPerCycle,
            where: `convergence_by_fault.${f.fault}`,
            note: `bound ${f.bound} = ${cap}/${f.writesPerCycle}: each node count read exactly ${cap} while ~${f.writesPerCycle} writes per cycle were acknowledged; the count query had no limit`,
          })),
  },
  {
    id: 'p4.cycles',
    phase: 4,
    expand: 'fault',
    label: () => 'Every configured cycle recorded, none in error',
    computes: 'per-cycle rows of the fault class against the cycles configured; a row in error counts against it, and with no configured count any errored row does',
    reads: ['cycles_per_fault', 'cycles_by_fault', 'phase4-cycles.jsonl', 'cycles_recorded_by_fault'],
    counted: true,
    applies: (f) => f.cycles.length > 0 || f.cyclesRecorded !== null,
    evaluate: (f, c) => {
      const { want, conflict } = configuredCycles(f, c)
      const threshold = want === null ? 'no cycle in error' : `= ${want}, none in error`
      if (conflict) return errorOutcome(conflict, `${f.fault}: ${conflict}`, threshold, want)
      if (f.cycles.length === 0) {
        // Only a stated count (a harness log): it must match.
        const got = f.cyclesRecorded as number
        const ok = want !== null && got === want
        return { status: ok ? 'pass' : 'error', measured: got, value: `${got}/${want ?? '?'} cycles (${STATED})`, threshold, thresholdValue: want, brief: `${f.fault}: ${got}/${want ?? '?'} cycles`, stated: true }
      }
      const got = f.cycles.length
      const errored = f.cycles.filter((x) => x.status === 'error')
      if (f.cyclesRecorded !== null && f.cyclesRecorded !== got) {
        const text = `the artifact says ${f.cyclesRecorded} cycles recorded, but it holds ${got} rows`
        return errorOutcome(text, `${f.fault}: ${text}`, threshold, want, got)
      }
      const first = errored[0]
      const errText = errored.length ? `, ${errored.length} in error${first?.error ? ` (cycle ${first.cycle}: ${first.error})` : ''}` : ''
      const ok = errored.length === 0 && (want === null || got === want)
      const value = `${got}/${want ?? got} cycles${errText}`
      return { status: ok ? 'pass' : 'error', measured: got - errored.length, value, threshold, thresholdValue: want, brief: `${f.fault}: ${value}` }
    },
  },
  {
    id: 'p4.verified',
    phase: 4,
    expand: 'fault',
    label: () => 'Every injected fault verified to have taken effect, and every heal verified',
    computes: 'per cycle: process really gone / stopped, port really unreachable, clock really skewed; then the heal checked: rule gone, process running, clock back',
    reads: ['cycles_by_fault.verified', 'cycles_by_fault.heal_verified'],
    counted: true,
    applies: (f) => f.cycles.some((x) => x.verified !== null),
    evaluate: (f) => {
      const rows = f.cycles
      const injected = rows.filter((x) => x.verified === true).length
      const healFailed = rows.filter((x) => x.healVerified === false)
      const ok = injected === rows.length && healFailed.length === 0
      const heal = healFailed.length ? `; heal not verified in cycle${healFailed.length > 1 ? 's' : ''} ${healFailed.map((x) => x.cycle).slice(0, 8).join(', ')}` : ''
      return { status: ok ? 'pass' : 'error', measured: injected, value: `${injected}/${rows.length} verified${heal}`, threshold: 'all cycles', thresholdValue: rows.length, brief: `${f.fault}: ${injected}/${rows.length} faults verified${heal}` }
    },
  },
  {
    id: 'p4.fault_window',
    phase: 4,
    expand: 'fault',
    label: () => 'Writes were attempted while the fault was in force, in every cycle',
    computes: 'per cycle: writes started after the fault was verified and before its heal began; a cycle with none did not test the fault',
    reads: ['cycles_by_fault.writes_during_fault'],
    counted: true,
    applies: (f) => ENGINE_CHAOS_DEFINITIONS.includes(f.definition) || f.cycles.some((x) => x.writesDuringFault !== null),
    evaluate: (f) => {
      const rows = f.cycles
      if (rows.length === 0) return missing('per-cycle rows', '≥ 1 per cycle', 1)
      const none = rows.filter((x) => x.writesDuringFault === null || x.writesDuringFault < 1)
      const least = Math.min(...rows.map((x) => x.writesDuringFault ?? 0))
      const ok = none.length === 0
      const value = ok ? `≥ ${least} write(s) during the fault in each of ${rows.length} cycles` : `no write during the fault in cycle${none.length > 1 ? 's' : ''} ${none.map((x) => x.cycle).slice(0, 8).join(', ')}`
      return { status: ok ? 'pass' : 'error', measured: least, value, threshold: '≥ 1 per cycle', thresholdValue: 1, brief: `${f.fault}: ${value}` }
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
    // Shown on every run, so the self-test sees it pass on sound evidence as well as fail on a log.
    evaluate: (e) =>
      e.form === 'json'
        ? { status: 'pass', measured: 1, value: 'JSON object', threshold: '', thresholdValue: null, brief: 'parsed' }
        : errorOutcome('phase4.json did not parse as JSON: the chaos-harness summary never wrote cleanly (log kept as evidence)', 'phase4.json is a harness log, not JSON', '', null, 0),
  },
  {
    id: 'p4.faults',
    phase: 4,
    label: () => 'Every configured fault class produced a result',
    computes: 'fault classes present in the artifact, against those the campaign configured (at least one when it is not known); a phase where every class timed out proves nothing',
    reads: ['convergence_by_fault', 'fault_errors', 'cycles_by_fault'],
    counted: true,
    evaluate: (e, c) => {
      const present = e.faults.map((f) => f.fault)
      const configured = c.params.chaosFaults
      if (configured && configured.length > 0) {
        const absent = configured.filter((f) => !present.includes(f))
        const ok = absent.length === 0
        return { status: ok ? 'pass' : 'error', measured: configured.length - absent.length, value: ok ? `${present.length} of ${configured.length} configured` : `no result for ${absent.join(', ')}`, threshold: `all ${configured.length} configured`, thresholdValue: configured.length, brief: ok ? `${present.length} fault classes` : `no result for ${absent.join(', ')}` }
      }
      const n = present.length
      return { status: n > 0 ? 'pass' : 'error', measured: n, value: `${n} fault class${n === 1 ? '' : 'es'}`, threshold: '≥ 1', thresholdValue: 1, brief: n > 0 ? `${n} fault classes` : 'no fault class produced a result' }
    },
  },
  {
    id: 'p4.rows',
    phase: 4,
    label: () => 'Per-cycle rows readable and consistent',
    computes: 'every line of phase4-cycles.jsonl parses as a cycle row, and rows kept in both phase4.json and the JSONL agree',
    reads: ['phase4-cycles.jsonl', 'cycles_by_fault'],
    counted: true,
    applies: (e) => e.rowsSource !== null || e.rowsError !== null,
    evaluate: (e) =>
      e.rowsError
        ? errorOutcome(e.rowsError, e.rowsError)
        : { status: 'pass', measured: e.faults.reduce((n, f) => n + f.cycles.length, 0), value: `${e.faults.reduce((n, f) => n + f.cycles.length, 0)} rows from ${e.rowsSource}`, threshold: '', thresholdValue: null, brief: 'rows readable' },
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
      'Cycles of writes under injected faults (SIGKILL of the primary, a partition of the minority, stopped peers, clock skew), each fault verified and healed. Measures the convergence bound Σ min(held by node-1, held by node-2) / Σok: of the writes acknowledged with 201, the share that reached both surviving peers.',
  },
}

/** Every spec of the catalog, in report order. */
export const ALL_SPECS: readonly CheckSpec<never>[] = [
  ...PHASE1_SET_CHECKS,
  ...PHASE1_NODE_CHECKS,
  ...PHASE2_CHECKS,
  ...PHASE3_CHECKS,
  ...PHASE4_CHECKS,
  ...PHASE4_FAULT_CHECKS,
] as readonly CheckSpec<never>[]

/** Every check id of the catalog, for listings, the JUnit export and the self-test matrix. */
export const ALL_CHECK_IDS: readonly CheckId[] = CHECK_IDS
