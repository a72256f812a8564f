// What a reader must know before the verdict counts, right under it: a simulated run, thresholds that
// differ from the gate's, earlier verdicts under older rules, why the run stopped, and preflight
// problems with their cause and fix.
import type { RunDetail } from '@shared/domain'
import { fmtTime } from '../../lib/format'
import { deviationsOf, preflightProblems, verdictHistoryLine } from '../../lib/verdict'

export function VerdictNotes({ run }: { run: RunDetail }) {
  const e = run.evaluation
  const { weaker, other } = deviationsOf(e)
  const preflight = preflightProblems(run)
  const history = run.verdictHistory ?? []
  const notes = [
    e.simulated && (
      <li key="sim" className="caveat" data-testid="note-simulated">
        <strong>Simulated:</strong> the nodes ran Shipgate Lab’s simulated ai-memory{run.aiMemoryVersion ? ` (${run.aiMemoryVersion})` : ''}. This run demonstrates the lab, never a release.
      </li>
    ),
    weaker.length > 0 && (
      <li key="weak" className="caveat" data-testid="note-weakened">
        <strong>Judged with weakened thresholds</strong> <span className="mono small">({e.thresholdSet})</span>: {weaker.map((d) => d.text).join('; ')}
      </li>
    ),
    other.length > 0 && (
      <li key="other" className="note" data-testid="note-thresholds">
        Threshold set <span className="mono small">{e.thresholdSet}</span>: {other.map((d) => d.text).join('; ')}
      </li>
    ),
    run.stopReason && (
      <li key="stop" className="note" data-testid="note-stop-reason">
        <strong>Stopped:</strong> {run.stopReason}
      </li>
    ),
    history.length > 0 && (
      <li key="history" className="note" data-testid="note-verdict-history">
        <strong>Verdict history:</strong> {verdictHistoryLine(history, e)}
        <ul className="small muted">
          {history.map((h, i) => (
            <li key={i}>
              {fmtTime(h.judgedAt)}: re-judged; before that {h.verdict.toUpperCase()} by {h.evaluatorVersion} ({h.thresholdSet}) — {h.reason}
            </li>
          ))}
        </ul>
      </li>
    ),
    preflight.length > 0 && (
      <li key="preflight" className="caveat" data-testid="note-preflight">
        <strong>The host preflight stopped {preflight.length === 1 ? 'a phase' : 'phases'}</strong> (an environment error, not a product failure):
        <ul>
          {preflight.map((p, i) => (
            <li key={i} data-testid="preflight-problem">
              <span className="muted">{p.phases.length === 1 ? 'phase' : 'phases'} {p.phases.join(', ')}:</span> <span data-testid="preflight-cause">{p.cause}</span>
              {p.fix && (
                <div>
                  <strong>Fix:</strong> <span data-testid="preflight-fix">{p.fix}</span>
                </div>
              )}
            </li>
          ))}
        </ul>
      </li>
    ),
  ].filter(Boolean)
  if (notes.length === 0) return null
  return (
    <ul className="verdict-notes" data-testid="verdict-notes">
      {notes}
    </ul>
  )
}
