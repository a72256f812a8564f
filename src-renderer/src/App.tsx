import { useEffect, useMemo, useState } from 'react'
import { useShallow } from 'zustand/react/shallow'
import { Dialog } from './components/Dialog'
import { CampaignView } from './views/CampaignView'
import { CloudView } from './views/CloudView'
import { CompareView } from './views/CompareView'
import { HistoryView } from './views/HistoryView'
import { LiveView } from './views/LiveView'
import { ReportView } from './views/ReportView'
import { SoakView } from './views/soak/SoakView'
import { TrendsView } from './views/TrendsView'
import { useApp } from './store'
import type { View } from './store/types'

function Palette() {
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

function Prompts() {
  const { hostKeyPrompts, secretPrompts, answerHostKey, answerSecret } = useApp(
    useShallow((s) => ({ hostKeyPrompts: s.hostKeyPrompts, secretPrompts: s.secretPrompts, answerHostKey: s.answerHostKey, answerSecret: s.answerSecret })),
  )
  const [secret, setSecret] = useState('')
  const key = hostKeyPrompts[0]
  const pass = secretPrompts[0]
  if (key) {
    return (
      <Dialog title="Unknown host key" onClose={() => void answerHostKey(key.id, false)}>
        <p>
          The host <span className="mono">{key.host}:{key.port}</span> presented a key this app has never seen:
        </p>
        <p className="mono fingerprint" data-testid="fingerprint">
          {key.keyType} {key.fingerprint}
        </p>
        <p className="small muted">Compare it with the fingerprint your provider shows for the droplet (ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub on the host). Trusting it pins it; a different key later is refused.</p>
        <div className="actions">
          <button className="primary" onClick={() => void answerHostKey(key.id, true)}>
            Trust and connect
          </button>
          <button onClick={() => void answerHostKey(key.id, false)}>Refuse</button>
        </div>
      </Dialog>
    )
  }
  if (pass) {
    return (
      <Dialog title="Key passphrase" onClose={() => void answerSecret(pass.id, null)}>
        <p>
          Passphrase for <span className="mono">{pass.keyPath}</span>
          {pass.attempt > 1 ? ' (the previous one was wrong)' : ''}. It is used once to unlock the key and never stored.
        </p>
        <input type="password" value={secret} onChange={(e) => setSecret(e.target.value)} aria-label="Passphrase" />
        <div className="actions">
          <button
            className="primary"
            onClick={() => {
              void answerSecret(pass.id, secret)
              setSecret('')
            }}
          >
            Unlock
          </button>
          <button onClick={() => void answerSecret(pass.id, null)}>Cancel</button>
        </div>
      </Dialog>
    )
  }
  return null
}

const NAV: { name: View['name']; label: string; key: string }[] = [
  { name: 'history', label: 'History', key: '1' },
  { name: 'live', label: 'Live run', key: '2' },
  { name: 'campaigns', label: 'Campaigns', key: '3' },
  { name: 'trends', label: 'Trends', key: '4' },
  { name: 'cloud', label: 'Cloud', key: '5' },
  { name: 'soak', label: 'Soak', key: '6' },
]

export function App() {
  const { view, go, notice, clearNotice, paletteOpen, setPalette, liveOrder, liveRuns, leftovers } = useApp(
    useShallow((s) => ({ view: s.view, go: s.go, notice: s.notice, clearNotice: s.clearNotice, paletteOpen: s.paletteOpen, setPalette: s.setPalette, liveOrder: s.liveOrder, liveRuns: s.liveRuns, leftovers: s.leftovers })),
  )
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if ((e.ctrlKey || e.metaKey) && e.key.toLowerCase() === 'k') {
        e.preventDefault()
        setPalette(true)
      } else if (e.altKey) {
        const nav = NAV.find((n) => n.key === e.key)
        if (nav) go({ name: nav.name } as View)
      }
    }
    window.addEventListener('keydown', onKey)
    return () => window.removeEventListener('keydown', onKey)
  }, [go, setPalette])
  useEffect(() => {
    if (!notice) return
    const t = setTimeout(clearNotice, 8000)
    return () => clearTimeout(t)
  }, [notice, clearNotice])
  const running = liveOrder.filter((id) => !liveRuns[id]?.finished).length
  return (
    <div className="app" data-app-state="loaded">
      <nav className="sidebar">
        <div className="brand">Shipgate Lab</div>
        {NAV.map((n) => (
          <button key={n.name} className={view.name === n.name || (n.name === 'history' && (view.name === 'report' || view.name === 'compare')) ? 'active' : ''} onClick={() => go({ name: n.name } as View)} title={`Alt+${n.key}`}>
            {n.label}
            {n.name === 'live' && running > 0 && <span className="pill">{running}</span>}
            {n.name === 'cloud' && leftovers && leftovers.length > 0 && (
              <span className="pill tone-bad" title="campaigns left cloud resources behind">
                {leftovers.length}
              </span>
            )}
          </button>
        ))}
        <div className="spacer" />
        <button className="link small" onClick={() => setPalette(true)}>
          Ctrl-K: go to…
        </button>
      </nav>
      <main className="content">
        {view.name === 'history' && <HistoryView />}
        {view.name === 'report' && <ReportView runId={view.runId} />}
        {view.name === 'compare' && <CompareView a={view.a} b={view.b} />}
        {view.name === 'trends' && <TrendsView />}
        {view.name === 'campaigns' && <CampaignView />}
        {view.name === 'live' && <LiveView {...(view.runId ? { runId: view.runId } : {})} />}
        {view.name === 'cloud' && <CloudView />}
        {view.name === 'soak' && <SoakView />}
      </main>
      {notice && (
        <div className={`notice tone-${notice.tone}`} role="status" onClick={clearNotice}>
          {notice.text}
        </div>
      )}
      {paletteOpen && <Palette />}
      <Prompts />
    </div>
  )
}
