// The verdict engine: raw artifacts (and the facts of the run: its journal, its teardown) in, phase
// statuses, checks, warnings and the run verdict out. It never reads an artifact's own `pass` /
// `overall_pass` to decide anything; those only raise a warning when they disagree with the evidence.
// Pure: the same input always gives the same evaluation, so a stored run can be judged again.
import {
  type CheckContext,
  type CheckSpec,
  type GateParams,
  METRIC_DEFINITIONS,
  PHASE1_NODE_CHECKS,
  PHASE1_SET_CHECKS,
  PHASE2_CHECKS,
  PHASE3_CHECKS,
  PHASE4_CHECKS,
  PHASE4_FAULT_CHECKS,
  SHIP_GATE_DEFAULT_PARAMS,
  THRESHOLDS,
  type Thresholds,
  API_PAGE_CAPS,
  deviationsOf,
  faultBound,
  isPageCap,
  thresholdSetId,
} from '@shared/catalog'
import type {
  CheckResult,
  Metric,
  PhaseNumber,
  PhaseResult,
  PhaseStatus,
  RunEvaluation,
  RunState,
  RunVerdict,
  RunWarning,
} from '@shared/domain'
import { NODE_ROLES, PHASES } from '@shared/domain'
import type { FaultEvidence, Phase1Evidence, Phase1Set, Phase4Evidence } from '@shared/evidence'
import { statusWord } from '@shared/status'
import { describeUnusable, parseArtifact, type ParsedArtifact } from '../evidence/artifact'
import { parseHarnessLog } from '../evidence/harness-log'
import { parseJsonlObjects } from '../evidence/json-text'
import { bool, isRecord, num, str } from '../evidence/normalize'
import {
  UPTIME_DEFINITION,
  cycleRows,
  parsePhase1,
  parsePhase2,
  parsePhase3,
  parsePhase4Json,
  phase4FromLog,
  phaseIdentityError,
} from '../evidence/phases'

/** Bumped whenever the rules change: stored runs judged by another version are judged again. */
export const EVALUATOR_VERSION = 'evaluator@2'

/** The version string the simulated ai-memory reports; evidence carrying it never certifies a release. */
export const SIMULATOR_MARK = '+shipgate-sim'

export interface ArtifactBytes {
  name: string
  bytes: Uint8Array
}

/** What happened to the run itself, beyond its artifacts: kept in the store, read again when re-judged. */
export interface RunFacts {
  state?: RunState
  /** Why the run stopped early (the dead-man deadline), when it did. */
  stopReason?: string | null
  /** The fault journal at the end of the run: faults and servers, and whether each was undone. */
  journal?: { kind: 'process' | 'fault'; state: 'pending' | 'released' | 'undone' | 'failed'; hostRole: string; label: string; detail: string | null }[]
  /** Outcomes of destroying the run's cloud hosts. */
  cloudTeardown?: { verified: boolean; message: string }[]
}

export interface EvaluationInput {
  artifacts: ArtifactBytes[]
  params?: Partial<GateParams>
  thresholds?: Partial<Thresholds>
  facts?: RunFacts
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

interface PreflightProblem {
  phases: PhaseNumber[]
  message: string
}

interface Sources {
  parsed: Map<string, ParsedArtifact>
  jsonl: Map<string, { rows: Record<string, unknown>[] } | { error: string }>
  summaryPhases: Record<string, unknown>[]
  preflight: PreflightProblem[]
}

function contextOf(input: Omit<EvaluationInput, 'artifacts' | 'facts'>): CheckContext {
  return {
    thresholds: { ...THRESHOLDS, ...definedOnly(input.thresholds ?? {}) },
    params: { ...SHIP_GATE_DEFAULT_PARAMS, ...definedOnly(input.params ?? {}) },
  }
}

function definedOnly<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>
}

