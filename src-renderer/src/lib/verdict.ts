// What the views say about a verdict beyond its word: the threshold the run was judged with, how
// its thresholds differ from the gate's, its earlier verdicts, and preflight problems split into
// cause and fix. Pure functions of the evaluation, so every view says the same.
import type { Deviation, PastVerdict, RunDetail, RunEvaluation } from '@shared/domain'
import { statusWord } from '@shared/status'

export const STATED_TEXT = 'stated by the harness, not recomputed'

/** The convergence threshold this run was judged with (never the gate's default); null when the record has none. */
export function boundThreshold(e: RunEvaluation): number | null {
  const t = e.thresholds?.p4BoundMin
  return typeof t === 'number' ? t : null
}

export function deviationsOf(e: RunEvaluation): { weaker: Deviation[]; other: Deviation[] } {
  const all = e.deviations ?? []
  return { weaker: all.filter((d) => d.direction === 'weaker'), other: all.filter((d) => d.direction !== 'weaker') }
}

/** "judged FAIL by evaluator@1, INCOMPLETE by evaluator@2" (oldest first, the current verdict last). */
export function verdictHistoryLine(history: PastVerdict[], e: RunEvaluation): string {
  const steps = [...history.map((h) => `${statusWord(h.verdict)} by ${h.evaluatorVersion}`), `${statusWord(e.verdict)} by ${e.evaluatorVersion}`]
  return `judged ${steps.join(', ')}`
}

export interface PreflightProblem {
  /** The phases it stopped. */
  phases: number[]
  cause: string
  fix: string | null
}

/** Phases the host preflight stopped: their summary reads "preflight: <cause> — fix: <fix>[; …]". One entry per problem. */
export function preflightProblems(run: RunDetail): PreflightProblem[] {
  const byKey = new Map<string, PreflightProblem>()
  for (const p of run.evaluation.phases) {
    const messages = [p.summary, ...p.warnings.filter((w) => w.evidence === 'preflight.json').map((w) => w.message)].filter((m) => m.startsWith('preflight: '))
    for (const m of messages) {
      for (const part of m.slice('preflight: '.length).split(/; (?=[^;]* — fix: )/)) {
        const [cause, fix] = part.split(' — fix: ')
        if (!cause) continue
        const key = `${cause}|${fix}`
        const known = byKey.get(key)
        if (known) {
          if (!known.phases.includes(p.phase)) known.phases.push(p.phase)
        } else byKey.set(key, { phases: [p.phase], cause: cause.trim(), fix: fix?.trim() ?? null })
      }
    }
  }
  return [...byKey.values()]
}

export { withoutCitations } from '@shared/annotation'
