// The window: the sidebar, one view at a time (each loaded on demand, each inside its own error
// boundary), notices, the palette and main's prompts.
import { lazy, Suspense, useEffect, useRef } from 'react'
import { useShallow } from 'zustand/react/shallow'
import { ErrorBoundary } from './components/ErrorBoundary'
import { Loading } from './components/Loading'
import { Palette } from './components/Palette'
import { Prompts } from './components/Prompts'
import { HistoryView } from './views/HistoryView'
import { useApp } from './store'
import type { View } from './store/types'

const ReportView = lazy(() => import('./views/report/ReportView'))
const CompareView = lazy(() => import('./views/compare/CompareView'))
const TrendsView = lazy(() => import('./views/TrendsView'))
const CampaignView = lazy(() => import('./views/CampaignView'))
const LiveView = lazy(() => import('./views/live/LiveView'))
const CloudView = lazy(() => import('./views/CloudView'))
const SoakView = lazy(() => import('./views/soak/SoakView').then((m) => ({ default: m.SoakView })))

const NAV: { name: View['name']; label: string; key: string }[] = [
  { name: 'history', label: 'History', key: '1' },
  { name: 'live', label: 'Live run', key: '2' },
  { name: 'campaigns', label: 'Campaigns', key: '3' },
  { name: 'trends', label: 'Trends', key: '4' },
  { name: 'cloud', label: 'Cloud', key: '5' },
  { name: 'soak', label: 'Soak', key: '6' },
]

function viewKey(view: View): string {
  return JSON.stringify(view)
}

function CurrentView({ view }: { view: View }) {
  switch (view.name) {
    case 'history':
      return <HistoryView />
    case 'report':
      return <ReportView runId={view.runId} />
    case 'compare':
      return <CompareView a={view.a} b={view.b} />
    case 'trends':
      return <TrendsView />
    case 'campaigns':
      return <CampaignView />
    case 'live':
      return <LiveView {...(view.runId ? { runId: view.runId } : {})} />
    case 'cloud':
      return <CloudView />
    case 'soak':
      return <SoakView />
  }
}

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
  // A new view starts at its top, not at the scroll position the previous one left.
  const content = useRef<HTMLElement>(null)
  const key = viewKey(view)
  useEffect(() => {
    content.current?.scrollTo(0, 0)
  }, [key])
  const running = liveOrder.filter((id) => !liveRuns[id]?.finished).length
  return (
    <div className="app" data-app-state="loaded">
      <nav className="sidebar" aria-label="Views">
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
      <main className="content" ref={content}>
        <ErrorBoundary view={view.name === 'report' ? 'report' : `${view.name} view`} resetKey={key}>
          <Suspense fallback={<Loading what="the view" />}>
            <CurrentView view={view} />
          </Suspense>
        </ErrorBoundary>
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
