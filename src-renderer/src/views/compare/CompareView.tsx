// Two runs side by side: what each was judged with, the checks that flipped, the metrics that moved
// (with the delta and their provenance), the metric definitions that differ, and an evidence diff.
import { useEffect } from 'react'
import { useShallow } from 'zustand/react/shallow'
import { isWeakenedSet } from '@shared/thresholds'
import { ErrorPanel } from '../../components/ErrorPanel'
import { Loading } from '../../components/Loading'
import { RunMarks, StatedTag } from '../../components/RunMarks'
import { StatusBadge } from '../../components/Status'
import { fmtNumber } from '../../lib/format'
import { useApp } from '../../store'
import { EvidenceDiff } from './EvidenceDiff'

export default function CompareView({ a, b }: { a: string; b: string }) {
  const { comparison, compareError, names, loadComparison, go, runs } = useApp(
    useShallow((s) => ({ comparison: s.comparison, compareError: s.compareError, names: s.compareArtifacts, loadComparison: s.loadComparison, go: s.go, runs: s.runs })),
  )
  useEffect(() => {
    void loadComparison(a, b)
  }, [a, b, loadComparison])
  const ids = runs.map((r) => r.id)
  if (compareError)
    return (
      <div className="view">
        <ErrorPanel title={`${a} and ${b} cannot be compared`} message={compareError} onBack={() => go({ name: 'history' })} onRetry={() => void loadComparison(a, b)} />
      </div>
    )
  if (!comparison || comparison.a.id !== a || comparison.b.id !== b) return <Loading what={`the comparison of ${a} with ${b}`} />
  const c = comparison
  const judged = c.judged
  // The cautions above say these two already, with each side's set: the warning list keeps the rest.
  const otherWarnings = c.warnings.filter((w) => !w.startsWith('the two runs were judged with different threshold sets') && !w.includes("ran against Shipgate Lab's simulated ai-memory"))
  const sides = [
    { run: c.a, with: judged.a },
    { run: c.b, with: judged.b },
  ]
  return (
    <div className="view compare" data-testid="compare">
      <div className="toolbar">
        <select value={a} onChange={(e) => go({ name: 'compare', a: e.target.value, b })} aria-label="Run A">
          {ids.map((id) => (
            <option key={id}>{id}</option>
          ))}
        </select>
        <span>→</span>
        <select value={b} onChange={(e) => go({ name: 'compare', a, b: e.target.value })} aria-label="Run B">
          {ids.map((id) => (
            <option key={id}>{id}</option>
          ))}
        </select>
        <button className="link" onClick={() => go({ name: 'compare', a: b, b: a })}>
          swap
        </button>
      </div>
      <div className="sidebyside">
        {sides.map(({ run: r, with: w }) => (
          <div key={r.id} className="card" data-side={r.id}>
            <h2>
              <button className="link mono" onClick={() => go({ name: 'report', runId: r.id })}>
                {r.id}
              </button>{' '}
              <StatusBadge status={r.verdict} /> <RunMarks simulated={w.simulated} weakened={isWeakenedSet(w.thresholdSet)} />
            </h2>
            <p className="small">{r.reason}</p>
            <p className="small muted">
              {r.aiMemoryVersion ?? r.aiMemoryRef ?? '—'} · rules {w.evaluatorVersion} · thresholds <span className="mono">{w.thresholdSet}</span>
            </p>
            {w.deviations.length > 0 && (
              <ul className="small deviations" data-testid="deviations">
                {w.deviations.map((d) => (
                  <li key={d.key}>{d.text}</li>
                ))}
              </ul>
            )}
          </div>
        ))}
      </div>
      <table className="phase-compare">
        <tbody>
          {c.phases.map((p) => (
            <tr key={p.phase} className={p.from !== p.to ? 'changed' : ''}>
              <td>Phase {p.phase}</td>
              <td>
                <StatusBadge status={p.from} />
              </td>
              <td>→</td>
              <td>
                <StatusBadge status={p.to} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {(judged.thresholdSetsDiffer || judged.a.simulated || judged.b.simulated) && (
        <ul className="verdict-notes" data-testid="compare-cautions">
          {judged.thresholdSetsDiffer && (
            <li className="caveat" data-testid="threshold-sets-differ">
              <strong>The threshold sets differ:</strong> {c.a.id} was judged with <span className="mono">{judged.a.thresholdSet}</span>, {c.b.id} with <span className="mono">{judged.b.thresholdSet}</span>. A flipped status may be the thresholds, not the product.
            </li>
          )}
          {(judged.a.simulated || judged.b.simulated) && (
            <li className="caveat" data-testid="simulated-caution">
              <strong>Simulated:</strong> {[judged.a.simulated ? c.a.id : null, judged.b.simulated ? c.b.id : null].filter(Boolean).join(' and ')} ran against Shipgate Lab’s simulated ai-memory; {judged.a.simulated && judged.b.simulated ? 'neither says anything about a release' : 'the two do not measure the same binary'}.
            </li>
          )}
        </ul>
      )}
      {otherWarnings.length > 0 && (
        <ul className="warnings" data-testid="definition-warnings">
          {otherWarnings.map((w, i) => (
            <li key={i}>
              <span className="badge tone-warn-outline">! WARNING</span> {w}
            </li>
          ))}
        </ul>
      )}
      <h2>Checks that flipped ({c.flipped.length})</h2>
      {c.flipped.length === 0 ? (
        <p className="muted">None: every check has the same status.</p>
      ) : (
        <table data-testid="flipped">
          <thead>
            <tr>
              <th>phase</th>
              <th>check</th>
              <th>{c.a.id}</th>
              <th>{c.b.id}</th>
              <th>now measured</th>
            </tr>
          </thead>
          <tbody>
            {c.flipped.map((f) => (
              <tr key={f.key}>
                <td>{f.phase}</td>
                <td>
                  {f.label}
                  {f.subject && <span className="subject"> {f.subject}</span>}
                </td>
                <td>{f.from === 'absent' ? <span className="muted">absent</span> : <StatusBadge status={f.from} />}</td>
                <td>{f.to === 'absent' ? <span className="muted">absent</span> : <StatusBadge status={f.to} />}</td>
                <td className="mono small">
                  {f.valueTo ?? '—'}
                  {f.provenanceTo === 'stated' && (
                    <div>
                      <StatedTag />
                    </div>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <h2>Metrics that moved ({c.moved.length})</h2>
      {c.moved.length === 0 ? (
        <p className="muted">No measured value changed.</p>
      ) : (
        <table data-testid="moved">
          <thead>
            <tr>
              <th>phase</th>
              <th>metric</th>
              <th>{c.a.id}</th>
              <th>{c.b.id}</th>
              <th>change</th>
            </tr>
          </thead>
          <tbody>
            {c.moved.map((m) => (
              <tr key={m.key} className={m.definitionChanged ? 'defchange' : ''}>
                <td>{m.phase}</td>
                <td>
                  {m.label}
                  {m.definitionChanged && (
                    <div className="def">
                      ! definition {m.definitionFrom} → {m.definitionTo}
                    </div>
                  )}
                </td>
                <td className="mono">
                  {fmtNumber(m.from)}
                  {m.provenanceFrom === 'stated' && (
                    <div>
                      <StatedTag />
                    </div>
                  )}
                </td>
                <td className="mono">
                  {fmtNumber(m.to)}
                  {m.provenanceTo === 'stated' && (
                    <div>
                      <StatedTag />
                    </div>
                  )}
                </td>
                <td className="mono">{m.delta === null ? '—' : `${m.delta >= 0 ? '+' : ''}${fmtNumber(m.delta)}`}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <EvidenceDiff a={c.a.id} b={c.b.id} names={names} />
    </div>
  )
}
