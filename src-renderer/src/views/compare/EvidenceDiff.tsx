// A structural diff of one artifact between two runs: changed JSON fields, or changed lines of a log.
import { useEffect, useMemo, useState } from 'react'
import { type LineChange, jsonDiff, lineDiff } from '@shared/json-diff'
import { errorText } from '../../lib/format'
import { useApp } from '../../store'

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

export function EvidenceDiff({ a, b, names }: { a: string; b: string; names: string[] }) {
  const fetchArtifact = useApp((s) => s.fetchArtifact)
  const [name, setName] = useState(names.includes('phase2.json') ? 'phase2.json' : (names[0] ?? ''))
  // Texts are kept with the request they answer: a new pair or artifact shows nothing stale.
  const request = `${a}|${b}|${name}`
  const [loaded, setLoaded] = useState<{ request: string; a: string | null; b: string | null } | null>(null)
  const texts = loaded?.request === request ? loaded : null
  const [error, setError] = useState('')
  useEffect(() => {
    if (!name) return
    const fetchText = (id: string) =>
      fetchArtifact(id, name)
        .then((r) => r.text)
        .catch(() => null)
    Promise.all([fetchText(a), fetchText(b)]).then(([x, y]) => setLoaded({ request: `${a}|${b}|${name}`, a: x, b: y }), (err: unknown) => setError(errorText(err)))
  }, [a, b, name, fetchArtifact])
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