export function evaluateRun(input: EvaluationInput): Evaluated {
  const ctx = contextOf(input)
  const parsed = new Map<string, ParsedArtifact>()
  const jsonl = new Map<string, { rows: Record<string, unknown>[] } | { error: string }>()
  for (const a of input.artifacts) {
    if (a.name.endsWith('.jsonl')) jsonl.set(a.name, parseJsonlObjects(Buffer.from(a.bytes.buffer, a.bytes.byteOffset, a.bytes.byteLength).toString('utf8'), a.name))
    else parsed.set(a.name, parseArtifact(a.bytes))
  }

  const runWarnings: RunWarning[] = []
  const summary = parsed.get('campaign-summary.json')
  const summaryObj = summary?.kind === 'json' ? summary.value : null
  if (summary && summary.kind !== 'json') {
    runWarnings.push({ code: 'harness_log', message: describeUnusable('campaign-summary.json', summary), evidence: 'campaign-summary.json' })
  }
  const summaryPhases = Array.isArray(summaryObj?.phases) ? summaryObj.phases.filter(isRecord) : []
  const sources: Sources = { parsed, jsonl, summaryPhases, preflight: preflightProblems(parsed.get('preflight.json')) }

  const phase1 = evaluatePhase1(sources, ctx)
  const phases: PhaseResult[] = [phase1.result, evaluatePhase2(sources, ctx), evaluatePhase3(sources, ctx), evaluatePhase4(sources, ctx)].map((p) => withPreflight(p, sources.preflight))

  const versions = [...phase1.evidence.map((e) => e.version), ...preflightVersions(parsed.get('preflight.json'))].filter((v): v is string => Boolean(v))
  const simulated = versions.some((v) => v.includes(SIMULATOR_MARK))
  if (simulated) {
    runWarnings.push({
      code: 'simulated',
      message: `the nodes ran Shipgate Lab's simulated ai-memory (${versions.find((v) => v.includes(SIMULATOR_MARK))}): this run shows the gate works, it certifies no release`,
      evidence: 'phase1-node-*.json#version',
    })
  }
  const deviations = deviationsOf(ctx.thresholds, ctx.params)
  const weakened = deviations.filter((d) => d.direction === 'weaker')
  if (weakened.length > 0) runWarnings.push({ code: 'weakened', message: weakened.map((d) => d.text).join('; ') })

  const facts = factFindings(input.facts ?? {})
  runWarnings.push(...facts.warnings)
  let verdict = runVerdict(phases)
  let reason = verdictReason(verdict, phases)
  if (verdict === 'pass' && facts.blocking.length > 0) {
    // The evidence passed, but the run left a fault it cannot prove it healed: not a clean pass.
    verdict = 'incomplete'
    reason = `${statusWord('incomplete')} — ${joinBriefs(facts.blocking)}`
  }

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
    reason,
    phases,
    warnings: runWarnings,
    evaluatorVersion: EVALUATOR_VERSION,
    thresholdSet: thresholdSetId(deviations),
    thresholds: ctx.thresholds,
    params: ctx.params,
    deviations,
    simulated,
  }
  return {
    evaluation,
    meta: {
      campaignId: summaryObj ? str(summaryObj.campaign_id) : null,
      aiMemoryRef: summaryObj ? str(summaryObj.ai_memory_git_ref) : null,
      aiMemoryVersion: versions[0] ?? null,
      completedAt: summaryObj ? str(summaryObj.completed_at) : null,
      overallPass,
    },
  }
}

// ---- run facts -----------------------------------------------------------------------------

function factFindings(facts: RunFacts): { warnings: RunWarning[]; blocking: string[] } {
  const warnings: RunWarning[] = []
  const blocking: string[] = []
  if (facts.state === 'cancelled') warnings.push({ code: 'interrupted', message: 'the run was cancelled; phases after the cancel did not run' })
  if (facts.state === 'interrupted') warnings.push({ code: 'interrupted', message: 'the process running this campaign stopped before the end (crash or kill); phases without evidence did not run' })
  if (facts.stopReason) warnings.push({ code: 'interrupted', message: facts.stopReason })
  const finished = facts.state !== undefined && facts.state !== 'running'
  for (const e of facts.journal ?? []) {
    const unresolved = e.state === 'failed' || (finished && e.state === 'pending')
    if (!unresolved) continue
    const why = e.state === 'pending' ? 'never undone' : `undo failed: ${e.detail ?? 'no detail'}`
    if (e.kind === 'fault') {
      const text = `heal not verified on ${e.hostRole}: ${e.label} (${why})`
      warnings.push({ code: 'heal_unverified', message: `${text}; the host may still be faulted` })
      blocking.push(text)
    } else {
      warnings.push({ code: 'teardown', message: `a server the run started may still be running on ${e.hostRole}: ${e.label} (${why}); run \`shipgate recover\`` })
    }
  }
  for (const t of facts.cloudTeardown ?? []) {
    if (!t.verified) warnings.push({ code: 'cloud_teardown', message: `${t.message}. Run \`shipgate reconcile\` to destroy them.` })
  }
  return { warnings, blocking }
}

