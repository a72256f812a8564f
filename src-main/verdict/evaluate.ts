// The verdict engine: raw artifacts in, phase statuses, checks, warnings and the run verdict out.
// It never reads an artifact's own `pass` / `overall_pass` to decide anything; those only raise a
// warning when they disagree with what the evidence shows.
import {
  API_PAGE_CAPS,
  type CheckContext,
  type CheckSpec,
  type GateParams,
  METRIC_DEFINITIONS,
  PHASE1_CHECKS,
  PHASE2_CHECKS,
  PHASE3_CHECKS,
  PHASE4_CHECKS,
  PHASE4_FAULT_CHECKS,
  SHIP_GATE_DEFAULT_PARAMS,
  THRESHOLD_SET_ID,
  THRESHOLDS,
  type Thresholds,
  faultBound,
  floor3,
} from '@shared/catalog'
import type {
  CheckResult,
  Metric,
  PhaseNumber,
  PhaseResult,
  PhaseStatus,
  RunEvaluation,
  RunVerdict,
  RunWarning,
} from '@shared/domain'
import { NODE_ROLES } from '@shared/domain'
import type { FaultEvidence, Phase1Evidence, Phase4Evidence } from '@shared/evidence'
import { describeUnusable, parseArtifact, type ParsedArtifact } from '../evidence/artifact'
import { parseHarnessLog } from '../evidence/harness-log'
import { bool, isRecord, num, str } from '../evidence/normalize'
import {
  UPTIME_DEFINITION,
  parsePhase1,
  parsePhase2,
  parsePhase3,
  parsePhase4Json,
  phase4FromLog,
  phaseIdentityError,
} from '../evidence/phases'
import { statusWord } from '@shared/status'

export const EVALUATOR_VERSION = 'evaluator@1'

export interface ArtifactBytes {
  name: string
  bytes: Uint8Array
}

export interface EvaluationInput {
  artifacts: ArtifactBytes[]
  params?: Partial<GateParams>
  thresholds?: Partial<Thresholds>
}

export interface RunMeta {
  campaignId: string | null
  aiMemoryRef: string | null
  aiMemoryVersion: string | null
  completedAt: string | null
  overallPass: boolean | null
}

export interface Evaluated {
  evaluation: RunEvaluation
  meta: RunMeta
}

interface Sources {
  parsed: Map<string, ParsedArtifact>
  summaryPhases: Record<string, unknown>[]
}

export function evaluateRun(input: EvaluationInput): Evaluated {
  const ctx: CheckContext = {
    thresholds: { ...THRESHOLDS, ...input.thresholds },
    params: { ...SHIP_GATE_DEFAULT_PARAMS, ...input.params },
  }
  const parsed = new Map<string, ParsedArtifact>()
  for (const a of input.artifacts) parsed.set(a.name, parseArtifact(a.bytes))

  const runWarnings: RunWarning[] = []
  const summary = parsed.get('campaign-summary.json')
  const summaryObj = summary?.kind === 'json' ? summary.value : null
  if (summary && summary.kind !== 'json') {
    runWarnings.push({ code: 'harness_log', message: describeUnusable('campaign-summary.json', summary), evidence: 'campaign-summary.json' })
  }
  const summaryPhases = Array.isArray(summaryObj?.phases) ? summaryObj.phases.filter(isRecord) : []
  const sources: Sources = { parsed, summaryPhases }

  const phase1 = evaluatePhase1(sources, ctx)
  const phases: PhaseResult[] = [phase1.result, evaluatePhase2(sources, ctx), evaluatePhase3(sources, ctx), evaluatePhase4(sources, ctx)]

  const verdict = runVerdict(phases)
  const overallPass = summaryObj ? bool(summaryObj.overall_pass) : null
  if (overallPass !== null && overallPass !== (verdict === 'pass')) {
    const n = summaryPhases.length
    runWarnings.push({
      code: 'self_report_mismatch',
      message: `campaign-summary.json says overall_pass: ${overallPass} (with ${n} phase object${n === 1 ? '' : 's'}); the evidence gives ${statusWord(verdict)}`,
      evidence: 'campaign-summary.json#overall_pass',
    })
  }

  const evaluation: RunEvaluation = {
    verdict,
    reason: verdictReason(verdict, phases),
    phases,
    warnings: runWarnings,
    evaluatorVersion: EVALUATOR_VERSION,
    thresholdSet: THRESHOLD_SET_ID,
  }
  return {
    evaluation,
    meta: {
      campaignId: summaryObj ? str(summaryObj.campaign_id) : null,
      aiMemoryRef: summaryObj ? str(summaryObj.ai_memory_git_ref) : null,
      aiMemoryVersion: phase1.evidence.map((e) => e.version).find((v) => v) ?? null,
      completedAt: summaryObj ? str(summaryObj.completed_at) : null,
      overallPass,
    },
  }
}

