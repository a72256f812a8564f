// The run's narrative (or the evidence draft to accept): headline, what it tested and proved, three
// audiences, bugs, what changes next. A malformed stored narrative is shown as NarrativeError.
import { useState } from 'react'
import { useShallow } from 'zustand/react/shallow'
import type { ReportData } from '@shared/views'
import { fmtTime } from '../../lib/format'
import { checkAnnotation, RecordError } from '../../lib/records'
import { withoutCitations } from '../../lib/verdict'
import { useApp } from '../../store'
import { Bugs } from './Bugs'
import { NarrativeEditor } from './NarrativeEditor'
import { NarrativeError } from './NarrativeError'
import { Prose } from './Prose'

export function Narrative({ data }: { data: ReportData }) {
  const { save, versions, loadVersions } = useApp(useShallow((s) => ({ save: s.saveNarrative, versions: s.annotationVersions, loadVersions: s.loadAnnotationVersions })))
  const [editing, setEditing] = useState(false)
  const raw = data.annotation?.annotation ?? data.draft?.annotation ?? null
  if (!raw) return null
  let note
  try {
    note = checkAnnotation(raw, data.annotation ? `narrative v${data.annotation.version}` : 'draft')
  } catch (err) {
    if (err instanceof RecordError) return <NarrativeError runId={data.run.id} message={err.message} />
    throw err
  }
  const isDraft = !data.annotation
  return (
    <section className="analysis" data-testid="narrative">
      <h2>
        Run focus{' '}
        {isDraft ? (
          <span className="badge tone-warn-outline" data-testid="draft-flag">
            DRAFT
          </span>
        ) : (
          <span className="muted small">
            {data.annotation?.source} · version {data.annotation?.version} by {data.annotation?.author}
          </span>
        )}
      </h2>
      {isDraft && <p className="muted small">Drafted from the evidence by fixed rules; every sentence cites the checks it rests on. Accept it or edit it to make it the run's narrative.</p>}
      <div className="actions">
        {isDraft && <button onClick={() => void save(note, true)}>Accept draft</button>}
        <button onClick={() => setEditing(true)}>{isDraft ? 'Edit draft' : 'Edit'}</button>
        {!isDraft && (
          <button className="link" onClick={() => void loadVersions()}>
            versions
          </button>
        )}
      </div>
      {versions && (
        <ul className="small muted" data-testid="narrative-versions">
          {versions.map((h) => (
            <li key={h.version}>
              v{h.version} · {h.source} · {h.author} · {fmtTime(h.createdAt)}
            </li>
          ))}
        </ul>
      )}
      <p className="headline" data-testid="headline">
        {withoutCitations(note.headline)}
      </p>
      <p>
        <strong>What this campaign set out to test:</strong>
      </p>
      <Prose text={note.whatItTested} />
      <p>
        <strong>What it demonstrated:</strong>
      </p>
      <Prose text={note.whatItProved} />
      <h2>For three audiences</h2>
      <div className="audiences">
        <div className="card">
          <h3>Non-technical end users</h3>
          <Prose text={note.forNonTechnical} />
        </div>
        <div className="card">
          <h3>C-level decision makers</h3>
          <Prose text={note.forCLevel} />
        </div>
        <div className="card">
          <h3>Engineers &amp; architects</h3>
          <Prose text={note.forEngineers} />
        </div>
      </div>
      <Bugs bugs={note.bugs} />
      <h3>What changed going into the next campaign</h3>
      <Prose text={note.nextRunChange} />
      {editing && <NarrativeEditor initial={note} onClose={() => setEditing(false)} />}
    </section>
  )
}
