import type { StateCreator } from 'zustand'
import type { ChaosCycle, CheckResult, PhaseStatus, RunState, RunVerdict } from '@shared/domain'
import type { ProgressEvent, ProvisionerKind } from '@shared/progress'
import { api, unwrap } from '../lib/api'
import { errorText } from '../lib/format'
import { logBuffer } from '../lib/log-buffer'
import type { AppState } from './index'

export interface LivePhase {
  status: 'pending' | 'running' | PhaseStatus
  summary?: string
  startedAt?: number
  durationMs?: number
  stepsDone: number
  stepsFailed: number
}

export interface LiveRun {
  runId: string
  campaign: string
  startedAt: number
  phases: Record<number, LivePhase>
  hosts: { role: string; name: string; address: string }[]
  provisioner: ProvisionerKind
  /** Provisioning, bootstrap and cloud teardown steps (before and after the phases). */
  setup: { host?: string; step: string; status: 'started' | 'done' | 'failed'; detail?: string; at: number }[]
  cost: { usd: number; hourlyUsd: number; final: boolean } | null
  steps: { phase: number; host?: string; step: string; status: 'started' | 'done' | 'failed'; detail?: string; at: number }[]
  checks: (CheckResult & { at: number })[]
  cycles: ChaosCycle[]
  cyclesConfigured: number
  /** The bound threshold this run is judged with (the campaign's own, else the gate's). */
  boundMin: number | null
  teardown: { action: string; ok: boolean; detail?: string; at: number }[]
  cancelling: boolean
  finished: { state: RunState; verdict: RunVerdict; reason: string; durationMs: number } | null
  logCount: number
}

export interface LiveSlice {
  liveRuns: Record<string, LiveRun>
  liveOrder: string[]
  applyEvents: (events: ProgressEvent[]) => void
  startRun: (yaml: string) => Promise<string | null>
  cancelRun: (runId: string) => Promise<void>
  loadActive: () => Promise<void>
}

function emptyRun(e: Extract<ProgressEvent, { type: 'run-started' }>): LiveRun {
  return {
    runId: e.runId,
    campaign: e.campaign,
    startedAt: e.at,
    phases: Object.fromEntries(e.phases.map((p) => [p, { status: 'pending', stepsDone: 0, stepsFailed: 0 }])),
    hosts: e.hosts,
    provisioner: e.provisioner,
    setup: [],
    cost: null,
    steps: [],
    checks: [],
    cycles: [],
    cyclesConfigured: 0,
    boundMin: typeof e.boundMin === 'number' ? e.boundMin : null,
    teardown: [],
    cancelling: false,
    finished: null,
    logCount: 0,
  }
}

/** Applies a batch of events to one run, copying only what changes. */
function apply(run: LiveRun | undefined, e: ProgressEvent): LiveRun | undefined {
  if (e.type === 'run-started') return run ?? emptyRun(e)
  if (!run) return run
  switch (e.type) {
    case 'phase-started':
      return { ...run, phases: { ...run.phases, [e.phase]: { ...(run.phases[e.phase] ?? { stepsDone: 0, stepsFailed: 0 }), status: 'running', startedAt: e.at } } }
    case 'step': {
      const phase = run.phases[e.phase] ?? { status: 'running' as const, stepsDone: 0, stepsFailed: 0 }
      const steps = [...run.steps, { phase: e.phase, ...(e.host ? { host: e.host } : {}), step: e.step, status: e.status, ...(e.detail ? { detail: e.detail } : {}), at: e.at }].slice(-300)
      return {
        ...run,
        steps,
        phases: { ...run.phases, [e.phase]: { ...phase, stepsDone: phase.stepsDone + (e.status === 'done' ? 1 : 0), stepsFailed: phase.stepsFailed + (e.status === 'failed' ? 1 : 0) } },
      }
    }
    case 'setup':
      return { ...run, setup: [...run.setup, { ...(e.host ? { host: e.host } : {}), step: e.step, status: e.status, ...(e.detail ? { detail: e.detail } : {}), at: e.at }].slice(-300) }
    case 'hosts':
      return { ...run, hosts: e.hosts }
    case 'cost':
      return { ...run, cost: { usd: e.usd, hourlyUsd: e.hourlyUsd, final: e.final } }
    case 'log':
      logBuffer.push(run.runId, e)
      return { ...run, logCount: logBuffer.count(run.runId) }
    case 'check':
      return { ...run, checks: [...run.checks, { ...e.check, at: e.at }] }
    case 'cycle':
      return { ...run, cycles: [...run.cycles, e.cycle], cyclesConfigured: e.configured }
    case 'phase-finished':
      return { ...run, phases: { ...run.phases, [e.phase]: { ...(run.phases[e.phase] ?? { stepsDone: 0, stepsFailed: 0 }), status: e.status, summary: e.summary, durationMs: e.durationMs } } }
    case 'teardown':
      return { ...run, teardown: [...run.teardown, { action: e.action, ok: e.ok, ...(e.detail ? { detail: e.detail } : {}), at: e.at }] }
    case 'run-finished':
      return { ...run, finished: { state: e.state, verdict: e.verdict, reason: e.reason, durationMs: e.durationMs } }
  }
}

export const createLiveSlice: StateCreator<AppState, [], [], LiveSlice> = (set, get) => ({
  liveRuns: {},
  liveOrder: [],
  applyEvents: (events) => {
    const runs = { ...get().liveRuns }
    const order = [...get().liveOrder]
    for (const e of events) {
      const next = apply(runs[e.runId], e)
      if (next) {
        if (!runs[e.runId]) order.unshift(e.runId)
        runs[e.runId] = next
      }
    }
    set({ liveRuns: runs, liveOrder: order })
  },
  startRun: async (yaml) => {
    try {
      const { runId } = await unwrap(api().live.start({ yaml }))
      get().go({ name: 'live', runId })
      return runId
    } catch (err) {
      get().notify('bad', `The run did not start: ${errorText(err)}`)
      return null
    }
  },
  cancelRun: async (runId) => {
    const run = get().liveRuns[runId]
    if (run) set({ liveRuns: { ...get().liveRuns, [runId]: { ...run, cancelling: true } } })
    try {
      await unwrap(api().live.cancel({ runId }))
    } catch (err) {
      get().notify('bad', `Cancel failed: ${errorText(err)}`)
    }
  },
  loadActive: async () => {
    try {
      const active = await unwrap(api().live.active({}))
      for (const a of active) get().applyEvents(a.events)
    } catch {
      /* the history still works without live runs */
    }
  },
})
