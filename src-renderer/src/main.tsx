import { createRoot } from 'react-dom/client'
import { fmtUsd } from '@shared/money'
import type { ProgressEvent } from '@shared/progress'
import { App } from './App'
import { useApp } from './store'
import './styles.css'

// Progress arrives in bursts (hundreds of log lines a second): apply it once per frame.
let pending: ProgressEvent[] = []
let scheduled = false
function flush() {
  scheduled = false
  const batch = pending
  pending = []
  useApp.getState().applyEvents(batch)
}

const api = window.api
api.on('run.progress', (e) => {
  pending.push(e)
  if (!scheduled) {
    scheduled = true
    requestAnimationFrame(flush)
  }
  if (e.type === 'run-finished') void useApp.getState().loadRuns()
})
api.on('runs.changed', () => void useApp.getState().loadRuns())
api.on('hostkey.prompt', (p) => useApp.getState().pushHostKeyPrompt(p))
api.on('secret.prompt', (p) => useApp.getState().pushSecretPrompt(p))
api.on('cloud.leftovers', ({ leftovers }) => {
  useApp.getState().setLeftovers(leftovers)
  const usd = leftovers.reduce((s, l) => s + l.costSoFarUsd, 0)
  useApp.getState().notify('bad', `${leftovers.length} campaign(s) left cloud resources behind (${fmtUsd(usd)} so far, still billing). Review them under Cloud.`)
})
api.rendererReady()

void useApp.getState().loadRuns()
void useApp.getState().loadActive()

const root = document.getElementById('root')
if (root) createRoot(root).render(<App />)