// ---- preflight -----------------------------------------------------------------------------

function preflightProblems(parsed: ParsedArtifact | undefined): PreflightProblem[] {
  if (!parsed) return []
  if (parsed.kind !== 'json') return [{ phases: [...PHASES], message: describeUnusable('preflight.json', parsed) }]
  const problems = Array.isArray(parsed.value.problems) ? parsed.value.problems.filter(isRecord) : []
  return problems.map((p) => {
    const phases = Array.isArray(p.phases) ? p.phases.map(num).filter((n): n is PhaseNumber => n !== null && (PHASES as readonly number[]).includes(n)) : []
    const fix = str(p.fix)
    return { phases: phases.length ? phases : [...PHASES], message: `${str(p.message) ?? 'preflight failed'}${fix ? ` — fix: ${fix}` : ''}` }
  })
}

function preflightVersions(parsed: ParsedArtifact | undefined): string[] {
  if (parsed?.kind !== 'json' || !isRecord(parsed.value.versions)) return []
  return Object.values(parsed.value.versions).map(str).filter((v): v is string => v !== null)
}

/** A phase the preflight stopped is an error that names the cause, never a product failure. */
function withPreflight(p: PhaseResult, problems: PreflightProblem[]): PhaseResult {
  const mine = problems.filter((x) => x.phases.includes(p.phase))
  if (mine.length === 0) return p
  const summary = `preflight: ${joinBriefs(mine.map((x) => x.message))}`
  if (p.status === 'not_run') return { ...p, status: 'error', summary, artifacts: ['preflight.json'] }
  return { ...p, warnings: [...p.warnings, { code: 'harness_log', phase: p.phase, message: summary, evidence: 'preflight.json' }] }
}

// ---- status rules ------------------------------------------------------------------------

export function runVerdict(phases: PhaseResult[]): RunVerdict {
  if (phases.some((p) => p.status === 'fail')) return 'fail'
  if (phases.length === 4 && phases.every((p) => p.status === 'pass')) return 'pass'
  return 'incomplete'
}

/**
 * A failing check is evidence of failure even when other evidence is broken; otherwise broken →
 * error. An environment error (the phase could not test the product at all) is always an error.
 */
