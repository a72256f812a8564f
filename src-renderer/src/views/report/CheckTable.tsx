// The checks of one phase: status, what was checked (with its metric definition), measured value
// (with its provenance when the harness stated it), and the threshold the run was judged with.
import type { ReactNode } from 'react'
import { METRIC_DEFINITIONS } from '@shared/catalog'
import type { PhaseResult } from '@shared/domain'
import { StatedTag } from '../../components/RunMarks'
import { StatusBadge } from '../../components/Status'

export function CheckTable({ phase }: { phase: PhaseResult }) {
  let subject: string | undefined
  const rows: ReactNode[] = []
  phase.checks.forEach((c, i) => {
    if (phase.phase === 1 && c.subject !== subject) {
      subject = c.subject
      rows.push(
        <tr key={`g${i}`} className="group">
          <td colSpan={4}>{subject}</td>
        </tr>,
      )
    }
    rows.push(
      <tr key={i} className={c.counted ? '' : 'info'} data-check={`${c.id}${c.subject ? `.${c.subject}` : ''}`}>
        <td>{c.counted ? <StatusBadge status={c.status} /> : <span className="badge tone-none">ℹ INFO</span>}</td>
        <td>
          {c.label}
          {c.subject && phase.phase !== 1 && <span className="subject"> {c.subject}</span>}
          {c.metricDefinition && (
            <div className="def" title={METRIC_DEFINITIONS[c.metricDefinition]?.formula}>
              {c.metricDefinition}
            </div>
          )}
        </td>
        <td className="mono">
          {c.value}
          {c.provenance === 'stated' && (
            <div>
              <StatedTag />
            </div>
          )}
        </td>
        <td className="mono" data-testid="threshold">
          {c.threshold}
        </td>
      </tr>,
    )
  })
  return (
    <table className="checks">
      <thead>
        <tr>
          <th />
          <th>Check</th>
          <th>Measured</th>
          <th>Threshold</th>
        </tr>
      </thead>
      <tbody>{rows}</tbody>
    </table>
  )
}
