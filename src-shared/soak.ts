// Judging a soak: many runs of one campaign against one release, named `<series>-r<k>`, held to
// ship-gate's soak criteria (docs/soak.md): no regression, the kill_primary_mid_write bound in every
// run, wall-clock within ±25 % of a baseline, cost within an envelope, and the whole window run.
// Pure: the main process reads the runs from the store, this decides. A criterion without evidence is
// `unknown`, never `pass`: a soak with holes is INCOMPLETE, not green.
import type { CheckStatus, PhaseStatus, RunState, RunVerdict } from './domain'
import { THRESHOLDS, isWeakenedSet } from './thresholds'

/** What the evaluator needs of one run of the series. */
export interface SoakRunInput {
  id: string
  /** k of `<series>-r<k>`. */
  index: number
  verdict: RunVerdict
  /** The run's verdict line. */
  reason: string
  state: RunState
  phaseStatuses: PhaseStatus[]
  durationMs: number | null
  costUsd: number | null
  simulated: boolean
  aiMemoryVersion: string | null
  thresholdSet: string
  /** Every check of the run's evaluation (informational ones included), for flips and the heatmap. */
  checks: { check: string; subject: string | null; status: CheckStatus }[]
  /** p4.bound for kill_primary_mid_write, when the run has it. */
  bound: { status: CheckStatus; measured: number | null } | null
}

export interface SoakOptions {
  /** The window: how many runs the soak should have (`--expect`, else the soak state's count). */
  expect?: number | null
  /** Wall-clock baseline in ms (`--baseline`), else the first passing completed run's duration. */
  baselineMs?: number | null
  /** Cost envelope per run in USD (`--cost-envelope`), else 1.5 × the first passing run's cost. */
  costEnvelopeUsd?: number | null
}

export type CriterionState = 'pass' | 'fail' | 'unknown' | 'not_applicable' | 'info'
export type CriterionId = 'no_regression' | 'kill_bound' | 'wall_clock' | 'cost' | 'window' | 'standard_thresholds' | 'pass_rate'

export interface SoakFinding {
  run: string
  state: CriterionState
  why: string
}

export interface SoakCriterion {
  id: CriterionId
  title: string
  gating: boolean
  state: CriterionState
  summary: string
  findings: SoakFinding[]
  detail: Record<string, unknown>
}

export interface SoakGap {
  first: string
  last: string
  fromIndex: number
  toIndex: number
  runs: number
  /** Runs of the stretch absent from the history (the others are present without evidence). */
  missing: string[]
}

export interface SoakFlip {
  key: string
  check: string
  subject: string | null
  observations: number
  flips: number
  rate: number
  flaky: boolean
  transitions: { from: CheckStatus; to: CheckStatus; fromRun: string; toRun: string }[]
}

export interface PassRateDetail {
  passes: number
  decided: number
  excludedIncomplete: number
  rate: number | null
  interval: { low: number; high: number } | null
  failureRateUpper: number | null
  targetFailureRate: number
  moreCleanRunsNeeded: number | null
}

export interface SoakReport {
  series: string
  runs: number
  pass: number
  fail: number
  incomplete: number
  verdict: RunVerdict
  criteria: SoakCriterion[]
  gaps: SoakGap[]
  flips: SoakFlip[]
}

/** The point of a soak's pass rate: a failure rate under 1 %. */
export const TARGET_FAILURE_RATE = 0.01
/** ±25 % of the baseline (docs/soak.md, "Wall-clock drift"). */
export const WALL_CLOCK_BAND = 0.25
/** The default envelope: 1.5 × the first passing run's cost. */
export const COST_ENVELOPE_FACTOR = 1.5
/** The fault class whose bound a soak defends. */
export const SOAK_BOUND_FAULT = 'kill_primary_mid_write'
/** Two-sided 95 %. */
const Z95 = 1.959963984540054

export function soakRunName(series: string, index: number): string {
  return `${series}-r${index}`
}