// ---- status rules ------------------------------------------------------------------------

export function runVerdict(phases: PhaseResult[]): RunVerdict {
  if (phases.some((p) => p.status === 'fail')) return 'fail'
  if (phases.length === 4 && phases.every((p) => p.status === 'pass')) return 'pass'
  return 'incomplete'
}

/** A failing check is evidence of failure even when other evidence is broken; otherwise broken → error. */
function phaseStatus(checks: CheckResult[], structuralErrors: string[]): PhaseStatus {
  const counted = checks.filter((c) => c.counted)
  if (counted.some((c) => c.status === 'fail')) return 'fail'
  if (structuralErrors.length > 0 || counted.some((c) => c.status === 'error')) return 'error'
  if (counted.length === 0) return 'error'
  return 'pass'
}

function phaseSummary(status: PhaseStatus, checks: CheckResult[], structuralErrors: string[], briefs: Map<CheckResult, string>): string {
  const counted = checks.filter((c) => c.counted)
  const of = (s: 'fail' | 'error') => counted.filter((c) => c.status === s).map((c) => briefs.get(c) ?? c.label)
  switch (status) {
    case 'pass':
      return `all ${counted.length} checks hold`
    case 'fail':
      return joinBriefs(of('fail'))
    case 'error':
      // When the artifact itself is broken, the checks it could not feed are noise.
      return joinBriefs(structuralErrors.length ? structuralErrors : of('error'))
    case 'not_run':
      return 'no artifact'
  }
}

function joinBriefs(items: string[]): string {
  const unique = [...new Set(items)]
  return unique.length <= 3 ? unique.join('; ') : `${unique.slice(0, 3).join('; ')}; and ${unique.length - 3} more`
}

function verdictReason(verdict: RunVerdict, phases: PhaseResult[]): string {
  const head = statusWord(verdict)
  if (verdict === 'pass') {
    const n = phases.reduce((sum, p) => sum + p.checks.filter((c) => c.counted).length, 0)
    return `${head} — all four phases pass (${n} checks)`
  }
  if (verdict === 'fail') {
    return `${head} — ${phases.filter((p) => p.status === 'fail').map((p) => `phase ${p.phase}: ${p.summary}`).join(' · ')}`
  }
  const parts: string[] = []
  for (const p of phases.filter((x) => x.status === 'error')) parts.push(`phase ${p.phase} ERROR: ${p.summary}`)
  const notRun = phases.filter((p) => p.status === 'not_run').map((p) => p.phase)
  if (notRun.length) parts.push(`phase${notRun.length > 1 ? 's' : ''} ${notRun.join(', ')} NOT RUN`)
  return `${head} — ${parts.join(' · ')}`
}

function runChecks<E>(
  specs: CheckSpec<E>[],
  ev: E,
  ctx: CheckContext,
  briefs: Map<CheckResult, string>,
  subject?: string,
  source?: string,
  metricDefinition?: string,
): CheckResult[] {
  return specs.map((spec) => {
    const o = spec.evaluate(ev, ctx, subject)
    const result: CheckResult = {
      id: spec.id,
      phase: spec.phase,
      ...(subject ? { subject } : {}),
      label: spec.label(ctx, subject),
      status: o.status,
      value: o.value,
      measured: o.measured,
      threshold: o.threshold,
      thresholdValue: o.thresholdValue,
      counted: spec.counted,
      reads: spec.reads.map((r) => (source && r !== source ? `${source}#${r}` : r)),
      ...(spec.metricDefinition && metricDefinition ? { metricDefinition } : {}),
    }
    briefs.set(result, o.brief)
    return result
  })
}

