// Run-to-run comparison: pure, on evaluations only, so the CLI and the UI show the same thing.
import type { CheckResult, CheckStatus, Deviation, PhaseNumber, PhaseStatus, RunEvaluation, RunSummary } from './domain'
import { THRESHOLD_SET_ID } from './thresholds'
import { METRIC_DEFINITIONS } from './catalog'

export interface CheckChange {
  key: string
  phase: PhaseNumber
  id: string
  subject?: string
  label: string
  from: CheckStatus | 'absent'
  to: CheckStatus | 'absent'
  valueFrom: string | null
  valueTo: string | null
  /** `stated`: that side's value is the harness's figure, not recomputed. */
  provenanceFrom?: 'stated'
  provenanceTo?: 'stated'
}

export interface MetricChange {
  key: string
  phase: PhaseNumber
  label: string
  from: number | null
  to: number | null
  delta: number | null
  definitionFrom: string | null
  definitionTo: string | null
  definitionChanged: boolean
  provenanceFrom?: 'stated'
  provenanceTo?: 'stated'
}

/** What one side of a comparison was judged with. */
export interface JudgedWith {
  thresholdSet: string
  deviations: Deviation[]
  simulated: boolean
  evaluatorVersion: string
}

export interface Comparison {
  a: RunSummary
  b: RunSummary
  phases: { phase: PhaseNumber; from: PhaseStatus; to: PhaseStatus }[]
  flipped: CheckChange[]
  moved: MetricChange[]
  /** Why some numbers cannot be compared as-is (a metric's definition or the threshold set differs). */
  warnings: string[]
  unchanged: number
  /** Each side's threshold set, its deviations from the defaults, and whether it was simulated. */
  judged: { a: JudgedWith; b: JudgedWith; thresholdSetsDiffer: boolean }
}

export function checkKey(c: Pick<CheckResult, 'id' | 'subject'>): string {
  return c.subject ? `${c.id}.${c.subject}` : c.id
}

function indexChecks(e: RunEvaluation): Map<string, CheckResult> {
  const m = new Map<string, CheckResult>()
  for (const p of e.phases) for (const c of p.checks) if (c.counted) m.set(checkKey(c), c)
  return m
}

function round(x: number): number {
  return Math.round(x * 1e6) / 1e6
}

export function compareEvaluations(a: RunSummary, ea: RunEvaluation, b: RunSummary, eb: RunEvaluation): Comparison {
  const ca = indexChecks(ea)
  const cb = indexChecks(eb)
  const keys = [...new Set([...ca.keys(), ...cb.keys()])]
  const flipped: CheckChange[] = []
  const moved: MetricChange[] = []
  const warnings: string[] = []
  let unchanged = 0
  for (const key of keys) {
    const x = ca.get(key)
    const y = cb.get(key)
    const ref = (y ?? x) as CheckResult
    const from = x?.status ?? 'absent'
    const to = y?.status ?? 'absent'
    if (from !== to) {
      flipped.push({
        key,
        phase: ref.phase,
        id: ref.id,
        ...(ref.subject ? { subject: ref.subject } : {}),
        label: ref.label,
        from,
        to,
        valueFrom: x?.value ?? null,
        valueTo: y?.value ?? null,
        ...provenanceOf(x, y),
      })
    }
    const mx = x?.measured ?? null
    const my = y?.measured ?? null
    const defFrom = x?.metricDefinition ?? null
    const defTo = y?.metricDefinition ?? null
    const definitionChanged = x !== undefined && y !== undefined && defFrom !== defTo
    if (mx !== my || definitionChanged) {
      moved.push({
        key,
        phase: ref.phase,
        label: ref.subject ? `${ref.label} (${ref.subject})` : ref.label,
        from: mx,
        to: my,
        delta: mx !== null && my !== null ? round(my - mx) : null,
        definitionFrom: defFrom,
        definitionTo: defTo,
        definitionChanged,
        ...provenanceOf(x, y),
      })
    } else if (from === to) unchanged++
    if (definitionChanged) {
      const describe = (id: string | null) => (id ? `${id}${METRIC_DEFINITIONS[id] ? ` (${METRIC_DEFINITIONS[id]?.formula})` : ''}` : 'none')
      warnings.push(`${key}: the metric definition differs (${describe(defFrom)} → ${describe(defTo)}); the two values do not measure the same thing`)
    }
    const stated = [x?.provenance === 'stated' ? a.id : null, y?.provenance === 'stated' ? b.id : null].filter((r): r is string => r !== null)
    if (stated.length > 0 && (mx !== my || definitionChanged)) warnings.push(`${key}: the value of ${stated.join(' and ')} is stated by the harness, not recomputed`)
  }
  if (ea.thresholdSet !== eb.thresholdSet) {
    // Old evaluations have no deviation list: the set id is all that can be shown.
    const describeSet = (e: RunEvaluation) => `${e.thresholdSet}${e.deviations?.length ? ` (${e.deviations.map((d) => d.text).join('; ')})` : ''}`
    warnings.push(`the two runs were judged with different threshold sets: ${a.id} by ${describeSet(ea)}, ${b.id} by ${describeSet(eb)}`)
  }
  if (Boolean(ea.simulated) !== Boolean(eb.simulated)) warnings.push(`${ea.simulated ? a.id : b.id} ran against Shipgate Lab's simulated ai-memory, ${ea.simulated ? b.id : a.id} against a real one`)
  if (ea.evaluatorVersion !== eb.evaluatorVersion) warnings.push(`evaluated by different rule versions: ${ea.evaluatorVersion} → ${eb.evaluatorVersion}`)
  const phases = ([1, 2, 3, 4] as PhaseNumber[]).map((phase) => ({
    phase,
    from: ea.phases.find((p) => p.phase === phase)?.status ?? 'not_run',
    to: eb.phases.find((p) => p.phase === phase)?.status ?? 'not_run',
  }))
  const order = (c: { phase: number; key: string }) => `${c.phase}:${c.key}`
  flipped.sort((p, q) => order(p).localeCompare(order(q)))
  moved.sort((p, q) => order(p).localeCompare(order(q)))
  const judged = { a: judgedWith(ea), b: judgedWith(eb) }
  return { a, b, phases, flipped, moved, warnings, unchanged, judged: { ...judged, thresholdSetsDiffer: judged.a.thresholdSet !== judged.b.thresholdSet } }
}

function provenanceOf(x: CheckResult | undefined, y: CheckResult | undefined): Pick<CheckChange, 'provenanceFrom' | 'provenanceTo'> {
  return { ...(x?.provenance ? { provenanceFrom: x.provenance } : {}), ...(y?.provenance ? { provenanceTo: y.provenance } : {}) }
}

/** Old evaluations have no set id or deviations: they were judged with the defaults. */
function judgedWith(e: RunEvaluation): JudgedWith {
  return { thresholdSet: e.thresholdSet ?? THRESHOLD_SET_ID, deviations: e.deviations ?? [], simulated: Boolean(e.simulated), evaluatorVersion: e.evaluatorVersion }
}