/** k of `<series>-r<k>`, or null when the id is not a run of that series. */
export function soakIndex(series: string, runId: string): number | null {
  if (!runId.startsWith(`${series}-r`)) return null
  const tail = runId.slice(series.length + 2)
  return /^[1-9]\d{0,8}$/.test(tail) ? Number(tail) : null
}

/** Wilson score interval of `successes` out of `n` (95 % by default); null for n = 0. */
export function wilsonInterval(successes: number, n: number, z = Z95): { low: number; high: number } | null {
  if (n <= 0) return null
  const p = successes / n
  const z2 = z * z
  const denom = 1 + z2 / n
  const centre = (p + z2 / (2 * n)) / denom
  const half = (z * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n))) / denom
  return { low: Math.max(0, centre - half), high: Math.min(1, centre + half) }
}

/** The upper 95 % bound of the failure rate after `passes` of `decided`. */
function failureUpper(passes: number, decided: number): number | null {
  const i = wilsonInterval(passes, decided)
  return i ? 1 - i.low : null
}

/**
 * How many more clean (passing) runs it takes before the Wilson upper bound of the failure rate is
 * below `target`: the smallest k with 1 − low(passes + k, decided + k) < target. The bound only falls
 * as clean runs are added, so a binary search finds it.
 */
export function cleanRunsNeeded(passes: number, decided: number, target = TARGET_FAILURE_RATE): number | null {
  if (!(target > 0 && target < 1)) return null
  const below = (k: number) => (failureUpper(passes + k, decided + k) ?? 1) < target
  if (below(0)) return 0
  let hi = 1
  while (!below(hi)) {
    hi *= 2
    if (hi > 2 ** 40) return null
  }
  let lo = 0
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2)
    if (below(mid)) hi = mid
    else lo = mid
  }
  return hi
}

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 }

/** `4h`, `14m`, `1h30m`, `90s`, `0s`, `250ms` → milliseconds; null when it is not a duration. */
export function parseDuration(text: string): number | null {
  const t = text.trim()
  if (!/^(\d+(\.\d+)?(ms|s|m|h|d))+$/.test(t)) return null
  let ms = 0
  for (const m of t.matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h|d)/g)) ms += Number(m[1]) * (UNIT_MS[m[2] ?? ''] ?? Number.NaN)
  return Number.isFinite(ms) ? Math.round(ms) : null
}

/** ship-gate's release-file style: `3s`, `1m56s`, `14m`, `2h5m`. */
export function humanWall(seconds: number): string {
  const s = Math.max(0, Math.round(seconds))
  const h = Math.floor(s / 3600)
  const m = Math.floor((s % 3600) / 60)
  const r = s % 60
  if (h === 0 && m === 0) return `${r}s`
  return `${h ? `${h}h` : ''}${m || (h && r) ? `${m}m` : ''}${r ? `${r}s` : ''}`
}

function percentile(sorted: number[], p: number): number | null {
  if (sorted.length === 0) return null
  const rank = Math.ceil((p / 100) * sorted.length) - 1
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank))] ?? null
}

function worst(states: CriterionState[]): CriterionState {
  if (states.includes('fail')) return 'fail'
  if (states.includes('unknown')) return 'unknown'
  return 'pass'
}

/** A run without evidence: absent from the history or every phase NOT RUN. */
function noEvidence(run: SoakRunInput | undefined): boolean {
  return !run || run.phaseStatuses.every((s) => s === 'not_run')
}