function metricsOf(checks: CheckResult[]): Metric[] {
  return checks
    .filter((c) => c.counted && c.measured !== null)
    .map((c) => ({
      key: c.subject ? `${c.id}.${c.subject}` : c.id,
      label: c.subject ? `${c.label} (${c.subject})` : c.label,
      value: c.measured as number,
      ...(c.metricDefinition ? { definition: c.metricDefinition } : {}),
    }))
}

function selfReportWarning(phase: PhaseNumber, source: string, selfPass: boolean | null, status: PhaseStatus): RunWarning | null {
  if (selfPass === null || selfPass === (status === 'pass')) return null
  return {
    code: 'self_report_mismatch',
    phase,
    message: `${source} says pass: ${selfPass}; the recomputed status is ${statusWord(status)}`,
    evidence: `${source}#pass`,
  }
}

function notRun(phase: PhaseNumber): PhaseResult {
  return { phase, status: 'not_run', summary: 'no artifact', checks: [], warnings: [], metrics: [], artifacts: [] }
}

/** The phase object from a file, or from campaign-summary.json's `phases` when the file is absent. */
function phaseObject(
  sources: Sources,
  file: string,
  phase: PhaseNumber,
  match: (o: Record<string, unknown>) => boolean = () => true,
): { obj: Record<string, unknown>; source: string; fallback: boolean; aborted?: string } | { error: string } | null {
  const parsed = sources.parsed.get(file)
  if (parsed) {
    if (parsed.kind !== 'json') return { error: describeUnusable(file, parsed) }
    const identity = phaseIdentityError(parsed.value, phase)
    if (identity) return { error: `${file} is ${identity}` }
    return { obj: parsed.value, source: file, fallback: false, ...(typeof parsed.value.error === 'string' ? { aborted: parsed.value.error } : {}) }
  }
  const fromSummary = sources.summaryPhases.find((p) => num(p.phase) === phase && match(p))
  if (fromSummary) return { obj: fromSummary, source: 'campaign-summary.json#phases', fallback: true }
  return null
}

function fallbackWarning(phase: PhaseNumber, file: string): RunWarning {
  return {
    code: 'evidence_fallback',
    phase,
    message: `${file} is missing; its copy inside campaign-summary.json was used`,
    evidence: 'campaign-summary.json#phases',
  }
}

// ---- phase 1 -----------------------------------------------------------------------------

function evaluatePhase1(sources: Sources, ctx: CheckContext): { result: PhaseResult; evidence: Phase1Evidence[] } {
  const checks: CheckResult[] = []
  const warnings: RunWarning[] = []
  const structural: string[] = []
  const evidence: Phase1Evidence[] = []
  const artifacts: string[] = []
  const briefs = new Map<CheckResult, string>()
  const missingNodes: string[] = []
  for (const node of NODE_ROLES) {
    const file = `phase1-${node}.json`
    const found = phaseObject(sources, file, 1, (o) => (str(o.host) ?? '').endsWith(node))
    if (found === null) {
      missingNodes.push(node)
      continue
    }
    if ('error' in found) {
      structural.push(found.error)
      artifacts.push(file)
      continue
    }
    if (found.fallback) warnings.push(fallbackWarning(1, file))
    else artifacts.push(file)
    if (found.aborted) structural.push(`${file}: the engine stopped early: ${found.aborted}`)
    const ev = parsePhase1(found.obj, found.source)
    evidence.push(ev)
    const nodeChecks = runChecks(PHASE1_CHECKS, ev, ctx, briefs, node, found.source)
    checks.push(...nodeChecks)
    const w = selfReportWarning(1, found.fallback ? `${found.source} (${node})` : file, ev.selfPass, phaseStatus(nodeChecks, []))
    if (w) warnings.push(w)
  }
  if (missingNodes.length === NODE_ROLES.length && structural.length === 0) return { result: notRun(1), evidence }
  for (const node of missingNodes) structural.push(`phase1-${node}.json missing`)
  const status = phaseStatus(checks, structural)
  return {
    result: { phase: 1, status, summary: phaseSummary(status, checks, structural, briefs), checks, warnings, metrics: metricsOf(checks), artifacts },
    evidence,
  }
}

// ---- phase 2 -----------------------------------------------------------------------------