function phaseStatus(checks: CheckResult[], structuralErrors: string[], environmentErrors: string[] = []): PhaseStatus {
  const counted = checks.filter((c) => c.counted)
  if (environmentErrors.length > 0) return 'error'
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

// ---- running the catalog -------------------------------------------------------------------

interface PhaseWork {
  checks: CheckResult[]
  warnings: RunWarning[]
  briefs: Map<CheckResult, string>
}

function newWork(): PhaseWork {
  return { checks: [], warnings: [], briefs: new Map() }
}

/** Runs one spec of the catalog against one subject's evidence: applicability, definition gate, page caps. */
function runSpec<E>(work: PhaseWork, spec: CheckSpec<E>, ev: E, ctx: CheckContext, subject: string | undefined, source: string): void {
  if (spec.applies && !spec.applies(ev, ctx)) return
  const definition = spec.definitionOf?.(ev)
  // Only definitions the catalog knows are trusted: an artifact cannot invent its own metric.
  const o =
    definition !== undefined && !METRIC_DEFINITIONS[definition]
      ? { status: 'error' as const, measured: null, value: `unknown metric definition ${JSON.stringify(definition)}: only definitions Shipgate Lab knows are trusted`, threshold: '', thresholdValue: null, brief: `${subject ? `${subject}: ` : ''}unknown metric definition ${definition}` }
      : spec.evaluate(ev, ctx, subject)
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
    reads: spec.reads.map((r) => (r.includes('#') || r.includes('.json') ? r : `${source}#${r}`)),
    ...(definition !== undefined ? { metricDefinition: definition } : {}),
    ...('stated' in o && o.stated ? { provenance: 'stated' as const } : {}),
  }
  work.checks.push(result)
  work.briefs.set(result, o.brief)
  const caps = (spec.pageCaps?.(ev, subject) ?? []).filter((c) => isPageCap(c.count, c.acknowledged))
  const first = caps[0]
  if (first) {
    const which = first.count === API_PAGE_CAPS[0] ? 'default' : 'maximum'
    const figure = first.note ?? `${caps.length > 1 ? `${caps.length} counts equal` : `count ${first.count} equals`} an API page size (${API_PAGE_CAPS.join('/')}) while ${first.acknowledged} writes were acknowledged`
    work.warnings.push({
      code: 'page_cap',
      phase: spec.phase,
      message: `${subject ? `${subject}: ` : ''}${figure}; ${first.count} is the API's ${which} page size, so the figure may be the page cap, not convergence (possible pagination truncation)`,
      evidence: `${source}#${first.where}`,
    })
  }
}

