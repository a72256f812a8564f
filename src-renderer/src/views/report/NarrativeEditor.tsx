// Editing a narrative: every field, the bugs with their fixed-in links; saving keeps earlier versions.
import { useState } from 'react'
import type { Annotation } from '@shared/domain'
import { Dialog } from '../../components/Dialog'
import { useApp } from '../../store'

const FIELDS: { key: keyof Omit<Annotation, 'bugs'>; label: string; rows: number }[] = [
  { key: 'headline', label: 'Headline', rows: 1 },
  { key: 'verdictLine', label: 'Verdict in one paragraph', rows: 3 },
  { key: 'whatItTested', label: 'What this campaign set out to test', rows: 3 },
  { key: 'whatItProved', label: 'What it demonstrated', rows: 4 },
  { key: 'forNonTechnical', label: 'Non-technical end users', rows: 5 },
  { key: 'forCLevel', label: 'C-level decision makers', rows: 5 },
  { key: 'forEngineers', label: 'Engineers & architects', rows: 6 },
  { key: 'nextRunChange', label: 'What changes going into the next campaign', rows: 3 },
]

type BugDraft = Annotation['bugs'][number] & { fixedInText: string }

export function NarrativeEditor({ initial, onClose, title = 'Edit the narrative' }: { initial: Annotation; onClose: () => void; title?: string }) {
  const save = useApp((s) => s.saveNarrative)
  const [a, setA] = useState<Annotation>(initial)
  const [bugs, setBugs] = useState<BugDraft[]>(initial.bugs.map((b) => ({ ...b, fixedInText: b.fixedIn.map((f) => `${f.label} | ${f.url}`).join('\n') })))
  const editBug = (i: number, patch: Partial<BugDraft>) => setBugs(bugs.map((x, k) => (k === i ? { ...x, ...patch } : x)))
  const submit = async () => {
    const saved = await save(
      {
        ...a,
        bugs: bugs.map(({ fixedInText, ...b }) => ({
          ...b,
          fixedIn: fixedInText
            .split('\n')
            .map((l) => l.split('|').map((x) => x.trim()))
            .filter(([label, url]) => label && url)
            .map(([label, url]) => ({ label: label as string, url: url as string })),
        })),
      },
      false,
    )
    if (saved) onClose()
  }
  return (
    <Dialog title={title} onClose={onClose}>
      <div className="editor">
        {FIELDS.map((f) => (
          <label key={f.key}>
            {f.label}
            <textarea rows={f.rows} value={a[f.key]} onChange={(e) => setA({ ...a, [f.key]: e.target.value })} />
          </label>
        ))}
        <h3>Bugs surfaced</h3>
        {bugs.map((b, i) => (
          <fieldset key={i}>
            <input placeholder="title" aria-label="Bug title" value={b.title} onChange={(e) => editBug(i, { title: e.target.value })} />
            <textarea rows={2} placeholder="impact" aria-label="Impact" value={b.impact} onChange={(e) => editBug(i, { impact: e.target.value })} />
            <textarea rows={2} placeholder="root cause" aria-label="Root cause" value={b.rootCause} onChange={(e) => editBug(i, { rootCause: e.target.value })} />
            <textarea rows={2} placeholder="fixed in: one 'label | https://…' per line" aria-label="Fixed in" value={b.fixedInText} onChange={(e) => editBug(i, { fixedInText: e.target.value })} />
            <button className="link" onClick={() => setBugs(bugs.filter((_x, k) => k !== i))}>
              remove
            </button>
          </fieldset>
        ))}
        <button onClick={() => setBugs([...bugs, { title: '', impact: '', rootCause: '', fixedIn: [], fixedInText: '' }])}>Add a bug</button>
      </div>
      <div className="actions">
        <button className="primary" onClick={() => void submit()}>
          Save (keeps the earlier versions)
        </button>
        <button onClick={onClose}>Cancel</button>
      </div>
    </Dialog>
  )
}