function evaluatePhase2(sources: Sources, ctx: CheckContext): PhaseResult {
  const found = phaseObject(sources, 'phase2.json', 2)
  if (found === null) return notRun(2)
  if ('error' in found) return structuralError(2, found.error, ['phase2.json'])
  const briefs = new Map<CheckResult, string>()
  const ev = parsePhase2(found.obj, found.source)
  // Convergence is per node: one line per node, in the order the seed report lists them.
  const checks = PHASE2_CHECKS.flatMap((spec) =>
    spec.id === 'p2.convergence'
      ? NODE_ROLES.flatMap((node) => runChecks([spec], ev, ctx, briefs, node, found.source, ev.countMethod ?? undefined))
      : runChecks([spec], ev, ctx, briefs, undefined, found.source),
  )
  const warnings: RunWarning[] = []
  const structural = found.aborted ? [`phase2.json: the engine stopped early: ${found.aborted}`] : []
  if (found.fallback) warnings.push(fallbackWarning(2, 'phase2.json'))
  for (const letter of ev.countErrors) {
    warnings.push({ code: 'err_sentinel', phase: 2, message: `count ${letter} is the ERR sentinel: the count query failed`, evidence: `${found.source}#counts.${letter}` })
  }
  for (const letter of ['a', 'b', 'c'] as const) {
    const n = ev.counts[letter]
    if (n !== null && ev.ok !== null && (API_PAGE_CAPS as readonly number[]).includes(n) && n < ev.ok) {
      warnings.push({
        code: 'page_cap',
        phase: 2,
        message: `node-${letter.toUpperCase()} count ${n} equals an API page size (${API_PAGE_CAPS.join('/')}) while ${ev.ok} writes were acknowledged: possible pagination truncation`,
        evidence: `${found.source}#counts.${letter}`,
      })
    }
  }
  const status = phaseStatus(checks, structural)
  const w = selfReportWarning(2, found.source, ev.selfPass, status)
  if (w) warnings.push(w)
  return { phase: 2, status, summary: phaseSummary(status, checks, structural, briefs), checks, warnings, metrics: metricsOf(checks), artifacts: found.fallback ? [] : ['phase2.json'] }
}

function structuralError(phase: PhaseNumber, message: string, artifacts: string[]): PhaseResult {
  return { phase, status: 'error', summary: message, checks: [], warnings: [], metrics: [], artifacts }
}

// ---- phase 3 -----------------------------------------------------------------------------

function evaluatePhase3(sources: Sources, ctx: CheckContext): PhaseResult {
  const found = phaseObject(sources, 'phase3.json', 3)
  if (found === null) return notRun(3)
  if ('error' in found) return structuralError(3, found.error, ['phase3.json'])
  const briefs = new Map<CheckResult, string>()
  const ev = parsePhase3(found.obj, found.source)
  const checks = runChecks(PHASE3_CHECKS, ev, ctx, briefs, undefined, found.source)
  const warnings: RunWarning[] = []
  const structural = found.aborted ? [`phase3.json: the engine stopped early: ${found.aborted}`] : []
  if (found.fallback) warnings.push(fallbackWarning(3, 'phase3.json'))
  const status = phaseStatus(checks, structural)
  const w = selfReportWarning(3, found.source, ev.selfPass, status)
  if (w) warnings.push(w)
  return { phase: 3, status, summary: phaseSummary(status, checks, structural, briefs), checks, warnings, metrics: metricsOf(checks), artifacts: found.fallback ? [] : ['phase3.json'] }
}

// ---- phase 4 -----------------------------------------------------------------------------

function phase4Evidence(sources: Sources): { ev: Phase4Evidence; fallback: boolean } | { error: string } | null {
  const parsed = sources.parsed.get('phase4.json')
  if (parsed?.kind === 'log') {
    const blocks = parseHarnessLog(parsed.text)
    if (blocks.length === 0) return { error: 'phase4.json is a log with no chaos-harness fault block' }
    return { ev: phase4FromLog(blocks, 'phase4.json'), fallback: false }
  }
  const found = phaseObject(sources, 'phase4.json', 4)
  if (found === null) return null
  if ('error' in found) return found
  const jsonl = sources.parsed.get('phase4-cycles.jsonl')
  return { ev: parsePhase4Json(found.obj, found.source, jsonl ? jsonlRows(jsonl) : []), fallback: found.fallback }
}