function noRegression(runs: SoakRunInput[]): SoakCriterion {
  const firstPass = runs.find((r) => r.verdict === 'pass') ?? null
  const findings: SoakFinding[] = runs
    .filter((r) => r.verdict !== 'pass')
    .map((r) => ({ run: r.id, state: r.verdict === 'fail' ? 'fail' : 'unknown', why: r.reason || (r.verdict === 'fail' ? 'FAIL' : `INCOMPLETE (${r.state})`) }))
  const regressions = firstPass ? runs.filter((r) => r.index > firstPass.index && r.verdict === 'fail').map((r) => r.id) : []
  const failed = runs.filter((r) => r.verdict === 'fail').map((r) => r.id)
  const incomplete = runs.filter((r) => r.verdict === 'incomplete').map((r) => r.id)
  const state: CriterionState = runs.length === 0 ? 'unknown' : worst(findings.map((f) => f.state))
  const summary =
    state === 'pass'
      ? `all ${runs.length} runs pass`
      : state === 'fail'
        ? `${failed.length} run(s) failed${regressions.length ? `, ${regressions.length} after the first pass (${firstPass?.id})` : ''}`
        : runs.length === 0
          ? 'no runs'
          : `${incomplete.length} run(s) could not be decided: the soak is unproven`
  return { id: 'no_regression', title: 'No regression after the first pass', gating: true, state, summary, findings, detail: { firstPass: firstPass?.id ?? null, regressions, failed, incomplete } }
}

function killBound(runs: SoakRunInput[]): SoakCriterion {
  const min = THRESHOLDS.p4BoundMin
  const findings: SoakFinding[] = runs.map((r) => {
    const b = r.bound
    if (!b) return { run: r.id, state: 'unknown', why: 'no kill_primary_mid_write bound in the evidence' }
    if (b.status === 'error' || b.measured === null) return { run: r.id, state: 'unknown', why: `bound could not be decided (${b.status})` }
    // Always the gate's own threshold: a run judged with a weakened one does not lower the soak's.
    return b.measured >= min ? { run: r.id, state: 'pass', why: `${b.measured} ≥ ${min}` } : { run: r.id, state: 'fail', why: `${b.measured} < ${min}` }
  })
  const state = runs.length === 0 ? 'unknown' : worst(findings.map((f) => f.state))
  const measured = runs.flatMap((r) => (r.bound && r.bound.status !== 'error' && r.bound.measured !== null ? [r.bound.measured] : []))
  const count = (s: CriterionState) => findings.filter((f) => f.state === s).length
  const summary = `${count('pass')} run(s) ≥ ${min}, ${count('fail')} below, ${count('unknown')} unknown`
  return {
    id: 'kill_bound',
    title: `${SOAK_BOUND_FAULT} bound ≥ ${min} in every run`,
    gating: true,
    state,
    summary,
    findings: findings.filter((f) => f.state !== 'pass'),
    detail: { threshold: min, min: measured.length ? Math.min(...measured) : null, series: runs.map((r) => ({ run: r.id, index: r.index, bound: r.bound?.status === 'error' ? null : (r.bound?.measured ?? null) })) },
  }
}

function wallClock(runs: SoakRunInput[], baselineOption: number | null): SoakCriterion {
  const baselineRun = runs.find((r) => r.verdict === 'pass' && r.state === 'completed' && r.durationMs !== null) ?? null
  const baselineMs = baselineOption ?? baselineRun?.durationMs ?? null
  const baselineFrom = baselineOption !== null ? 'option' : baselineRun ? baselineRun.id : null
  const low = baselineMs === null ? null : baselineMs * (1 - WALL_CLOCK_BAND)
  const high = baselineMs === null ? null : baselineMs * (1 + WALL_CLOCK_BAND)
  const findings: SoakFinding[] = runs.map((r) => {
    if (r.state === 'cancelled') return { run: r.id, state: 'not_applicable', why: 'cancelled: its duration says nothing about drift' }
    if (r.durationMs === null) return { run: r.id, state: 'unknown', why: 'duration not recorded' }
    if (low === null || high === null) return { run: r.id, state: 'unknown', why: 'no baseline' }
    const s = Math.round(r.durationMs / 1000)
    return r.durationMs >= low && r.durationMs <= high
      ? { run: r.id, state: 'pass', why: `${humanWall(s)} within the band` }
      : { run: r.id, state: 'fail', why: `${humanWall(s)} outside ${humanWall(low / 1000)}–${humanWall(high / 1000)}` }
  })
  const judged = findings.filter((f) => f.state !== 'not_applicable')
  const state = runs.length === 0 || baselineMs === null ? 'unknown' : worst(judged.map((f) => f.state))
  const durations = runs.flatMap((r) => (r.durationMs !== null && r.state !== 'cancelled' ? [r.durationMs] : [])).sort((a, b) => a - b)
  const count = (s: CriterionState) => findings.filter((f) => f.state === s).length
  const summary =
    baselineMs === null
      ? 'unknown: no baseline (no passing run with a recorded duration, and no --baseline)'
      : `baseline ${humanWall(baselineMs / 1000)} ±${WALL_CLOCK_BAND * 100} %: ${count('pass')} within, ${count('fail')} outside, ${count('unknown')} without a duration`
  return {
    id: 'wall_clock',
    title: `Wall-clock within ±${WALL_CLOCK_BAND * 100} % of the baseline`,
    gating: true,
    state,
    summary,
    findings: findings.filter((f) => f.state !== 'pass'),
    detail: {
      baselineMs,
      baselineFrom,
      band: { low, high },
      // Informational: ship-gate's own doc also names p99 ≤ 20 min; the band is what gates here.
      p50Ms: percentile(durations, 50),
      p99Ms: percentile(durations, 99),
      series: runs.map((r) => ({ run: r.id, index: r.index, durationMs: r.durationMs, state: r.state })),
    },
  }
}

