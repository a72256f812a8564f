// JUnit XML for CI systems: one test case per check, one per phase that did not pass, and one for
// the run's verdict. A phase with no evidence or in error is an <error>, never a skip, and an
// incomplete run always carries one: no CI dashboard can read missing evidence as green.
import type { PhaseResult, RunDetail } from '@shared/domain'
import { PHASE_INFO } from '@shared/catalog'
import { statusWord } from '@shared/status'

export function xmlEscape(s: string): string {
  // Characters XML 1.0 cannot carry at all are replaced, the rest escaped.
  // eslint-disable-next-line no-control-regex
  return s.replace(/[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]/g, '�').replace(/[<>&'"]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', "'": '&apos;', '"': '&quot;' })[c] as string)
}

const STATED = 'stated by the harness, not recomputed'

function testcase(classname: string, name: string, body: string): string {
  return `    <testcase classname="${xmlEscape(classname)}" name="${xmlEscape(name)}">${body}</testcase>`
}

/** The outcome of a phase as a whole: a failure when it failed, an error when it could not decide. */
function phaseCase(run: RunDetail, p: PhaseResult): string | null {
  const name = `${PHASE_INFO[p.phase].title}: phase verdict`
  const message = xmlEscape(`${statusWord(p.status)}: ${p.summary}`)
  if (p.status === 'pass') return null
  return testcase(`${run.id}.phase${p.phase}`, name, p.status === 'fail' ? `<failure message="${message}"/>` : `<error message="${message}"/>`)
}

export function junitXml(run: RunDetail): string {
  const e = run.evaluation
  const suites = e.phases.map((p) => {
    const checks = p.checks
      .filter((c) => c.counted)
      .map((c) => {
        const name = `${c.label}${c.subject ? ` [${c.subject}]` : ''}`
        const detail = `${c.value}${c.threshold ? ` (threshold ${c.threshold})` : ''}${c.provenance === 'stated' && !c.value.includes(STATED) ? ` (${STATED})` : ''}`
        const body = c.status === 'fail' ? `<failure message="${xmlEscape(detail)}"/>` : c.status === 'error' ? `<error message="${xmlEscape(detail)}"/>` : `<system-out>${xmlEscape(detail)}</system-out>`
        return testcase(`${run.id}.phase${p.phase}${c.subject ? `.${c.subject}` : ''}`, name, body)
      })
    const phase = phaseCase(run, p)
    const cases = [...(phase ? [phase] : []), ...checks]
    const failures = cases.filter((c) => c.includes('<failure')).length
    const errors = cases.filter((c) => c.includes('<error')).length
    return `  <testsuite name="${xmlEscape(`${run.id} · ${PHASE_INFO[p.phase].title}`)}" tests="${cases.length}" failures="${failures}" errors="${errors}">\n${cases.join('\n')}\n  </testsuite>`
  })
  // The verdict itself: what a CI job gates on, with what the verdict rests on.
  const notes = [
    `threshold set ${e.thresholdSet}${e.deviations?.length ? `: ${e.deviations.map((d) => d.text).join('; ')}` : ''}`,
    ...(e.simulated ? ['simulated ai-memory: shows the gate works, certifies no release'] : []),
    ...e.warnings.map((w) => `${w.code}: ${w.message}`),
  ]
  const verdictBody =
    e.verdict === 'pass'
      ? `<system-out>${xmlEscape([e.reason, ...notes].join('\n'))}</system-out>`
      : `${e.verdict === 'fail' ? `<failure message="${xmlEscape(e.reason)}"/>` : `<error message="${xmlEscape(e.reason)}"/>`}<system-out>${xmlEscape(notes.join('\n'))}</system-out>`
  const verdictSuite = `  <testsuite name="${xmlEscape(`${run.id} · verdict`)}" tests="1" failures="${e.verdict === 'fail' ? 1 : 0}" errors="${e.verdict === 'incomplete' ? 1 : 0}">\n${testcase(`${run.id}.verdict`, `Run verdict: ${statusWord(e.verdict)}`, verdictBody)}\n  </testsuite>`
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="${xmlEscape(`shipgate ${run.id}: ${e.reason}`)}">\n${[verdictSuite, ...suites].join('\n')}\n</testsuites>\n`
}
