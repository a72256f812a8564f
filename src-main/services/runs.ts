// Launching runs and recovering from crashes: shared by the CLI and the desktop app.
import { readFileSync } from 'node:fs'
import { hostname } from 'node:os'
import { type Campaign, campaignSchema } from '@shared/campaign'
import type { ProgressListener } from '@shared/progress'
import { errorMessage } from '../lib/errors'
import type { Store } from '../store/store'
import { CampaignRunner, type PhaseEngine, type RunOutcome } from '../engine/runner'
import { Journal } from '../engine/journal'
import { campaignTransports, type TransportOptions } from '../engine/transports'
import { gateInput } from '../engine/phases/params'
import { evaluateRun } from '../verdict/evaluate'
import type { PhaseNumber } from '@shared/domain'
import { DEFAULT_ENGINES } from '../engine/engines'

/** True while the process that owns a run is alive (a zombie counts as dead). */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM'
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z'
  } catch {
    return true
  }
}

export interface RecoveryReport {
  runId: string
  teardownOk: boolean
  undone: number
}

export class RunService {
  readonly journal: Journal

  constructor(
    private readonly store: Store,
    private readonly transportOptions: TransportOptions = {},
    private readonly engines: Partial<Record<PhaseNumber, PhaseEngine>> = DEFAULT_ENGINES,
  ) {
    this.journal = new Journal(store.db)
  }

  runner(): CampaignRunner {
    return new CampaignRunner({
      store: this.store,
      journal: this.journal,
      engines: this.engines,
      transports: (c) => campaignTransports(c, { knownHosts: this.store.knownHosts, ...this.transportOptions }),
    })
  }

  start(campaign: Campaign, options: { signal?: AbortSignal; onEvent?: ProgressListener } = {}): Promise<RunOutcome> {
    return this.runner().run(campaign, options)
  }

  /**
   * Runs left `running` by a process that is gone become `interrupted`: re-judged from the evidence
   * they stored, and whatever their journal left pending (a partition, a stopped peer, a server)
   * is undone on its host.
   */
  async recoverInterrupted(onEvent?: ProgressListener): Promise<RecoveryReport[]> {
    const me = hostname()
    const reports: RecoveryReport[] = []
    for (const run of this.store.runs.listRunning()) {
      const orphaned = run.ownerHost === me && (run.ownerPid === null || !processAlive(run.ownerPid))
      if (!orphaned) continue
      const parsed = campaignSchema.safeParse((run.params as { campaign?: unknown }).campaign)
      const campaign = parsed.success ? parsed.data : null
      const { evaluation } = evaluateRun({ artifacts: this.store.artifacts.all(run.id), ...(campaign ? gateInput(campaign) : {}) })
      evaluation.warnings.push({ code: 'interrupted', message: 'the process running this campaign stopped before the end (crash or kill); phases without evidence did not run' })
      let teardownOk = true
      const pending = this.journal.pending(run.id)
      if (pending.length > 0) {
        if (!campaign) teardownOk = false
        else {
          const transports = campaignTransports(campaign, { knownHosts: this.store.knownHosts, ...this.transportOptions })
          try {
            teardownOk = await this.journal.undoPending(run.id, (role) => transports.get(role), (action, ok, detail) =>
              onEvent?.({ type: 'teardown', runId: run.id, action, ok, ...(detail ? { detail } : {}), at: Date.now() }),
            )
          } catch (err) {
            teardownOk = false
            onEvent?.({ type: 'teardown', runId: run.id, action: 'recovery', ok: false, detail: errorMessage(err), at: Date.now() })
          } finally {
            await transports.dispose()
          }
        }
        evaluation.warnings.push({
          code: 'teardown',
          message: teardownOk ? `recovery undid ${pending.length} pending journal entr${pending.length === 1 ? 'y' : 'ies'} (faults healed, servers stopped)` : 'recovery could not undo every pending journal entry: see the journal',
        })
      }
      this.store.transaction(() => {
        this.store.runs.updateEvaluation(run.id, evaluation)
        this.store.runs.update(run.id, { state: 'interrupted', ownerPid: null })
      })
      reports.push({ runId: run.id, teardownOk, undone: pending.length })
    }
    return reports
  }
}
