// Raw evidence as text: JSON is pretty-printed and coloured by tokens rendered as React text nodes
// (never HTML), other text is shown as it is. A filter marks the lines that contain a search term.
import { type ReactNode, useMemo, useState } from 'react'

const TOKEN = /("(?:\\.|[^"\\])*")(\s*:)?|\b(true|false|null)\b|(-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)/g

function colour(line: string): ReactNode[] {
  const out: ReactNode[] = []
  let last = 0
  let k = 0
  TOKEN.lastIndex = 0
  for (let m = TOKEN.exec(line); m; m = TOKEN.exec(line)) {
    if (m.index > last) out.push(line.slice(last, m.index))
    if (m[1]) {
      out.push(
        <span key={k++} className={m[2] ? 'j-key' : 'j-str'}>
          {m[1]}
        </span>,
      )
      if (m[2]) out.push(m[2])
    } else if (m[3]) out.push(<span key={k++} className="j-lit">{m[3]}</span>)
    else out.push(<span key={k++} className="j-num">{m[4]}</span>)
    last = m.index + m[0].length
  }
  if (last < line.length) out.push(line.slice(last))
  return out
}

export function prettyJson(text: string): { text: string; json: boolean } {
  try {
    return { text: JSON.stringify(JSON.parse(text), null, 2), json: true }
  } catch {
    return { text, json: false }
  }
}

export function JsonView({ text, maxLines = 4000 }: { text: string; maxLines?: number }) {
  const [query, setQuery] = useState('')
  const pretty = useMemo(() => prettyJson(text), [text])
  const lines = useMemo(() => pretty.text.split('\n'), [pretty])
  const shown = lines.slice(0, maxLines)
  const q = query.trim().toLowerCase()
  const hits = q ? lines.filter((l) => l.toLowerCase().includes(q)).length : 0
  return (
    <div className="jsonview">
      <div className="jsonview-bar">
        <input type="search" placeholder="Find in evidence" value={query} onChange={(e) => setQuery(e.target.value)} aria-label="Find in evidence" />
        {q && <span className="muted">{hits} matching line{hits === 1 ? '' : 's'}</span>}
        {lines.length > maxLines && <span className="muted">showing {maxLines} of {lines.length} lines</span>}
      </div>
      <pre className="code">
        {shown.map((l, i) => (
          <div key={i} className={q && l.toLowerCase().includes(q) ? 'hit' : undefined}>
            {pretty.json ? colour(l) : l}
          </div>
        ))}
      </pre>
    </div>
  )
}
