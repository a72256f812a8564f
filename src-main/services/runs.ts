// Launching runs and recovering from crashes: shared by the CLI and the desktop app.
import { hostname } from 'node:os'
import { type Campaign, storedCampaign } from '@shared/campaign'
import { HOST_ROLES, type HostRole, type PhaseNumber } from '@shared/domain'
import type { ProgressListener } from '@shared/progress'
import { CampaignRunner, type PhaseEngine, type RunOutcome } from '../engine/runner'
import { Journal } from '../engine/journal'
import { campaignTransports, type TransportOptions } from '../engine/transports'
import { judgeStored } from '../judge/judge'
import { errorMessage } from '../lib/errors'
import { pgrepPattern } from '../lib/pgrep'
import { processAlive } from '../lib/process'
import { q } from '../transport/quote'
import type { Transport } from '../transport/types'
import type { ProvisionLifecycle } from '../provision/lifecycle'
import type { Reconciler } from '../provision/reconcile'
import type { Store } from '../store/store'

export interface RecoveryReport {
  runId: string
  teardownOk: boolean
  undone: number
  /** Processes of the run still alive after the undo (listed by the run's marker), per host. */
  survivors: string[]
  /** The outcome of destroying the run's cloud hosts, when it had some. */
  cloud?: string
}

export class RunService {
  readonly journal: Journal

  constructor(
    private readonly store: Store,
    private readonly transportOptions: TransportOptions,
    private readonly engines: Partial<Record<PhaseNumber, PhaseEngine>>,
    private readonly provisioning?: { lifecycle: ProvisionLifecycle; reconcile: Reconciler },
  ) {
    this.journal = new Journal(store.journal)
  }

  runner(): CampaignRunner {
    return new CampaignRunner({
      store: this.store,
      journal: this.journal,
      engines: this.engines,
      transports: (c, extras) => campaignTransports(c, { knownHosts: this.store.knownHosts, ...this.transportOptions }, extras),
      ...(this.provisioning ? { provisioning: this.provisioning.lifecycle } : {}),
    })
  }

  start(campaign: Campaign, options: { signal?: AbortSignal; onEvent?: ProgressListener } = {}): Promise<RunOutcome> {
    return this.runner().run(campaign, options)
  }

  /**
   * Runs left `running` by a process that is gone become `interrupted`: whatever their journal left
   * pending (a partition, a stopped peer, a server) is undone on its host, the hosts are searched for
   * any process of the run still alive (by the run's folder in its command line), and the run is
   * judged again from its evidence and these facts.
   */
  async recoverInterrupted(onEvent?: ProgressListener): Promise<RecoveryReport[]> {
    const me = hostname()
    const reports: RecoveryReport[] = []
    for (const run of this.store.runs.listRunning()) {
      const orphaned = run.ownerHost === me && (run.ownerPid === null || !processAlive(run.ownerPid))
      if (!orphaned) continue
      const campaign = storedCampaign(run.params)
      const report = (action: string, ok: boolean, detail?: string) => onEvent?.({ type: 'teardown', runId: run.id, action, ok, ...(detail ? { detail } : {}), at: Date.now() })
      const pending = this.journal.pending(run.id)
      let teardownOk = campaign !== null || pending.length === 0
      const survivors: string[] = []
      if (campaign) {
        const transports = campaignTransports(campaign, { knownHosts: this.store.knownHosts, ...this.transportOptions })
        try {
          if (pending.length > 0) teardownOk = await this.journal.undoPending(run.id, (role) => transports.get(role), report)
          survivors.push(...(await this.survivors(run.id, campaign, (role) => transports.get(role))))
        } catch (err) {
          teardownOk = false
          report('recovery', false, errorMessage(err))
        } finally {
          await transports.dispose()
        }
      }
      if (survivors.length > 0) {
        teardownOk = false
        report('processes of the run still alive', false, survivors.join('; '))
      }
      // Said in the run itself (its report and exports), not only in this command's output.
      const undoneText = `${pending.length} pending journal entr${pending.length === 1 ? 'y' : 'ies'}`
      const stopReason = teardownOk
        ? `the runner died; recovery undid ${undoneText} (faults healed, servers stopped)${survivors.length === 0 && campaign ? ' and found no process of the run alive' : ''}`
        : `the runner died; recovery could not undo every pending journal entry${survivors.length ? ` and found processes of the run still alive: ${survivors.join('; ')}` : ''}: see the journal`
      this.store.runs.update(run.id, { state: 'interrupted', ownerPid: null, stopReason: run.stopReason ?? stopReason })
      judgeStored(this.store, run.id)
      reports.push({ runId: run.id, teardownOk, undone: pending.length, survivors })
    }
    // Cloud hosts of runs that are gone: destroyed and proven gone (the provisions table is their journal).
    if (this.provisioning) {
      await this.provisioning.reconcile.recover({
        log: () => undefined,
        step: (_name, work) => work(),
        onOutcome: (record, outcome) => {
          const runId = record.runId ?? record.campaignTag
          onEvent?.({ type: 'teardown', runId, action: `destroy ${record.kind} hosts of ${record.campaignTag}`, ok: outcome.verified, detail: outcome.message, at: Date.now() })
          if (record.runId && this.store.runs.exists(record.runId)) judgeStored(this.store, record.runId)
          const found = reports.find((r) => r.runId === runId)
          if (found) {
            found.teardownOk &&= outcome.verified
            found.cloud = outcome.message
          } else reports.push({ runId, teardownOk: outcome.verified, undone: 0, survivors: [], cloud: outcome.message })
        },
      })
    }
    return reports
  }

  /** Every process on the run's hosts whose command line names the run's folder (servers, PostgreSQL, PGlite). */
  private async survivors(runId: string, campaign: Campaign, transportFor: (role: HostRole) => Transport): Promise<string[]> {
    const out: string[] = []
    const seen = new Set<string>()
    for (const role of HOST_ROLES) {
      const marker = `${campaign.hosts[role].workdir.replace(/\/+$/, '')}/${runId}/`
      const key = `${campaign.hosts[role].address}|${marker}`
      if (seen.has(key)) continue
      seen.add(key)
      const r = await transportFor(role).exec(`pgrep -af -- ${q(pgrepPattern(marker))} || true`, { timeoutMs: 30_000 })
      for (const line of r.stdout.trim().split('\n').filter(Boolean)) out.push(`${role}: ${line.slice(0, 300)}`)
    }
    return out
  }
}
