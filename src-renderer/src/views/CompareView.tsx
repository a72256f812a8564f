// Two runs side by side: the checks that flipped, the metrics that moved (with the delta), the
// metric definitions that differ, and a structural diff of any phase's evidence.
import { useEffect, useMemo, useState } from 'react'
import { useShallow } from 'zustand/react/shallow'
import { type LineChange, jsonDiff, lineDiff } from '@shared/json-diff'
import { StatusBadge } from '../components/Status'
import { api, unwrap } from '../lib/api'
import { errorText, fmtNumber } from '../lib/format'
import { useApp } from '../store'

/** Changed lines with one line of context around them; `null` marks elided runs. */
function withContext(changes: LineChange[]): (LineChange | null)[] {
  const keep = changes.map((c, i) => c.kind !== 'same' || changes[i - 1]?.kind !== 'same' || changes[i + 1]?.kind !== 'same')
  if (!changes.some((c) => c.kind !== 'same')) return []
  const out: (LineChange | null)[] = []
  changes.forEach((c, i) => {
    if (keep[i]) out.push(c)
    else if (out[out.length - 1] !== null) out.push(null)
  })
  return out
}

function EvidenceDiff({ a, b, names }: { a: string; b: string; names: string[] }) {
  const [name, setName] = useState(names.includes('phase2.json') ? 'phase2.json' : (names[0] ?? ''))
  const [texts, setTexts] = useState<{ a: string | null; b: string | null } | null>(null)
  const [error, setError] = useState('')
  useEffect(() => {
    if (!name) return
    const fetchText = (id: string) =>
      unwrap(api().runs.artifact({ id, name }))
        .then((r) => r.text)
        .catch(() => null)
    setTexts(null)
    Promise.all([fetchText(a), fetchText(b)]).then(([x, y]) => setTexts({ a: x, b: y }), (err: unknown) => setError(errorText(err)))
  }, [a, b, name])
  const diff = useMemo(() => {
    if (!texts || texts.a === null || texts.b === null) return null
    const parse = (t: string) => {
      try {
        const v = JSON.parse(t) as unknown
        return typeof v === 'object' && v !== null ? v : null
      } catch {
        return null
      }
    }
    const x = parse(texts.a)
    const y = parse(texts.b)
    // JSON on both sides: which fields changed. Otherwise (a harness log): which lines.
    if (x && y) return { kind: 'json' as const, entries: jsonDiff(x, y) }
    return { kind: 'text' as const, lines: withContext(lineDiff(texts.a, texts.b)) }
  }, [texts])
  return (
    <section>
      <h2>
        Evidence diff{' '}
        <select value={name} onChange={(e) => setName(e.target.value)} aria-label="Artifact to compare">
          {names.map((n) => (
            <option key={n}>{n}</option>
          ))}
        </select>
      </h2>
      {error && <p className="error">{error}</p>}
      {texts && (texts.a === null || texts.b === null) && <p className="muted">{texts.a === null ? a : b} has no {name}.</p>}
      {diff?.kind === 'json' && diff.entries.length === 0 && <p className="muted">Identical.</p>}
      {diff?.kind === 'json' && diff.entries.length > 0 && (
        <table className="diff" data-testid="evidence-diff">
          <thead>
            <tr>
              <th>path</th>
              <th>{a}</th>
              <th>{b}</th>
            </tr>
          </thead>
          <tbody>
            {diff.entries.slice(0, 500).map((d, i) => (
              <tr key={i} className={`d-${d.kind}`}>
                <td className="mono">{d.path}</td>
                <td className="mono">{d.kind === 'added' ? '—' : JSON.stringify(d.from)}</td>
                <td className="mono">{d.kind === 'removed' ? '—' : JSON.stringify(d.to)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {diff?.kind === 'text' && (
        <pre className="code linediff" data-testid="evidence-diff">
          {diff.lines.length === 0 ? 'Identical.' : diff.lines.map((l, i) => (l === null ? <div key={i} className="muted">⋯</div> : <div key={i} className={`l-${l.kind}`}>{`${l.kind === 'added' ? '+' : l.kind === 'removed' ? '-' : ' '} ${l.line}`}</div>))}
        </pre>
      )}
    </section>
  )
}

export function CompareView({ a, b }: { a: string; b: string }) {
  const { comparison, compareError, loadComparison, go, runs } = useApp(useShallow((s) => ({ comparison: s.comparison, compareError: s.compareError, loadComparison: s.loadComparison, go: s.go, runs: s.runs })))
  const [names, setNames] = useState<string[]>([])
  useEffect(() => {
    void loadComparison(a, b)
    Promise.all([unwrap(api().runs.get({ id: a })), unwrap(api().runs.get({ id: b }))]).then(
      ([x, y]) => setNames([...new Set([...x.run.artifacts, ...y.run.artifacts].map((f) => f.name))].sort()),
      () => setNames([]),
    )
  }, [a, b, loadComparison])
  const ids = runs.map((r) => r.id)
  if (compareError) return <p className="error view">{compareError}</p>
  if (!comparison) return <p className="muted view">Comparing {a} with {b}…</p>
  const c = comparison
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
        {[c.a, c.b].map((r) => (
          <div key={r.id} className="card">
            <h2>
              <button className="link mono" onClick={() => go({ name: 'report', runId: r.id })}>
                {r.id}
              </button>{' '}
              <StatusBadge status={r.verdict} />
            </h2>
            <p className="small">{r.reason}</p>
            <p className="small muted">{r.aiMemoryVersion ?? r.aiMemoryRef ?? '—'}</p>
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
      {c.warnings.length > 0 && (
        <ul className="warnings" data-testid="definition-warnings">
          {c.warnings.map((w, i) => (
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
                <td className="mono small">{f.valueTo ?? '—'}</td>
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
                <td className="mono">{fmtNumber(m.from)}</td>
                <td className="mono">{fmtNumber(m.to)}</td>
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
