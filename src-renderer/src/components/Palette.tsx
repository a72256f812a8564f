// Ctrl-K: go to a view or a run by typing part of its name.
import { useMemo, useState } from 'react'
import { useShallow } from 'zustand/react/shallow'
import { useApp } from '../store'
import type { View } from '../store/types'
import { Dialog } from './Dialog'

export function Palette() {
  const { runs, go, setPalette } = useApp(useShallow((s) => ({ runs: s.runs, go: s.go, setPalette: s.setPalette })))
  const [q, setQ] = useState('')
  const items = useMemo(() => {
    const views: { label: string; view: View }[] = [
      { label: 'History', view: { name: 'history' } },
      { label: 'Live run', view: { name: 'live' } },
      { label: 'Campaigns', view: { name: 'campaigns' } },
      { label: 'Trends', view: { name: 'trends' } },
      { label: 'Cloud', view: { name: 'cloud' } },
    ]
    const needle = q.toLowerCase()
    return [...views, ...runs.map((r) => ({ label: r.id, view: { name: 'report', runId: r.id } as View }))].filter((i) => i.label.toLowerCase().includes(needle)).slice(0, 12)
  }, [q, runs])
  return (
    <Dialog title="Go to" onClose={() => setPalette(false)}>
      <input value={q} onChange={(e) => setQ(e.target.value)} placeholder="a view or a run" aria-label="Command palette" onKeyDown={(e) => e.key === 'Enter' && items[0] && go(items[0].view)} />
      <ul className="palette">
        {items.map((i) => (
          <li key={i.label}>
            <button className="link" onClick={() => go(i.view)}>
              {i.label}
            </button>
          </li>
        ))}
      </ul>
    </Dialog>
  )
}