function cost(runs: SoakRunInput[], envelopeOption: number | null): SoakCriterion {
  const known = runs.filter((r) => r.costUsd !== null)
  const firstPassWithCost = runs.find((r) => r.verdict === 'pass' && r.costUsd !== null) ?? null
  const envelope = envelopeOption ?? (firstPassWithCost?.costUsd != null ? firstPassWithCost.costUsd * COST_ENVELOPE_FACTOR : null)
  const base = { id: 'cost' as const, title: 'Cost per run within its envelope', gating: true }
  const detail = { envelopeUsd: envelope, envelopeFrom: envelopeOption !== null ? 'option' : (firstPassWithCost?.id ?? null), withoutCost: runs.filter((r) => r.costUsd === null).map((r) => r.id), series: runs.map((r) => ({ run: r.id, index: r.index, costUsd: r.costUsd })) }
  if (known.length === 0) return { ...base, state: 'not_applicable', summary: 'no run has a known cost (imported or local runs)', findings: [], detail }
  const findings: SoakFinding[] = runs.map((r) => {
    if (r.costUsd === null) return { run: r.id, state: 'info', why: 'cost not known' }
    if (envelope === null) return { run: r.id, state: 'unknown', why: `$${r.costUsd.toFixed(4)}, no envelope` }
    return r.costUsd <= envelope ? { run: r.id, state: 'pass', why: `$${r.costUsd.toFixed(4)} ≤ $${envelope.toFixed(4)}` } : { run: r.id, state: 'fail', why: `$${r.costUsd.toFixed(4)} > $${envelope.toFixed(4)}` }
  })
  const state = envelope === null ? 'unknown' : worst(findings.filter((f) => f.state !== 'info').map((f) => f.state))
  const over = findings.filter((f) => f.state === 'fail').length
  const summary = envelope === null ? 'unknown: costs known but no envelope (no passing run with a cost, and no --cost-envelope)' : `envelope $${envelope.toFixed(4)}: ${over} run(s) over, ${detail.withoutCost.length} without a known cost`
  return { ...base, state, summary, findings: findings.filter((f) => f.state !== 'pass'), detail }
}

