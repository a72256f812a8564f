// Runs launched from the desktop app: started in the background, cancellable, with their recent
// progress kept so a reloaded window catches up.
import type { Campaign } from '@shared/campaign'
import type { ProgressEvent } from '@shared/progress'
import type { LiveRunView } from '@shared/views'
import { errorMessage } from '../lib/errors'
import { type Logger, silentLogger } from '../lib/logger'
import type { RunOutcome } from '../engine/runner'
import type { RunService } from './runs'

const KEEP_EVENTS = 3000

interface Active {
  runId: string
  campaign: string
  startedAt: number
  controller: AbortController
  events: ProgressEvent[]
  done: Promise<RunOutcome | null>
}

export class LiveRuns {
  private readonly active = new Map<string, Active>()

  constructor(
    private readonly runs: RunService,
    private readonly sink: (e: ProgressEvent) => void,
    private readonly onFinished: (outcome: RunOutcome, campaign: Campaign) => void = () => undefined,
    private readonly logger: Logger = silentLogger,
  ) {}

  /** Starts a run; resolves with its id as soon as the run exists in the store. */
  start(campaign: Campaign): Promise<{ runId: string }> {
    const controller = new AbortController()
    return new Promise((resolve, reject) => {
      let entry: Active | null = null
      // run-started arrives synchronously, before runs.start() returns: the entry waits on this.
      let finish: (o: RunOutcome | null) => void = () => undefined
      const settled = new Promise<RunOutcome | null>((r) => (finish = r))
      const onEvent = (e: ProgressEvent) => {
        if (e.type === 'run-started' && !entry) {
          entry = { runId: e.runId, campaign: campaign.name, startedAt: e.at, controller, events: [], done: settled }
          this.active.set(e.runId, entry)
          resolve({ runId: e.runId })
        }
        if (entry) {
          entry.events.push(e)
          if (entry.events.length > KEEP_EVENTS) entry.events.splice(0, entry.events.length - KEEP_EVENTS)
        }
        this.sink(e)
      }
      void this.runs.start(campaign, { signal: controller.signal, onEvent }).then(
        (outcome) => {
          this.active.delete(outcome.runId)
          this.onFinished(outcome, campaign)
          finish(outcome)
        },
        (err: unknown) => {
          this.logger.error('a run failed outside its phases', { run: entry?.runId ?? campaign.name, error: errorMessage(err) })
          if (entry) this.active.delete(entry.runId)
          else reject(new Error(`the run did not start: ${errorMessage(err)}`))
          finish(null)
        },
      )
    })
  }

  cancel(runId: string): boolean {
    const a = this.active.get(runId)
    if (!a) return false
    a.controller.abort()
    return true
  }

  list(): LiveRunView[] {
    return [...this.active.values()].map((a) => ({ runId: a.runId, campaign: a.campaign, startedAt: a.startedAt, events: a.events }))
  }

  async wait(runId: string): Promise<RunOutcome | null> {
    return (await this.active.get(runId)?.done) ?? null
  }

  /** Cancels every active run and waits for its teardown. */
  async dispose(): Promise<void> {
    const all = [...this.active.values()]
    for (const a of all) a.controller.abort()
    await Promise.all(all.map((a) => a.done))
  }
}
