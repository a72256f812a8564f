// Launching runs and recovering from crashes: shared by the CLI and the desktop app.
import { hostname } from 'node:os'
import { type Campaign, campaignSchema } from '@shared/campaign'
import type { ProgressListener } from '@shared/progress'
import { errorMessage } from '../lib/errors'
import type { Store } from '../store/store'
import { CampaignRunner, type PhaseEngine, type RunOutcome } from '../engine/runner'
import type { ProvisionService } from './provisions'
import { Journal } from '../engine/journal'
import { campaignTransports, type TransportOptions } from '../engine/transports'
import { gateInput } from '../engine/phases/params'
import { evaluateRun } from '../verdict/evaluate'
import type { PhaseNumber } from '@shared/domain'
import { DEFAULT_ENGINES } from '../engine/engines'
import { processAlive } from './process'


export interface RecoveryReport {
  runId: string
  teardownOk: boolean
  undone: number
  /** The outcome of destroying the run's cloud hosts, when it had some. */
  cloud?: string
}

export class RunService {
  readonly journal: Journal

  constructor(
    private readonly store: Store,
    private readonly transportOptions: TransportOptions = {},
    private readonly engines: Partial<Record<PhaseNumber, PhaseEngine>> = DEFAULT_ENGINES,
    readonly provisioning?: ProvisionService,
  ) {
    this.journal = new Journal(store.db)
  }

  runner(): CampaignRunner {
    return new CampaignRunner({
      store: this.store,
      journal: this.journal,
      engines: this.engines,
      transports: (c, extras) => campaignTransports(c, { knownHosts: this.store.knownHosts, ...this.transportOptions }, extras),
      ...(this.provisioning ? { provisioning: this.provisioning } : {}),
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
    // Cloud hosts of runs that are gone: destroyed and proven gone (the provisions table is their journal).
    if (this.provisioning) {
      await this.provisioning.recover({
        log: () => undefined,
        step: (_name, work) => work(),
        onOutcome: (record, outcome) => {
          const runId = record.runId ?? record.campaignTag
          onEvent?.({ type: 'teardown', runId, action: `destroy ${record.kind} hosts of ${record.campaignTag}`, ok: outcome.verified, detail: outcome.message, at: Date.now() })
          const report = reports.find((r) => r.runId === runId)
          if (report) {
            report.teardownOk &&= outcome.verified
            report.cloud = outcome.message
          } else reports.push({ runId, teardownOk: outcome.verified, undone: 0, cloud: outcome.message })
        },
      })
    }
    return reports
  }
}
