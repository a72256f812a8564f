// Running a soak: one campaign again and again, `count` runs at most `every` apart, named
// `<series>-r<k>`. One process per series (the lock), resumable (the index comes from the history,
// the window and cadence from the state file), and stoppable in steps: the first stop ends the soak
// after the current run (its teardown included) or at once while waiting; the second cancels the
// current run, which still tears down. Everything with a side effect is injected, so tests drive it
// with a fake clock and a fake `start`, and the app and the CLI with the real RunService.
import type { Campaign } from '@shared/campaign'
import type { RunState, RunVerdict } from '@shared/domain'
import type { ProgressListener } from '@shared/progress'
import { type SoakEvent, type SoakStatus, soakIndex } from '@shared/soak'
import { AppError, errorMessage } from '../lib/errors'
import { acquireSoakLock } from './lock'
import { type SoakState, openSoakState, writeSoakState } from './state'

export interface SoakRunOutcome {
  runId: string
  state: RunState
  evaluation: { verdict: RunVerdict; reason: string }
}

export interface SoakClock {
  now(): number
  /** Resolves after `ms`, or early (without error) when `signal` aborts. */
  sleep(ms: number, signal: AbortSignal): Promise<void>
}

export const realClock: SoakClock = {
  now: () => Date.now(),
  sleep: (ms, signal) =>
    new Promise((resolve) => {
      if (signal.aborted) return resolve()
      const timer = setTimeout(done, ms)
      function done() {
        clearTimeout(timer)
        signal.removeEventListener('abort', done)
        resolve()
      }
      signal.addEventListener('abort', done)
    }),
}

export interface SoakRunnerDeps {
  /** Where locks and state files live (`soakDir(dbPath)`). */
  dir: string
  /** Starts one run of the campaign (RunService.start). */
  start: (campaign: Campaign, options: { signal: AbortSignal; onEvent?: ProgressListener }) => Promise<SoakRunOutcome>
  /** Ids of the runs of a campaign in the history, to find the next index. */
  runIds: (series: string) => string[]
  clock?: SoakClock
}

export interface SoakPlan {
  count: number
  everyMs: number
  /** The series id; the campaign's own name by default. */
  series?: string
  onEvent?: (e: SoakEvent) => void
  onProgress?: ProgressListener
}

export interface SoakResult {
  series: string
  outcome: 'completed' | 'stopped' | 'cancelled'
  /** The runs this invocation made. */
  runs: SoakRunOutcome[]
  state: SoakState
}

export class SoakRunner {
  private readonly clock: SoakClock
  private active: { status: SoakStatus; stops: number; waitAbort: AbortController; runAbort: AbortController | null; emit: (e: SoakEvent) => void } | null = null

  constructor(private readonly deps: SoakRunnerDeps) {
    this.clock = deps.clock ?? realClock
  }

  status(): SoakStatus | null {
    return this.active ? { ...this.active.status } : null
  }

  /**
   * Asks the running soak to stop. First call: after the current run (at once while waiting).
   * Second call: cancel the current run (it still tears down). Returns what it did.
   */
  stop(): 'none' | 'after-run' | 'cancel-run' {
    const a = this.active
    if (!a) return 'none'
    a.stops++
    a.status.phase = 'stopping'
    a.waitAbort.abort()
    const how = a.stops >= 2 ? 'cancel-run' : 'after-run'
    if (how === 'cancel-run') a.runAbort?.abort()
    a.emit({ type: 'stopping', series: a.status.series, how, at: this.clock.now() })
    return how
  }

  private lastIndex(series: string): number {
    return this.deps.runIds(series).reduce((m, id) => Math.max(m, soakIndex(series, id) ?? 0), 0)
  }

  /** Runs the soak to its end (or its stop). */
  run(campaign: Campaign, plan: SoakPlan): Promise<SoakResult> {
    try {
      return this.begin(campaign, plan).done
    } catch (err) {
      return Promise.reject(err)
    }
  }

