// Shape checks for records the main process sends: a record that lost a field (an old build, a
// hand-edited database, a hostile bundle that slipped through) becomes a RecordError naming the
// field, shown in a panel, never a blank window or a crash deep inside a view.
import type { Annotation } from '@shared/domain'
import type { ReportData } from '@shared/views'

export class RecordError extends Error {
  constructor(
    readonly field: string,
    problem: string,
  ) {
    super(`${field}: ${problem}`)
    this.name = 'RecordError'
  }
}

type Obj = Record<string, unknown>

function obj(v: unknown, field: string): Obj {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new RecordError(field, 'expected an object')
  return v as Obj
}
function arr(v: unknown, field: string): unknown[] {
  if (!Array.isArray(v)) throw new RecordError(field, 'expected a list')
  return v
}
function text(v: unknown, field: string): string {
  if (typeof v !== 'string') throw new RecordError(field, 'expected text')
  return v
}
function oneOf(v: unknown, field: string, values: readonly string[]): void {
  if (typeof v !== 'string' || !values.includes(v)) throw new RecordError(field, `expected one of ${values.join(', ')}`)
}
function numberOrNull(v: unknown, field: string): void {
  if (v !== null && typeof v !== 'number') throw new RecordError(field, 'expected a number')
}

const PHASE_STATUSES = ['pass', 'fail', 'error', 'not_run'] as const
const CHECK_STATUSES = ['pass', 'fail', 'error'] as const
const VERDICTS = ['pass', 'fail', 'incomplete'] as const

function checkWarnings(v: unknown, field: string): void {
  arr(v, field).forEach((w, i) => text(obj(w, `${field}[${i}]`).message, `${field}[${i}].message`))
}

/** The parts of a report every section reads; a narrative is checked on its own (checkAnnotation). */
export function checkReport(value: unknown): ReportData {
  const data = obj(value, 'report')
  const run = obj(data.run, 'run')
  text(run.id, 'run.id')
  const e = obj(run.evaluation, 'evaluation')
  oneOf(e.verdict, 'evaluation.verdict', VERDICTS)
  text(e.reason, 'evaluation.reason')
  const phases = arr(e.phases, 'evaluation.phases')
  if (phases.length === 0) throw new RecordError('evaluation.phases', 'no phases (an evaluation always judges phases 1 to 4)')
  phases.forEach((p, i) => {
    const f = `evaluation.phases[${i}]`
    const phase = obj(p, f)
    if (![1, 2, 3, 4].includes(phase.phase as number)) throw new RecordError(`${f}.phase`, 'expected 1, 2, 3 or 4')
    oneOf(phase.status, `${f}.status`, PHASE_STATUSES)
    text(phase.summary, `${f}.summary`)
    arr(phase.checks, `${f}.checks`).forEach((c, k) => {
      const cf = `${f}.checks[${k}]`
      const check = obj(c, cf)
      text(check.id, `${cf}.id`)
      text(check.label, `${cf}.label`)
      text(check.value, `${cf}.value`)
      text(check.threshold, `${cf}.threshold`)
      oneOf(check.status, `${cf}.status`, CHECK_STATUSES)
    })
    checkWarnings(phase.warnings, `${f}.warnings`)
    arr(phase.artifacts, `${f}.artifacts`)
  })
  checkWarnings(e.warnings, 'evaluation.warnings')
  if (e.deviations !== undefined) arr(e.deviations, 'evaluation.deviations').forEach((d, i) => text(obj(d, `evaluation.deviations[${i}]`).text, `evaluation.deviations[${i}].text`))
  if (e.thresholds !== undefined) numberOrNull(obj(e.thresholds, 'evaluation.thresholds').p4BoundMin ?? null, 'evaluation.thresholds.p4BoundMin')
  arr(run.artifacts, 'run.artifacts')
  arr(run.phaseTimings, 'run.phaseTimings')
  if (run.verdictHistory !== undefined) arr(run.verdictHistory, 'run.verdictHistory')
  arr(data.cycles, 'cycles')
  arr(data.journal, 'journal')
  if (typeof data.logLines !== 'number') throw new RecordError('logLines', 'expected a number')
  return value as ReportData
}

/** A narrative: every field text, bugs a list of text fields with links. */
export function checkAnnotation(value: unknown, field = 'narrative'): Annotation {
  const a = obj(value, field)
  for (const k of ['headline', 'verdictLine', 'whatItTested', 'whatItProved', 'forNonTechnical', 'forCLevel', 'forEngineers', 'nextRunChange'] as const) text(a[k], `${field}.${k}`)
  arr(a.bugs, `${field}.bugs`).forEach((b, i) => {
    const f = `${field}.bugs[${i}]`
    const bug = obj(b, f)
    for (const k of ['title', 'impact', 'rootCause'] as const) text(bug[k], `${f}.${k}`)
    arr(bug.fixedIn, `${f}.fixedIn`).forEach((l, k) => {
      const link = obj(l, `${f}.fixedIn[${k}]`)
      text(link.label, `${f}.fixedIn[${k}].label`)
      text(link.url, `${f}.fixedIn[${k}].url`)
    })
  })
  return value as Annotation
}
