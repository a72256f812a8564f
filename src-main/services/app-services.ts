// The desktop app's services: the shared graph from `createServices` plus what only the app has
// (questions to the user, the keychain, live runs in the background, settings, paths chosen in
// main-process dialogs). Without Electron: the Electron shell and the browser tests build the same
// object; only the platform (dialogs, notifications, printing) differs.
import { dirname, join } from 'node:path'
import type { Campaign } from '@shared/campaign'
import type { EventName } from '@shared/ipc/channels'
import type { PushEvents } from '@shared/ipc/contract'
import type { AppInfo } from '@shared/views'
import type { RunOutcome } from '../engine/runner'
import { fireAndForget, type Logger, silentLogger } from '../lib/logger'
import { createServices, configFromEnv, type Services, type ServiceConfig } from './container'
import type { PdfPrinter } from './exports'
import { LiveRuns } from './live-runs'
import { PathGrants } from './path-grants'
import { PromptBroker } from './prompts'
import { DIGITALOCEAN_TOKEN, type SecretCipher, SecretStore } from './secrets'
import { SettingsStore } from './settings'

/** What the platform offers the app: dialogs, notifications, links, printing. */
export interface AppPlatform {
  notify?: (title: string, body: string) => void
  /** Open dialogs: folders (ship-gate runs) or one file (a run bundle); null when cancelled. */
  pickOpen?: (purpose: 'folders' | 'bundle') => Promise<string[] | null>
  pickSavePath?: (defaultName: string) => Promise<string | null>
  openExternal?: (url: string) => Promise<void>
  printPdf?: PdfPrinter
}

export interface AppDeps extends AppPlatform {
  dbPath: string
  appVersion: string
  /** Pushes an event to the renderer. */
  emit: <E extends EventName>(event: E, payload: PushEvents[E]) => void
  emitRunsChanged?: (runId: string) => void
  nativeBinding?: string
  author?: string
  /** Encrypts saved secrets: Electron's safeStorage (the OS keychain). */
  secretCipher?: SecretCipher
  /** The environment read for SHIPGATE_KNOWN_HOSTS and friends, as the command line reads it. */
  env?: NodeJS.ProcessEnv
  logger?: Logger
  /** Overrides for tests (a DigitalOcean stand-in, engines). */
  services?: Partial<ServiceConfig>
}

/** How often the app destroys leftovers past their dead-man deadline. */
const DEAD_MAN_SWEEP_MS = 10 * 60_000

/** Runs shorter than this end quietly; longer ones raise an OS notification. */
const NOTIFY_AFTER_MS = 60_000

export class AppServices {
  readonly core: Services
  readonly prompts: PromptBroker
  readonly secrets: SecretStore
  readonly settings: SettingsStore
  readonly live: LiveRuns
  readonly grants = new PathGrants()
  readonly logger: Logger
  private readonly firstStart: boolean
  private sweeper: NodeJS.Timeout | null = null

  constructor(readonly deps: AppDeps) {
    this.logger = deps.logger ?? silentLogger
    const dataDir = dirname(deps.dbPath)
    this.prompts = new PromptBroker({ hostKey: (e) => deps.emit('hostkey.prompt', e), secret: (e) => deps.emit('secret.prompt', e) })
    this.secrets = new SecretStore(join(dataDir, 'secrets.json'), deps.secretCipher ?? null)
    this.settings = new SettingsStore(join(dataDir, 'settings.json'))
    const env = configFromEnv(deps.env ?? process.env)
    this.core = createServices({
      ...env,
      dbPath: deps.dbPath,
      appVersion: deps.appVersion,
      logger: this.logger,
      knownHostsFiles: [...env.knownHostsFiles, ...this.settings.get().knownHostsFiles],
      approveHostKey: this.prompts.approveHostKey,
      askPassphrase: this.prompts.askPassphrase,
      digitalOceanToken: () => this.secrets.get(DIGITALOCEAN_TOKEN),
      ...(deps.nativeBinding ? { nativeBinding: deps.nativeBinding } : {}),
      ...(deps.printPdf ? { printPdf: deps.printPdf } : {}),
      ...deps.services,
    })
    this.firstStart = this.core.store.runs.count() === 0 && this.core.store.campaigns.count() === 0
    this.live = new LiveRuns(this.core.runs, (e) => deps.emit('run.progress', e), (o, c) => this.finished(o, c), this.logger)
  }

  info(): AppInfo {
    return {
      version: this.deps.appVersion,
      dataDir: dirname(this.deps.dbPath),
      dbPath: this.deps.dbPath,
      runCount: this.core.store.runs.count(),
      firstStart: this.firstStart,
      platform: process.platform,
      logFile: this.logger.file,
    }
  }

  /** Local campaigns run commands on this machine: only the demo lab, unless the user allows them. */
  mayRunLocally(campaign: Campaign): boolean {
    return campaign.transport !== 'local' || this.core.campaigns.isDemoLab(campaign) || this.settings.get().allowLocalCampaigns
  }

  private finished(outcome: RunOutcome, campaign: Campaign): void {
    this.deps.emit('runs.changed', { runId: outcome.runId })
    if (outcome.wallMs >= NOTIFY_AFTER_MS) {
      const verdict = outcome.evaluation.verdict.toUpperCase()
      this.deps.notify?.(`${outcome.runId}: ${verdict}`, `${campaign.name} finished (${outcome.state}). ${outcome.evaluation.reason}`)
    }
  }

  /**
   * On start: runs judged by an older evaluator are judged again, runs a crash left behind are
   * recovered (journal undone, cloud hosts destroyed), cloud leftovers are reported, and the
   * dead-man sweep starts.
   */
  async recover(): Promise<void> {
    const rejudged = this.core.rejudge()
    if (rejudged > 0) this.deps.emitRunsChanged?.('*')
    await this.core.runs.recoverInterrupted((e) => this.deps.emit('run.progress', e))
    const { leftovers } = await this.core.reconcile.leftovers()
    if (leftovers.length > 0) this.deps.emit('cloud.leftovers', { leftovers })
    this.sweeper ??= setInterval(() => fireAndForget(this.logger, 'the dead-man sweep', this.sweepExpired()), DEAD_MAN_SWEEP_MS)
    this.sweeper.unref()
    await this.sweepExpired()
  }

  /** The dead-man switch: leftovers past their deadline are destroyed (never merely powered off). */
  async sweepExpired(): Promise<number> {
    const { leftovers } = await this.core.reconcile.leftovers()
    let destroyed = 0
    for (const l of leftovers.filter((x) => x.pastDeadline)) {
      const o = await this.core.reconcile.destroyLeftover(l.kind, l.tag, { log: () => undefined, step: (_n, work) => work() }).catch((err: unknown) => {
        this.logger.error('destroying a leftover past its deadline failed', { tag: l.tag, error: err instanceof Error ? err.message : String(err) })
        return null
      })
      if (o?.verified) destroyed++
      this.deps.notify?.(`Shipgate Lab: ${l.tag} passed its dead-man deadline`, o?.verified ? `Its ${l.resources.length} resource(s) were destroyed.` : `Destroying it failed: ${o?.message ?? 'see Cloud'}`)
    }
    if (destroyed > 0) this.deps.emitRunsChanged?.('*')
    return destroyed
  }

  async dispose(): Promise<void> {
    if (this.sweeper) clearInterval(this.sweeper)
    await this.live.dispose()
    this.core.close()
  }
}