function jsonlRows(parsed: ParsedArtifact): unknown[] {
  if (parsed.kind === 'json') return [parsed.value]
  const text = parsed.kind === 'log' ? parsed.text : parsed.kind === 'invalid' ? '' : ''
  return text
    .split('\n')
    .filter((l) => l.trim())
    .flatMap((l) => {
      try {
        return [JSON.parse(l) as unknown]
      } catch {
        return []
      }
    })
}

function evaluatePhase4(sources: Sources, ctx: CheckContext): PhaseResult {
  const found = phase4Evidence(sources)
  if (found === null) return notRun(4)
  if ('error' in found) return structuralError(4, found.error, ['phase4.json'])
  const { ev } = found
  const briefs = new Map<CheckResult, string>()
  const phaseChecks = runChecks(PHASE4_CHECKS, ev, ctx, briefs, undefined, ev.source).filter((c) => c.id !== 'p4.parsed' || ev.form === 'log')
  const faultChecks: CheckResult[] = []
  for (const f of ev.faults) {
    const specs = PHASE4_FAULT_CHECKS.filter((s) => {
      if (s.id === 'p4.cycles') return f.cyclesConfigured !== null && f.cyclesRecorded !== null
      if (s.id === 'p4.verified') return f.cycles.some((c) => c.verified !== null)
      return true
    })
    faultChecks.push(...runChecks(specs, f, ctx, briefs, f.fault, ev.source, f.definition))
  }
  const flag = phaseChecks.filter((c) => c.id === 'p4.reported')
  const checks = [...phaseChecks.filter((c) => c.id !== 'p4.reported'), ...faultChecks, ...flag]
  const warnings = phase4Warnings(ev)
  if (found.fallback) warnings.push(fallbackWarning(4, 'phase4.json'))
  const structural = ev.aborted ? [`phase4.json: ${ev.aborted}`] : []
  const status = phaseStatus(checks, structural)
  const w = selfReportWarning(4, ev.source, ev.selfPass, status)
  if (w) warnings.push(w)
  const artifacts = found.fallback ? [] : ['phase4.json', ...(sources.parsed.has('phase4-cycles.jsonl') ? ['phase4-cycles.jsonl'] : [])]
  return { phase: 4, status, summary: phaseSummary(status, checks, structural, briefs), checks, warnings, metrics: metricsOf(checks), artifacts }
}

function isPageCap(n: number | null, ok: number | null): boolean {
  return n !== null && ok !== null && (API_PAGE_CAPS as readonly number[]).includes(n) && n < ok
}