function metricsOf(checks: CheckResult[]): Metric[] {
  return checks
    .filter((c) => c.counted && c.measured !== null)
    .map((c) => ({
      key: c.subject ? `${c.id}.${c.subject}` : c.id,
      label: c.subject ? `${c.label} (${c.subject})` : c.label,
      value: c.measured as number,
      ...(c.metricDefinition ? { definition: c.metricDefinition } : {}),
      ...(c.provenance === 'stated' ? { unit: 'stated by the harness, not recomputed' } : {}),
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

function finishPhase(phase: PhaseNumber, work: PhaseWork, structural: string[], artifacts: string[], environment: string[] = []): PhaseResult {
  const status = phaseStatus(work.checks, structural, environment)
  const summary = environment.length ? `environment: ${joinBriefs(environment)}` : phaseSummary(status, work.checks, structural, work.briefs)
  return { phase, status, summary, checks: work.checks, warnings: work.warnings, metrics: metricsOf(work.checks), artifacts }
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

function structuralError(phase: PhaseNumber, message: string, artifacts: string[]): PhaseResult {
  return { phase, status: 'error', summary: message, checks: [], warnings: [], metrics: [], artifacts }
}

// ---- phase 1 -----------------------------------------------------------------------------

function evaluatePhase1(sources: Sources, ctx: CheckContext): { result: PhaseResult; evidence: Phase1Evidence[] } {
  const work = newWork()
  const structural: string[] = []
  const artifacts: string[] = []
  const set: Phase1Set = { nodes: {}, expectedHosts: ctx.params.nodeHosts }
  let absent = 0
  for (const node of NODE_ROLES) {
    const file = `phase1-${node}.json`
    const found = phaseObject(sources, file, 1, (o) => (str(o.host) ?? '').endsWith(node))
    if (found === null) {
      absent++
      continue
    }
    if ('error' in found) {
      structural.push(found.error)
      artifacts.push(file)
      continue
    }
    if (found.fallback) work.warnings.push(fallbackWarning(1, file))
    else artifacts.push(file)
    if (found.aborted) structural.push(`${file}: the engine stopped early: ${found.aborted}`)
    set.nodes[node] = parsePhase1(found.obj, found.source)
  }
  const evidence = Object.values(set.nodes)
  if (absent === NODE_ROLES.length && structural.length === 0) return { result: notRun(1), evidence }
  // Identity first: three distinct hosts, each in its role (a missing file is named there).
  for (const spec of PHASE1_SET_CHECKS) runSpec(work, spec, set, ctx, undefined, 'phase1-node-*.json')
  for (const node of NODE_ROLES) {
    const ev = set.nodes[node]
    if (!ev) continue
    const before = work.checks.length
    for (const spec of PHASE1_NODE_CHECKS) runSpec(work, spec, ev, ctx, node, ev.source)
    const w = selfReportWarning(1, ev.source.startsWith('campaign-summary') ? `${ev.source} (${node})` : ev.source, ev.selfPass, phaseStatus(work.checks.slice(before), []))
    if (w) work.warnings.push(w)
  }
  return { result: finishPhase(1, work, structural, artifacts), evidence }
}

// ---- phase 2 -----------------------------------------------------------------------------

function evaluatePhase2(sources: Sources, ctx: CheckContext): PhaseResult {
  const found = phaseObject(sources, 'phase2.json', 2)
  if (found === null) return notRun(2)
  if ('error' in found) return structuralError(2, found.error, ['phase2.json'])
  const work = newWork()
  const ev = parsePhase2(found.obj, found.source)
  // Spec order, one line per node for per-node specs, as the seed report lists them.
  for (const spec of PHASE2_CHECKS) {
    if (spec.expand === 'node') for (const node of NODE_ROLES) runSpec(work, spec, ev, ctx, node, found.source)
    else runSpec(work, spec, ev, ctx, undefined, found.source)
  }
  const structural = found.aborted ? [`phase2.json: the engine stopped early: ${found.aborted}`] : []
  if (found.fallback) work.warnings.push(fallbackWarning(2, 'phase2.json'))
  for (const letter of ev.countErrors) {
    work.warnings.push({ code: 'err_sentinel', phase: 2, message: `count ${letter} is the ERR sentinel: the count query failed`, evidence: `${found.source}#counts.${letter}` })
  }
  const result = finishPhase(2, work, structural, found.fallback ? [] : ['phase2.json'])
  const w = selfReportWarning(2, found.source, ev.selfPass, result.status)
  if (w) result.warnings.push(w)
  return result
}

// ---- phase 3 -----------------------------------------------------------------------------

function evaluatePhase3(sources: Sources, ctx: CheckContext): PhaseResult {
  const found = phaseObject(sources, 'phase3.json', 3)
  if (found === null) return notRun(3)
  if ('error' in found) return structuralError(3, found.error, ['phase3.json'])
  const work = newWork()
  const ev = parsePhase3(found.obj, found.source)
  const environment = ev.environmentError ? [ev.environmentError] : []
  if (environment.length === 0) for (const spec of PHASE3_CHECKS) runSpec(work, spec, ev, ctx, undefined, found.source)
  const structural = found.aborted && environment.length === 0 ? [`phase3.json: the engine stopped early: ${found.aborted}`] : []
  if (found.fallback) work.warnings.push(fallbackWarning(3, 'phase3.json'))
  const result = finishPhase(3, work, structural, found.fallback ? [] : ['phase3.json'], environment)
  const w = selfReportWarning(3, found.source, ev.selfPass, result.status)
  if (w) result.warnings.push(w)
  return result
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
  const rows = cycleRows(found.obj, sources.jsonl.get('phase4-cycles.jsonl') ?? null)
  return { ev: parsePhase4Json(found.obj, found.source, rows), fallback: found.fallback }
}

function evaluatePhase4(sources: Sources, ctx: CheckContext): PhaseResult {
  const found = phase4Evidence(sources)
  if (found === null) return notRun(4)
  if ('error' in found) return structuralError(4, found.error, ['phase4.json'])
  const { ev } = found
  const work = newWork()
  for (const spec of PHASE4_CHECKS.filter((s) => s.counted)) runSpec(work, spec, ev, ctx, undefined, ev.source)
  for (const f of ev.faults) for (const spec of PHASE4_FAULT_CHECKS) runSpec(work, spec, f, ctx, f.fault, ev.source)
  for (const spec of PHASE4_CHECKS.filter((s) => !s.counted)) runSpec(work, spec, ev, ctx, undefined, ev.source)
  work.warnings.push(...phase4Warnings(ev))
  if (found.fallback) work.warnings.push(fallbackWarning(4, 'phase4.json'))
  const structural = ev.aborted ? [`phase4.json: ${ev.aborted}`] : []
  const artifacts = found.fallback ? [] : ['phase4.json', ...(sources.jsonl.has('phase4-cycles.jsonl') ? ['phase4-cycles.jsonl'] : [])]
  const result = finishPhase(4, work, structural, artifacts)
  const w = selfReportWarning(4, ev.source, ev.selfPass, result.status)
  if (w) result.warnings.push(w)
  return result
}

/** Explains phase-4 figures that the history showed to be artefacts of the harness, not the product. */
export function phase4Warnings(ev: Phase4Evidence): RunWarning[] {
  const out: RunWarning[] = []
  const at = (f: FaultEvidence) => `${ev.source}#convergence_by_fault.${f.fault}`
  const rowsAt = (f: FaultEvidence) => `${ev.rowsSource ?? ev.source}#${f.fault}`
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
    const { bound, sumOk, from } = faultBound(f)
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
    if (from === 'stated' && f.bound !== null && ev.form !== 'log') {
      out.push({ code: 'stated_value', phase: 4, message: `${f.fault}: the bound ${f.bound} is stated by the harness, not recomputed (the artifact keeps no per-cycle rows)`, evidence: at(f) })
    }
    if (f.cyclesConfigured !== null && f.cycles.length === 0 && f.cyclesRecorded !== null && f.cyclesRecorded < f.cyclesConfigured) {
      out.push({
        code: 'cycles_short',
        phase: 4,
        message: `${f.fault}: ${f.cyclesRecorded} of ${f.cyclesConfigured} configured cycles recorded${f.error ? ` (${f.error})` : ''}`,
        evidence: at(f),
      })
    }
    const errRows = f.cycles.filter((c) => c.status === 'ok' && c.counts.slice(1).some((n) => n === null))
    if (errRows.length > 0) {
      out.push({ code: 'err_sentinel', phase: 4, message: `${f.fault}: ${errRows.length} cycle(s) have a failed count query (ERR)`, evidence: rowsAt(f) })
    }
    const unverified = f.cycles.filter((c) => c.verified === false)
    if (unverified.length > 0) {
      out.push({
        code: 'fault_unverified',
        phase: 4,
        message: `${f.fault}: the fault could not be verified in cycle${unverified.length > 1 ? 's' : ''} ${unverified.map((c) => c.cycle).slice(0, 10).join(', ')}${unverified[0]?.error ? `: ${unverified[0].error}` : ''}`,
        evidence: rowsAt(f),
      })
    }
    const unhealed = f.cycles.filter((c) => c.healVerified === false)
    if (unhealed.length > 0) {
      out.push({
        code: 'heal_unverified',
        phase: 4,
        message: `${f.fault}: the heal could not be verified in cycle${unhealed.length > 1 ? 's' : ''} ${unhealed.map((c) => c.cycle).slice(0, 10).join(', ')}; later cycles on that host are errors until a heal is verified`,
        evidence: rowsAt(f),
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
  const ctx = contextOf(input)
  const work = newWork()
  if (phase === 1) {
    const ev = parsePhase1(obj, 'self')
    for (const spec of PHASE1_NODE_CHECKS) runSpec(work, spec, ev, ctx, undefined, 'self')
  } else if (phase === 2) {
    const ev = parsePhase2(obj, 'self')
    for (const spec of PHASE2_CHECKS) {
      if (spec.expand === 'node') for (const n of NODE_ROLES) runSpec(work, spec, ev, ctx, n, 'self')
      else runSpec(work, spec, ev, ctx, undefined, 'self')
    }
  } else {
    const ev = parsePhase3(obj, 'self')
    if (!ev.environmentError) for (const spec of PHASE3_CHECKS) runSpec(work, spec, ev, ctx, undefined, 'self')
  }
  const bad = work.checks.filter((c) => c.counted && c.status !== 'pass')
  const stops = [typeof obj.error === 'string' ? `aborted: ${obj.error}` : null, typeof obj.environment_error === 'string' ? `environment: ${obj.environment_error}` : null].filter((x): x is string => x !== null)
  return { pass: bad.length === 0 && stops.length === 0, reasons: [...stops, ...bad.map((c) => work.briefs.get(c) ?? c.label)] }
}