  /**
   * Takes the lock and opens the state now (so a refusal is the caller's answer), then runs in the
   * background: `done` settles when the soak ends.
   */
  begin(campaign: Campaign, plan: SoakPlan): { series: string; done: Promise<SoakResult> } {
    if (this.active) throw new AppError('CONFLICT', `this process already runs the soak ${this.active.status.series}`)
    if (!Number.isInteger(plan.count) || plan.count < 1) throw new AppError('BAD_REQUEST', '--count must be a whole number ≥ 1')
    if (!(plan.everyMs >= 0)) throw new AppError('BAD_REQUEST', '--every must be a duration such as 4h, 30m or 0s')
    const series = plan.series ?? campaign.name
    const named: Campaign = { ...campaign, name: series }
    const emit = (e: SoakEvent) => plan.onEvent?.(e)
    const lock = acquireSoakLock(this.deps.dir, series)
    let state: SoakState
    try {
      state = openSoakState(this.deps.dir, series, named, { count: plan.count, everyMs: plan.everyMs }, this.clock.now())
    } catch (err) {
      lock.release()
      throw err
    }
    const startIndex = this.lastIndex(series) + 1
    const active = {
      status: { series, phase: 'waiting', done: startIndex - 1, count: plan.count, everyMs: plan.everyMs, nextDueAt: state.nextDueAt, currentIndex: null, startedAt: this.clock.now() } as SoakStatus,
      stops: 0,
      waitAbort: new AbortController(),
      runAbort: null as AbortController | null,
      emit,
    }
    this.active = active
    emit({ type: 'soak-started', series, count: plan.count, everyMs: plan.everyMs, nextIndex: startIndex, resumed: state.runs.length > 0 || startIndex > 1, at: this.clock.now() })
    const done = this.loop(named, plan, state, active).finally(() => {
      this.active = null
      lock.release()
    })
    return { series, done }
  }

  private async loop(named: Campaign, plan: SoakPlan, initial: SoakState, a: NonNullable<SoakRunner['active']>): Promise<SoakResult> {
    const series = named.name
    const emit = a.emit
    const made: SoakRunOutcome[] = []
    let state = initial
    let outcome: SoakResult['outcome'] = 'completed'
    try {
      for (;;) {
        const index = this.lastIndex(series) + 1
        a.status.done = index - 1
        if (index > plan.count) break
        if (a.stops > 0) {
          outcome = 'stopped'
          break
        }
        const due = state.nextDueAt ?? 0
        if (due > this.clock.now()) {
          a.status.phase = 'waiting'
          a.status.nextDueAt = due
          emit({ type: 'waiting', series, until: due, at: this.clock.now() })
          await this.clock.sleep(due - this.clock.now(), a.waitAbort.signal)
          // A stop during the wait ends the soak at once; otherwise the wait may have ended early.
          if (a.stops > 0) {
            outcome = 'stopped'
            break
          }
          if (due > this.clock.now()) continue
        }
        a.status.phase = 'running'
        a.status.currentIndex = index
        a.runAbort = new AbortController()
        const startedAt = this.clock.now()
        emit({ type: 'run-started', series, index, at: startedAt })
        const result = await this.deps.start(named, { signal: a.runAbort.signal, ...(plan.onProgress ? { onEvent: plan.onProgress } : {}) })
        const finishedAt = this.clock.now()
        made.push(result)
        const runIndex = soakIndex(series, result.runId) ?? index
        state = { ...state, runs: [...state.runs, { id: result.runId, index: runIndex, startedAt, finishedAt, verdict: result.evaluation.verdict, state: result.state }], nextDueAt: startedAt + plan.everyMs }
        writeSoakState(this.deps.dir, state)
        a.runAbort = null
        a.status.currentIndex = null
        a.status.done = runIndex
        a.status.nextDueAt = state.nextDueAt
        if (a.stops === 0) a.status.phase = 'waiting'
        emit({ type: 'run-finished', series, runId: result.runId, index: runIndex, verdict: result.evaluation.verdict, state: result.state, reason: result.evaluation.reason, at: finishedAt })
        if (result.state === 'cancelled' || a.stops >= 2) {
          outcome = 'cancelled'
          break
        }
      }
      const message = outcome === 'completed' ? `${plan.count} run(s) of ${series} done` : outcome === 'stopped' ? `stopped at ${a.status.done} of ${plan.count}; run the same command again to continue` : `the current run was cancelled at ${a.status.done} of ${plan.count}`
      emit({ type: 'soak-ended', series, outcome, message, at: this.clock.now() })
      return { series, outcome, runs: made, state }
    } catch (err) {
      emit({ type: 'soak-ended', series, outcome: 'failed', message: errorMessage(err), at: this.clock.now() })
      throw err
    }
  }
}
