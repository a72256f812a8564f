// The composition root of the desktop app's services, without Electron: the Electron shell and the
// browser tests build the same graph; only the dialogs, notifications and printing differ.
import type { Campaign } from '@shared/campaign'
import type { EventName } from '@shared/ipc/channels'
import type { PushEvents } from '@shared/ipc/contract'
import type { AppInfo } from '@shared/views'
import { dirname } from 'node:path'
import type { RunOutcome } from '../engine/runner'
import { defaultKnownHostsFiles, type TransportOptions } from '../engine/transports'
import { Store } from '../store/store'
import { CampaignLibrary } from './campaign-library'
import { ExportService } from './exports'
import { HistoryService } from './history'
import { LiveRuns } from './live-runs'
import { PromptBroker } from './prompts'
import { ReportService } from './reports'
import { RunService } from './runs'

export interface AppDeps {
  dbPath: string
  appVersion: string
  /** Pushes an event to the renderer. */
  emit: <E extends EventName>(event: E, payload: PushEvents[E]) => void
  notify?: (title: string, body: string) => void
  pickFolder?: () => Promise<string[] | null>
  pickSavePath?: (defaultName: string) => Promise<string | null>
  openExternal?: (url: string) => Promise<void>
  printPdf?: (html: string, runId: string, path: string) => Promise<void>
  emitRunsChanged?: (runId: string) => void
  knownHostsFiles?: string[]
  nativeBinding?: string
  author?: string
}

/** Runs shorter than this end quietly; longer ones raise an OS notification. */
const NOTIFY_AFTER_MS = 60_000

export class AppServices {
  readonly store: Store
  readonly history: HistoryService
  readonly reports: ReportService
  readonly exports: ExportService
  readonly campaigns: CampaignLibrary
  readonly prompts: PromptBroker
  readonly runs: RunService
  readonly live: LiveRuns
  private readonly firstStart: boolean

  constructor(readonly deps: AppDeps) {
    this.store = Store.open(deps.dbPath, deps.nativeBinding ? { nativeBinding: deps.nativeBinding } : {})
    this.firstStart = this.store.runs.list({ limit: 1 }).length === 0 && this.store.db.prepare('SELECT COUNT(*) FROM campaigns').pluck().get() === 0
    this.history = new HistoryService(this.store)
    this.reports = new ReportService(this.store)
    this.exports = new ExportService(this.store, deps.appVersion)
    this.campaigns = new CampaignLibrary(this.store.db)
    this.prompts = new PromptBroker({ hostKey: (e) => deps.emit('hostkey.prompt', e), secret: (e) => deps.emit('secret.prompt', e) })
    this.runs = new RunService(this.store, this.transportOptions())
    this.live = new LiveRuns(this.runs, (e) => deps.emit('run.progress', e), (o, c) => this.finished(o, c))
  }

  transportOptions(): TransportOptions {
    return {
      knownHosts: this.store.knownHosts,
      approveHostKey: this.prompts.approveHostKey,
      askPassphrase: this.prompts.askPassphrase,
      knownHostsFiles: [...defaultKnownHostsFiles(), ...(this.deps.knownHostsFiles ?? [])],
    }
  }

  info(): AppInfo {
    return {
      version: this.deps.appVersion,
      dataDir: dirname(this.deps.dbPath),
      dbPath: this.deps.dbPath,
      runCount: this.store.db.prepare('SELECT COUNT(*) FROM runs').pluck().get() as number,
      firstStart: this.firstStart,
      platform: process.platform,
    }
  }

  private finished(outcome: RunOutcome, campaign: Campaign): void {
    this.deps.emit('runs.changed', { runId: outcome.runId })
    if (outcome.wallMs >= NOTIFY_AFTER_MS) {
      const verdict = outcome.evaluation.verdict.toUpperCase()
      this.deps.notify?.(`${outcome.runId}: ${verdict}`, `${campaign.name} finished (${outcome.state}). ${outcome.evaluation.reason}`)
    }
  }

  /** Recovers runs a crash left behind (undoing their journal) on start. */
  recover(): Promise<unknown> {
    return this.runs.recoverInterrupted((e) => this.deps.emit('run.progress', e))
  }

  async dispose(): Promise<void> {
    await this.live.dispose()
    this.store.close()
  }
}