/** Explains phase-4 figures that the history showed to be artefacts of the harness, not the product. */
export function phase4Warnings(ev: Phase4Evidence): RunWarning[] {
  const out: RunWarning[] = []
  const at = (f: FaultEvidence) => `${ev.source}#convergence_by_fault.${f.fault}`
  if (ev.form === 'log') {
    out.push({
      code: 'harness_log',
      phase: 4,
      message: 'phase4.json holds the chaos harness log instead of the phase JSON; summary blocks were extracted and kept as evidence, but a phase never passes from a log',
      evidence: ev.source,
    })
  }
  for (const f of ev.faults) {
    const t = f.totals
    if (f.definition === UPTIME_DEFINITION && t) {
      out.push({
        code: 'uptime_metric',
        phase: 4,
        message: `${f.fault}: ${f.bound} = Σok/Σwrites (${t.ok}/${t.writes}), the uptime metric of run-chaos.sh before PR #312 (${METRIC_DEFINITIONS[UPTIME_DEFINITION]?.id}). It counts writes attempted after the fault, so it cannot say whether acknowledged writes converged.`,
        evidence: at(f),
      })
    }
    const { bound, sumOk } = faultBound(f)
    if (bound !== null && bound > 1) {
      out.push({
        code: 'impossible_bound',
        phase: 4,
        message: `${f.fault}: bound ${Number(bound.toFixed(3))} > 1 is impossible: counts accumulated across cycles (namespace or database reused between cycles)`,
        evidence: at(f),
      })
    }
    if (sumOk === 0 || t?.ok === 0) {
      out.push({
        code: 'degenerate_bound',
        phase: 4,
        message: `${f.fault}: no write was acknowledged (Σok = 0); run-chaos.sh reports 1 in this case, which proves nothing`,
        evidence: at(f),
      })
    }
    const capRows = f.cycles.filter((c) => c.counts.slice(1).some((n) => isPageCap(n, c.ok)))
    if (capRows.length > 0) {
      out.push({
        code: 'page_cap',
        phase: 4,
        message: `${f.fault}: in ${capRows.length} cycle(s) a node count equals an API page size (${API_PAGE_CAPS.join('/')}) below the acknowledged writes: possible pagination truncation`,
        evidence: `${ev.source}#cycles_by_fault.${f.fault}`,
      })
    } else if (f.cycles.length === 0 && f.bound !== null && f.writesPerCycle) {
      const capped = API_PAGE_CAPS.find((cap) => cap < (f.writesPerCycle as number) && floor3(cap / (f.writesPerCycle as number)) === f.bound)
      if (capped !== undefined) {
        out.push({
          code: 'page_cap',
          phase: 4,
          message: `${f.fault}: bound ${f.bound} = ${capped}/${f.writesPerCycle}: each node count read exactly ${capped}, the API's ${capped === 20 ? 'default' : 'maximum'} page size, while ~${f.writesPerCycle} writes per cycle were acknowledged. The count query had no limit, so the figure is the page cap, not convergence (possible pagination truncation).`,
          evidence: at(f),
        })
      }
    }
    if (f.cyclesConfigured !== null && f.cyclesRecorded !== null && f.cyclesRecorded < f.cyclesConfigured) {
      out.push({
        code: 'cycles_short',
        phase: 4,
        message: `${f.fault}: ${f.cyclesRecorded} of ${f.cyclesConfigured} configured cycles recorded${f.error ? ` (${f.error})` : ''}`,
        evidence: at(f),
      })
    }
    const errRows = f.cycles.filter((c) => c.status === 'ok' && c.counts.slice(1).some((n) => n === null))
    if (errRows.length > 0) {
      out.push({ code: 'err_sentinel', phase: 4, message: `${f.fault}: ${errRows.length} cycle(s) have a failed count query (ERR)`, evidence: `${ev.source}#cycles_by_fault.${f.fault}` })
    }
    const unverified = f.cycles.filter((c) => c.verified === false)
    if (unverified.length > 0) {
      out.push({
        code: 'fault_unverified',
        phase: 4,
        message: `${f.fault}: the fault could not be verified in cycle${unverified.length > 1 ? 's' : ''} ${unverified.map((c) => c.cycle).slice(0, 10).join(', ')}${unverified[0]?.error ? `: ${unverified[0].error}` : ''}`,
        evidence: `${ev.source}#cycles_by_fault.${f.fault}`,
      })
    }
  }
  return out
}

/**
 * The `pass` and `reasons` an engine writes into its own artifact, computed by the same catalog
 * (so the artifact agrees with the verdict); the verdict never reads them back.
 */
export function ownVerdict(phase: 1 | 2 | 3, obj: Record<string, unknown>, input: Omit<EvaluationInput, 'artifacts'> = {}): { pass: boolean; reasons: string[] } {
  const ctx: CheckContext = { thresholds: { ...THRESHOLDS, ...input.thresholds }, params: { ...SHIP_GATE_DEFAULT_PARAMS, ...input.params } }
  const briefs = new Map<CheckResult, string>()
  const checks =
    phase === 1
      ? runChecks(PHASE1_CHECKS, parsePhase1(obj, 'self'), ctx, briefs)
      : phase === 2
        ? PHASE2_CHECKS.flatMap((spec) =>
            spec.id === 'p2.convergence' ? NODE_ROLES.flatMap((n) => runChecks([spec], parsePhase2(obj, 'self'), ctx, briefs, n)) : runChecks([spec], parsePhase2(obj, 'self'), ctx, briefs),
          )
        : runChecks(PHASE3_CHECKS, parsePhase3(obj, 'self'), ctx, briefs)
  const bad = checks.filter((c) => c.counted && c.status !== 'pass')
  const aborted = typeof obj.error === 'string' ? [`aborted: ${obj.error}`] : []
  return { pass: bad.length === 0 && aborted.length === 0, reasons: [...aborted, ...bad.map((c) => briefs.get(c) ?? c.label)] }
}
