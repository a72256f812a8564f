// The composition root of the desktop app's services, without Electron: the Electron shell and the
// browser tests build the same graph; only the dialogs, notifications and printing differ.
import type { Campaign } from '@shared/campaign'
import type { EventName } from '@shared/ipc/channels'
import type { PushEvents } from '@shared/ipc/contract'
import type { AppInfo } from '@shared/views'
import { dirname, join } from 'node:path'
import { DEFAULT_ENGINES } from '../engine/engines'
import { ProvisionService } from './provisions'
import { DIGITALOCEAN_TOKEN, type SecretCipher, SecretStore } from './secrets'
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
  /** Encrypts saved secrets: Electron's safeStorage (the OS keychain). */
  secretCipher?: SecretCipher
  /** DigitalOcean API base URL (the tests' stand-in); campaigns may set their own. */
  digitalOceanApi?: string
}

/** How often the app destroys leftovers past their dead-man deadline. */
const DEAD_MAN_SWEEP_MS = 10 * 60_000

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
  readonly secrets: SecretStore
  readonly provisions: ProvisionService
  private readonly firstStart: boolean
  private sweeper: NodeJS.Timeout | null = null

  constructor(readonly deps: AppDeps) {
    this.store = Store.open(deps.dbPath, deps.nativeBinding ? { nativeBinding: deps.nativeBinding } : {})
    this.firstStart = this.store.runs.list({ limit: 1 }).length === 0 && this.store.db.prepare('SELECT COUNT(*) FROM campaigns').pluck().get() === 0
    this.history = new HistoryService(this.store)
    this.reports = new ReportService(this.store)
    this.exports = new ExportService(this.store, deps.appVersion)
    this.campaigns = new CampaignLibrary(this.store.db)
    this.prompts = new PromptBroker({ hostKey: (e) => deps.emit('hostkey.prompt', e), secret: (e) => deps.emit('secret.prompt', e) })
    const dataDir = dirname(deps.dbPath)
    this.secrets = new SecretStore(join(dataDir, 'secrets.json'), deps.secretCipher ?? null)
    this.provisions = new ProvisionService({
      store: this.store,
      terraformRoot: join(dataDir, 'terraform'),
      token: () => this.secrets.get(DIGITALOCEAN_TOKEN),
      ...(deps.digitalOceanApi ? { apiUrl: deps.digitalOceanApi } : {}),
    })
    this.runs = new RunService(this.store, this.transportOptions(), DEFAULT_ENGINES, this.provisions)
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

  /**
   * On start: recovers runs a crash left behind (their journal undone, their cloud hosts destroyed),
   * tells the renderer about cloud leftovers, and starts the dead-man sweep.
   */
  async recover(): Promise<void> {
    await this.runs.recoverInterrupted((e) => this.deps.emit('run.progress', e))
    const { leftovers } = await this.provisions.leftovers()
    if (leftovers.length > 0) this.deps.emit('cloud.leftovers', { leftovers })
    this.sweeper ??= setInterval(() => void this.sweepExpired(), DEAD_MAN_SWEEP_MS)
    this.sweeper.unref()
    await this.sweepExpired()
  }

  /** The dead-man switch: leftovers past their deadline are destroyed (never merely powered off). */
  async sweepExpired(): Promise<number> {
    const { leftovers } = await this.provisions.leftovers()
    let destroyed = 0
    for (const l of leftovers.filter((x) => x.pastDeadline)) {
      const o = await this.provisions.destroyLeftover(l.kind, l.tag, { log: () => undefined, step: (_n, work) => work() }).catch(() => null)
      if (o?.verified) destroyed++
      this.deps.notify?.(`Shipgate Lab: ${l.tag} passed its dead-man deadline`, o?.verified ? `Its ${l.resources.length} resource(s) were destroyed.` : `Destroying it failed: ${o?.message ?? 'see Cloud'}`)
    }
    if (destroyed > 0) this.deps.emitRunsChanged?.('*')
    return destroyed
  }

  async dispose(): Promise<void> {
    if (this.sweeper) clearInterval(this.sweeper)
    await this.live.dispose()
    this.store.close()
  }
}
