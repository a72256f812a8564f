import { createRoot } from 'react-dom/client'
import { App } from './App'
import { ErrorBoundary } from './components/ErrorBoundary'
import { wireEvents } from './lib/events'
import { useApp } from './store'
import './styles.css'

wireEvents()
const { background, loadRuns, loadActive } = useApp.getState()
background('loading the history', loadRuns())
background('loading the active runs', loadActive())

// Errors outside React's render (handlers, timers, promises nobody awaited) reach the main log too.
window.addEventListener('error', (e) => useApp.getState().logError('window', e.error instanceof Error ? e.error : new Error(e.message)))
window.addEventListener('unhandledrejection', (e) => useApp.getState().logError('promise', e.reason instanceof Error ? e.reason : new Error(String(e.reason))))

const root = document.getElementById('root')
if (root)
  createRoot(root).render(
    <ErrorBoundary view="app">
      <App />
    </ErrorBoundary>,
  )
