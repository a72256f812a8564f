// A stored narrative that cannot be read replaces only the narrative section: the verdict and the
// evidence stay. The way on is a new narrative, started from the evidence draft.
import { useState } from 'react'
import type { Annotation } from '@shared/domain'
import { useApp } from '../../store'
import { NarrativeEditor } from './NarrativeEditor'

export function NarrativeError({ runId, message }: { runId: string; message: string }) {
  const draftNarrative = useApp((s) => s.draftNarrative)
  const [draft, setDraft] = useState<Annotation | null>(null)
  return (
    <section className="analysis error-panel" role="alert" data-testid="narrative-error">
      <h2>The narrative of this run cannot be shown</h2>
      <p className="mono small">{message}</p>
      <p className="small muted">The verdict and the evidence below do not depend on it.</p>
      <div className="actions">
        <button className="primary" onClick={() => void draftNarrative(runId).then((d) => setDraft(d))}>
          Write a new narrative from the evidence draft
        </button>
      </div>
      {draft && <NarrativeEditor initial={draft} title="A new narrative (from the evidence draft)" onClose={() => setDraft(null)} />}
    </section>
  )
}