function window(series: string, runs: SoakRunInput[], expect: number | null): SoakCriterion {
  const base = { id: 'window' as const, title: 'Every run of the window ran', gating: true }
  if (expect === null) return { ...base, state: 'unknown', summary: 'unknown: no window (pass --expect, or run the soak with `shipgate soak run`)', findings: [], detail: { expected: null, present: runs.length, absent: [], notYetRun: [], beyond: [] } }
  const byIndex = new Map(runs.map((r) => [r.index, r]))
  const maxIndex = runs.reduce((m, r) => Math.max(m, r.index), 0)
  const absent: string[] = []
  const notYetRun: string[] = []
  for (let k = 1; k <= expect; k++) if (!byIndex.has(k)) (k < maxIndex ? absent : notYetRun).push(soakRunName(series, k))
  const beyond = runs.filter((r) => r.index > expect).map((r) => r.id)
  const findings: SoakFinding[] = [...absent.map((run) => ({ run, state: 'unknown' as const, why: 'absent from the history' })), ...notYetRun.map((run) => ({ run, state: 'unknown' as const, why: 'not yet run' }))]
  const state: CriterionState = findings.length ? 'unknown' : 'pass'
  const present = expect - absent.length - notYetRun.length
  const summary = `${present} of ${expect} run(s) present${absent.length ? `, ${absent.length} absent` : ''}${notYetRun.length ? `, ${notYetRun.length} not yet run` : ''}${beyond.length ? ` (${beyond.length} beyond the window)` : ''}`
  return { ...base, state, summary, findings, detail: { expected: expect, present, absent, notYetRun, beyond } }
}

function standardThresholds(runs: SoakRunInput[]): SoakCriterion {
  const findings: SoakFinding[] = runs.filter((r) => isWeakenedSet(r.thresholdSet)).map((r) => ({ run: r.id, state: 'fail', why: `judged with weakened thresholds (${r.thresholdSet})` }))
  const state: CriterionState = runs.length === 0 ? 'unknown' : findings.length ? 'fail' : 'pass'
  return {
    id: 'standard_thresholds',
    title: "Every run judged with the gate's thresholds (none weakened)",
    gating: true,
    state,
    summary: findings.length ? `${findings.length} run(s) under weakened thresholds` : runs.length ? 'no run weakened the thresholds or the workload' : 'no runs',
    findings,
    detail: { sets: [...new Set(runs.map((r) => r.thresholdSet))] },
  }
}

function passRate(runs: SoakRunInput[]): SoakCriterion {
  const passes = runs.filter((r) => r.verdict === 'pass').length
  const decided = runs.filter((r) => r.verdict !== 'incomplete').length
  const interval = wilsonInterval(passes, decided)
  const detail: PassRateDetail = {
    passes,
    decided,
    excludedIncomplete: runs.length - decided,
    rate: decided ? passes / decided : null,
    interval,
    failureRateUpper: interval ? 1 - interval.low : null,
    targetFailureRate: TARGET_FAILURE_RATE,
    moreCleanRunsNeeded: cleanRunsNeeded(passes, decided),
  }
  const pct = (x: number) => `${(x * 100).toFixed(1)} %`
  const summary = interval
    ? `${passes}/${decided} decided runs pass (${pct(passes / decided)}, 95 % Wilson ${pct(interval.low)}–${pct(interval.high)}; ${detail.excludedIncomplete} incomplete excluded); ${detail.moreCleanRunsNeeded ?? '?'} more clean run(s) to claim a failure rate < ${TARGET_FAILURE_RATE * 100} %`
    : `no decided runs (${detail.excludedIncomplete} incomplete)`
  return { id: 'pass_rate', title: 'Pass rate (95 % Wilson interval)', gating: false, state: 'info', summary, findings: [], detail: detail as unknown as Record<string, unknown> }
}

function gaps(series: string, runs: SoakRunInput[]): SoakGap[] {
  const byIndex = new Map(runs.map((r) => [r.index, r]))
  const maxIndex = runs.reduce((m, r) => Math.max(m, r.index), 0)
  const out: SoakGap[] = []
  let open: SoakGap | null = null
  for (let k = 1; k <= maxIndex; k++) {
    const run = byIndex.get(k)
    if (noEvidence(run)) {
      const name = soakRunName(series, k)
      open ??= { first: name, last: name, fromIndex: k, toIndex: k, runs: 0, missing: [] }
      open.last = name
      open.toIndex = k
      open.runs++
      if (!run) open.missing.push(name)
    } else if (open) {
      out.push(open)
      open = null
    }
  }
  if (open) out.push(open)
  return out
}

