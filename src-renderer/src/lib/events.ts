// Main's push events wired into the store, once, at start. Progress arrives in bursts (hundreds of
// log lines a second): it is applied once per frame.
import { fmtUsd } from '@shared/money'
import type { ProgressEvent } from '@shared/progress'
import { useApp } from '../store'
import { api } from './api'

export function wireEvents(): void {
  const store = useApp.getState
  let pending: ProgressEvent[] = []
  let scheduled = false
  const flush = () => {
    scheduled = false
    const batch = pending
    pending = []
    store().applyEvents(batch)
  }
  const events = api()
  events.on('run.progress', (e) => {
    pending.push(e)
    if (!scheduled) {
      scheduled = true
      requestAnimationFrame(flush)
    }
    if (e.type === 'run-finished') store().background('reloading the history', store().loadRuns())
  })
  events.on('runs.changed', () => store().background('reloading the history', store().loadRuns()))
  events.on('hostkey.prompt', (p) => store().pushHostKeyPrompt(p))
  events.on('secret.prompt', (p) => store().pushSecretPrompt(p))
  events.on('cloud.leftovers', ({ leftovers }) => {
    store().setLeftovers(leftovers)
    const usd = leftovers.reduce((s, l) => s + l.costSoFarUsd, 0)
    store().notify('bad', `${leftovers.length} campaign(s) left cloud resources behind (${fmtUsd(usd)} so far, still billing). Review them under Cloud.`)
  })
  events.rendererReady()
}
