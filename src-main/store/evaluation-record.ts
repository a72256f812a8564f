// The stored evaluation is read back through this schema: a row whose evaluation_json lost a field
// (a hand-edited database, a bug in an older build) becomes a coded error naming the run and the
// field, never an object the report, compare or the narrative drafter crash on later.
// Fields added by later evaluators (thresholdSet, deviations, simulated) stay optional: old rows
// are judged again at the next start and gain them then.
import { z } from 'zod'
import type { RunEvaluation } from '@shared/domain'
import { AppError } from '../lib/errors'

const phaseStatus = z.enum(['pass', 'fail', 'error', 'not_run'])
const warning = z.looseObject({ code: z.string(), message: z.string(), evidence: z.string().optional() })

const check = z.looseObject({
  id: z.string(),
  label: z.string(),
  status: z.enum(['pass', 'fail', 'error']),
  value: z.string(),
  threshold: z.string(),
  measured: z.number().nullable(),
  counted: z.boolean(),
  subject: z.string().optional(),
  provenance: z.literal('stated').optional(),
})

const phase = z.looseObject({
  phase: z.union([z.literal(1), z.literal(2), z.literal(3), z.literal(4)]),
  status: phaseStatus,
  summary: z.string(),
  checks: z.array(check),
  warnings: z.array(warning),
  artifacts: z.array(z.string()),
})

export const evaluationRecordSchema = z.looseObject({
  verdict: z.enum(['pass', 'fail', 'incomplete']),
  reason: z.string(),
  phases: z.array(phase),
  warnings: z.array(warning),
  evaluatorVersion: z.string(),
  thresholdSet: z.string().optional(),
  thresholds: z.looseObject({ p4BoundMin: z.number() }).optional(),
  deviations: z.array(z.looseObject({ key: z.string(), text: z.string() })).optional(),
  simulated: z.boolean().optional(),
})

function pathOf(issue: z.core.$ZodIssue): string {
  return issue.path.reduce<string>((out, k) => (typeof k === 'number' ? `${out}[${k}]` : out ? `${out}.${String(k)}` : String(k)), '') || '(evaluation)'
}

/** Parses a stored evaluation; a malformed one is `DB` error naming the run and the first bad field. */
export function parseStoredEvaluation(runId: string, json: string): RunEvaluation {
  let value: unknown
  try {
    value = JSON.parse(json)
  } catch {
    throw new AppError('DB', `the stored evaluation of run ${runId} is not JSON`, { details: { runId } })
  }
  const parsed = evaluationRecordSchema.safeParse(value)
  if (!parsed.success) {
    const issue = parsed.error.issues[0]
    const where = issue ? `${pathOf(issue)}: ${issue.message}` : 'malformed'
    throw new AppError('DB', `the stored evaluation of run ${runId} is malformed (${where}); re-import the run (\`shipgate import --replace\`) to judge it again from its evidence`, { details: { runId, field: issue ? pathOf(issue) : null } })
  }
  return value as RunEvaluation
}