function flips(runs: SoakRunInput[]): SoakFlip[] {
  const byKey = new Map<string, { check: string; subject: string | null; seen: { run: string; status: CheckStatus }[] }>()
  for (const r of runs) {
    for (const c of r.checks) {
      const key = c.subject ? `${c.check}[${c.subject}]` : c.check
      const entry = byKey.get(key) ?? { check: c.check, subject: c.subject, seen: [] }
      // One observation per run (a check appears once per subject).
      if (entry.seen.at(-1)?.run !== r.id) entry.seen.push({ run: r.id, status: c.status })
      byKey.set(key, entry)
    }
  }
  const out: SoakFlip[] = []
  for (const [key, e] of byKey) {
    const transitions: SoakFlip['transitions'] = []
    for (let i = 1; i < e.seen.length; i++) {
      const a = e.seen[i - 1]
      const b = e.seen[i]
      if (a && b && a.status !== b.status) transitions.push({ from: a.status, to: b.status, fromRun: a.run, toRun: b.run })
    }
    const observations = e.seen.length
    out.push({ key, check: e.check, subject: e.subject, observations, flips: transitions.length, rate: observations > 1 ? transitions.length / (observations - 1) : 0, flaky: transitions.length >= 2, transitions })
  }
  return out.sort((a, b) => b.flips - a.flips || a.key.localeCompare(b.key))
}

/** Judges a series; `runs` in any order (sorted here by index). */
export function evaluateSoak(series: string, input: SoakRunInput[], options: SoakOptions = {}): SoakReport {
  const runs = [...input].sort((a, b) => a.index - b.index)
  const criteria = [
    noRegression(runs),
    killBound(runs),
    wallClock(runs, options.baselineMs ?? null),
    cost(runs, options.costEnvelopeUsd ?? null),
    window(series, runs, options.expect ?? null),
    standardThresholds(runs),
    passRate(runs),
  ]
  const gatingStates = criteria.filter((c) => c.gating).map((c) => c.state)
  const verdict: RunVerdict = gatingStates.includes('fail') ? 'fail' : gatingStates.includes('unknown') ? 'incomplete' : 'pass'
  return {
    series,
    runs: runs.length,
    ...verdictCounts(runs),
    verdict,
    criteria,
    gaps: gaps(series, runs),
    flips: flips(runs),
  }
}

/** What a running soak tells the app (`soak:event`) and the command line. */
export type SoakEvent =
  | { type: 'soak-started'; series: string; count: number; everyMs: number; nextIndex: number; resumed: boolean; at: number }
  | { type: 'waiting'; series: string; until: number; at: number }
  | { type: 'run-started'; series: string; index: number; at: number }
  | { type: 'run-finished'; series: string; runId: string; index: number; verdict: RunVerdict; state: RunState; reason: string; at: number }
  | { type: 'stopping'; series: string; how: 'after-run' | 'cancel-run'; at: number }
  | { type: 'soak-ended'; series: string; outcome: 'completed' | 'stopped' | 'cancelled' | 'failed'; message: string; at: number }

export interface SoakStatus {
  series: string
  phase: 'waiting' | 'running' | 'stopping'
  /** Runs of the series so far (highest index) and the window. */
  done: number
  count: number
  everyMs: number
  nextDueAt: number | null
  currentIndex: number | null
  startedAt: number
}

/** One series in the list (`soak.list`). */
export interface SoakSeriesListing {
  series: string
  runs: number
  pass: number
  fail: number
  incomplete: number
  lastAt: number | null
  /** How many runs the soak was started for, when a `soak run` left its state. */
  expected: number | null
}

/** What the Soak view shows of one series: the report and each run's statuses (the heatmap). */
export interface SoakView {
  report: SoakReport
  runs: SoakRunInput[]
}

/** How many runs passed, failed and stayed incomplete. */
export function verdictCounts(runs: { verdict: RunVerdict }[]): { pass: number; fail: number; incomplete: number } {
  return {
    pass: runs.filter((r) => r.verdict === 'pass').length,
    fail: runs.filter((r) => r.verdict === 'fail').length,
    incomplete: runs.filter((r) => r.verdict === 'incomplete').length,
  }
}
