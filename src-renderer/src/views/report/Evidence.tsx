// One artifact, one click away: fetched when opened, shown as text (JSON pretty-printed).
import { useEffect, useState } from 'react'
import type { ArtifactInfo } from '@shared/domain'
import { JsonView } from '../../components/JsonView'
import { errorText, fmtBytes } from '../../lib/format'
import { useApp } from '../../store'

export function Evidence({ runId, info }: { runId: string; info: ArtifactInfo }) {
  const fetchArtifact = useApp((s) => s.fetchArtifact)
  const [open, setOpen] = useState(false)
  const [text, setText] = useState<string | null>(null)
  const [note, setNote] = useState('')
  useEffect(() => {
    if (!open || text !== null) return
    fetchArtifact(runId, info.name)
      .then((a) => {
        setText(a.binary ? '' : a.text)
        setNote(a.binary ? 'binary content, not shown' : a.truncated ? `first ${fmtBytes(a.text.length)} of ${fmtBytes(a.info.sizeBytes)} shown` : '')
      })
      .catch((err: unknown) => setNote(errorText(err)))
  }, [open, text, runId, info.name, fetchArtifact])
  return (
    <details className="evidence" onToggle={(e) => setOpen((e.target as HTMLDetailsElement).open)}>
      <summary>
        <span className="mono">{info.name}</span> · {fmtBytes(info.sizeBytes)} · sha256 <span className="mono small">{info.sha256}</span>
      </summary>
      {note && <p className="muted small">{note}</p>}
      {text !== null && text !== '' && <JsonView text={text} />}
    </details>
  )
}
