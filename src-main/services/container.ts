// The composition root: the one function that builds the service graph, for the desktop app, the
// command line and the tests alike. What differs between them comes in through `ServiceConfig`
// (where the token comes from, how a host key or a passphrase is asked, how a PDF is printed);
// `configFromEnv` reads the environment the same way for both.
import { dirname, join } from 'node:path'
import type { PhaseNumber } from '@shared/domain'
import { DEFAULT_ENGINES } from '../engine/engines'
import type { PhaseEngine } from '../engine/runner'
import { defaultKnownHostsFiles, type TransportOptions } from '../engine/transports'
import { judgeStored, rejudgeStale } from '../judge/judge'
import { type Logger, silentLogger } from '../lib/logger'
import { registerSecret } from '../lib/redact'
import { ProvisionLifecycle, type ProvisionDeps } from '../provision/lifecycle'
import { Reconciler } from '../provision/reconcile'
import { Store } from '../store/store'
import type { AskPassphrase } from '../transport/ssh/credentials'
import type { ApproveHostKey } from '../transport/ssh/host-keys'
import { CampaignService } from './campaign-service'
import { ExportService, type PdfPrinter } from './exports'
import { HistoryService } from './history'
import { ImportService } from './imports'
import { ReportService } from './reports'
import { RunService } from './runs'

export interface ServiceConfig {
  dbPath: string
  appVersion: string
  logger?: Logger
  /** OpenSSH known_hosts files trusted besides the app's pins: ~/.ssh/known_hosts, /etc/ssh/ssh_known_hosts and SHIPGATE_KNOWN_HOSTS. */
  knownHostsFiles: string[]
  approveHostKey?: ApproveHostKey
  askPassphrase?: AskPassphrase
  /** The DigitalOcean API token: the OS keychain in the app, DIGITALOCEAN_TOKEN on the command line. */
  digitalOceanToken: () => string | null
  /** DigitalOcean API base URL when a campaign does not set one (the tests' stand-in). */
  digitalOceanApi?: string
  terraformBinary?: string
  /** better-sqlite3 built for Electron's ABI (the app); the CLI uses the Node build. */
  nativeBinding?: string
  printPdf?: PdfPrinter
  engines?: Partial<Record<PhaseNumber, PhaseEngine>>
  provision?: Partial<Omit<ProvisionDeps, 'store' | 'terraformRoot' | 'token' | 'onTeardown'>>
  sshTimings?: TransportOptions['timings']
}

/** The environment both front ends read: SHIPGATE_KNOWN_HOSTS, SHIPGATE_DIGITALOCEAN_API, SHIPGATE_TERRAFORM. */
export function configFromEnv(env: NodeJS.ProcessEnv): Pick<ServiceConfig, 'knownHostsFiles'> & Partial<Pick<ServiceConfig, 'digitalOceanApi' | 'terraformBinary'>> {
  const extra = (env.SHIPGATE_KNOWN_HOSTS ?? '').split(':').filter(Boolean)
  return {
    knownHostsFiles: [...defaultKnownHostsFiles(), ...extra],
    ...(env.SHIPGATE_DIGITALOCEAN_API ? { digitalOceanApi: env.SHIPGATE_DIGITALOCEAN_API } : {}),
    ...(env.SHIPGATE_TERRAFORM ? { terraformBinary: env.SHIPGATE_TERRAFORM } : {}),
  }
}

export interface Services {
  readonly config: ServiceConfig
  readonly logger: Logger
  readonly store: Store
  readonly history: HistoryService
  readonly reports: ReportService
  readonly exports: ExportService
  readonly imports: ImportService
  readonly campaigns: CampaignService
  readonly runs: RunService
  readonly provisioning: ProvisionLifecycle
  readonly reconcile: Reconciler
  readonly transportOptions: TransportOptions
  /** Judges again the runs an older evaluator judged (the rules changed); returns how many. */
  rejudge(): number
  close(): void
}

export function createServices(config: ServiceConfig): Services {
  const logger = config.logger ?? silentLogger
  const store = Store.open(config.dbPath, {
    ...(config.nativeBinding ? { nativeBinding: config.nativeBinding } : {}),
    onMigrate: (version, name) => logger.info('history database migrated', { version, name }),
  })
  const token = () => {
    const t = config.digitalOceanToken()
    if (t) registerSecret(t)
    return t
  }
  const provisionDeps: ProvisionDeps = {
    ...config.provision,
    store,
    terraformRoot: join(dirname(config.dbPath), 'terraform'),
    token,
    ...(config.terraformBinary ? { terraform: config.terraformBinary } : {}),
    ...(config.digitalOceanApi ? { apiUrl: config.digitalOceanApi } : {}),
    onTeardown: (runId) => judgeStored(store, runId),
  }
  const provisioning = new ProvisionLifecycle(provisionDeps)
  const reconcile = new Reconciler(provisionDeps, provisioning)
  const transportOptions: TransportOptions = {
    knownHosts: store.knownHosts,
    knownHostsFiles: config.knownHostsFiles,
    ...(config.approveHostKey ? { approveHostKey: config.approveHostKey } : {}),
    ...(config.askPassphrase ? { askPassphrase: config.askPassphrase } : {}),
    ...(config.sshTimings ? { timings: config.sshTimings } : {}),
  }
  const history = new HistoryService(store)
  const reports = new ReportService(store, history)
  return {
    config,
    logger,
    store,
    history,
    reports,
    exports: new ExportService(store, history, reports, config.appVersion, ...(config.printPdf ? [config.printPdf] : [])),
    imports: new ImportService(store),
    campaigns: new CampaignService(store),
    runs: new RunService(store, transportOptions, config.engines ?? DEFAULT_ENGINES, { lifecycle: provisioning, reconcile }),
    provisioning,
    reconcile,
    transportOptions,
    rejudge() {
      const changed = rejudgeStale(store)
      for (const c of changed) logger.info('run judged again by a new evaluator', { run: c.runId, before: c.before ? `${c.before.verdict} (${c.before.evaluatorVersion})` : 'a malformed stored evaluation', after: `${c.after.verdict} (${c.after.evaluatorVersion})` })
      return changed.length
    },
    close: () => store.close(),
  }
}
