// JUnit XML for CI systems: one test case per check. A phase with no evidence is an error case,
// never a skip, so no CI dashboard can read missing evidence as green.
import type { RunDetail } from '@shared/domain'
import { PHASE_INFO } from '@shared/catalog'
import { statusWord } from '@shared/status'

export function xmlEscape(s: string): string {
  // Characters XML 1.0 cannot carry at all are replaced, the rest escaped.
  // eslint-disable-next-line no-control-regex
  return s.replace(/[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]/g, '�').replace(/[<>&'"]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', "'": '&apos;', '"': '&quot;' })[c] as string)
}

export function junitXml(run: RunDetail): string {
  const e = run.evaluation
  const suites = e.phases.map((p) => {
    const cases =
      p.status === 'not_run' || (p.checks.length === 0 && p.status !== 'pass')
        ? [`    <testcase classname="${xmlEscape(`${run.id}.phase${p.phase}`)}" name="${xmlEscape(PHASE_INFO[p.phase].title)}"><error message="${xmlEscape(`${statusWord(p.status)}: ${p.summary}`)}"/></testcase>`]
        : p.checks
            .filter((c) => c.counted)
            .map((c) => {
              const name = `${c.label}${c.subject ? ` [${c.subject}]` : ''}`
              const detail = `${c.value}${c.threshold ? ` (threshold ${c.threshold})` : ''}`
              const body = c.status === 'fail' ? `<failure message="${xmlEscape(detail)}"/>` : c.status === 'error' ? `<error message="${xmlEscape(detail)}"/>` : `<system-out>${xmlEscape(detail)}</system-out>`
              return `    <testcase classname="${xmlEscape(`${run.id}.phase${p.phase}${c.subject ? `.${c.subject}` : ''}`)}" name="${xmlEscape(name)}">${body}</testcase>`
            })
    const failures = cases.filter((c) => c.includes('<failure')).length
    const errors = cases.filter((c) => c.includes('<error')).length
    return `  <testsuite name="${xmlEscape(`${run.id} · ${PHASE_INFO[p.phase].title}`)}" tests="${cases.length}" failures="${failures}" errors="${errors}">\n${cases.join('\n')}\n  </testsuite>`
  })
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="${xmlEscape(`shipgate ${run.id}: ${e.reason}`)}">\n${suites.join('\n')}\n</testsuites>\n`
}
