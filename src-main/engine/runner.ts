// The campaign runner: one RunExecution per run, with one method per stage — prepare (the run's row
// and log), provision (hosts on demand), connect (transports, bootstrap, the hosts' folders and
// ai-memory config), preflight, phases, teardown (the journal's undos, the cloud hosts), evaluate.
// Every artifact is stored the moment it exists and the run is judged again after each phase, so a
// crash leaves an `interrupted` run with all evidence so far. Cancel stops remote work and tears
// down what the run started.
import { hostname } from 'node:os'
import { type Campaign, effectiveThresholds, gateInput } from '@shared/campaign'
import { HOST_ROLES, type HostRole, type PhaseNumber, type RunEvaluation, type RunState } from '@shared/domain'
import type { ProgressEvent, ProgressListener } from '@shared/progress'
import { AppError, errorMessage } from '../lib/errors'
import { isSecretName, redact, redactDeep, registerSecret } from '../lib/redact'
import { judgeStored } from '../judge/judge'
import { evaluateRun } from '../verdict/evaluate'
import { bootstrapHosts } from '../provision/bootstrap'
import { ProvisionFailedError, type ProvisionLifecycle, type ProvisionedRun, type TeardownOutcome } from '../provision/lifecycle'
import type { ProvisionIo } from '../provision/types'
import type { Store } from '../store/store'
import { q } from '../transport/quote'
import type { Transport } from '../transport/types'
import { AccountedTransport, TimeAccounting } from './accounting'
import { CancelledError, type HostHandle, PhaseContext } from './context'
import type { Journal } from './journal'
import { runPreflight } from './preflight'

export type PhaseEngine = (ctx: PhaseContext) => Promise<void>

export interface TransportSet {
  get(role: HostRole): Transport
  dispose(): Promise<void>
}

export interface TransportExtras {
  /** Addresses whose first host key is accepted and pinned (hosts this run just created). */
  trustOnFirstUse?: Set<string>
  log?: (line: string) => void
}

export interface RunnerDeps {
  store: Store
  transports: (campaign: Campaign, extras?: TransportExtras) => TransportSet | Promise<TransportSet>
  provisioning?: ProvisionLifecycle
  journal: Journal
  engines: Partial<Record<PhaseNumber, PhaseEngine>>
  now?: () => number
}

export interface RunOptions {
  signal?: AbortSignal
  onEvent?: ProgressListener
}

export interface RunOutcome {
  runId: string
  state: RunState
  evaluation: RunEvaluation
  wallMs: number
  /** Wall time not spent in remote commands or in waits the protocol requires. */
  overheadMs: number
}

const LOG_FLUSH_MS = 250

/** Progress text can carry secrets (a token echoed by a tool): mask them before anyone sees it. */
function scrub(e: ProgressEvent): ProgressEvent {
  switch (e.type) {
    case 'log':
      return { ...e, line: redact(e.line) }
    case 'step':
    case 'setup':
    case 'teardown':
      return e.detail ? { ...e, detail: redact(e.detail) } : e
    default:
      return e
  }
}

/** The ai-memory config a run writes on each host (`ai_memory.config: shipgate`): the pinned tier, and the API key if any. */
export function aiMemoryConfigToml(campaign: Campaign): string {
  const a = campaign.ai_memory
  const str = (s: string) => JSON.stringify(s)
  return [`# written by Shipgate Lab for this run: nothing is read from the host's own config`, `tier = ${str(a.tier)}`, ...(a.api_key ? [`api_key = ${str(a.api_key)}`] : []), ''].join('\n')
}

export class CampaignRunner {
  private readonly now: () => number

  constructor(private readonly deps: RunnerDeps) {
    this.now = deps.now ?? Date.now
  }

  /** The next run id of a campaign: `<name>-r<N>`. */
  nextRunId(campaign: string): string {
    const max = this.deps.store.runs.idsOfCampaign(campaign).reduce((m, id) => Math.max(m, Number(/-r(\d+)$/.exec(id)?.[1] ?? 0)), 0)
    return `${campaign}-r${max + 1}`
  }

  run(campaign: Campaign, options: RunOptions = {}): Promise<RunOutcome> {
    return new RunExecution(this.deps, this.now, campaign, options, (name) => this.nextRunId(name)).execute()
  }
}

class RunExecution {
  private readonly controller = new AbortController()
  private readonly accounting = new TimeAccounting()
  private readonly wallStart = performance.now()
  private readonly started: number
  private runId = ''
  private pendingLog: Parameters<Store['logs']['append']>[1] = []
  private flusher: NodeJS.Timeout | null = null
  private active: Campaign
  private transports: TransportSet | null = null
  private provisioned: ProvisionedRun | null = null
  private cloud: TeardownOutcome | null = null
  private state: RunState = 'completed'
  private stopReason: string | null = null
  private unfinished: { phase: PhaseNumber; startedAt: number } | null = null
  private hosts: Record<HostRole, HostHandle> | null = null
  /** Phases the preflight stopped: they are not run, and the evaluation says why. */
  private blocked = new Set<PhaseNumber>()

  constructor(
    private readonly deps: RunnerDeps,
    private readonly now: () => number,
    private readonly campaign: Campaign,
    private readonly options: RunOptions,
    private readonly nextRunId: (campaign: string) => string,
  ) {
    this.active = campaign
    this.started = now()
    if (options.signal?.aborted) this.controller.abort()
    options.signal?.addEventListener('abort', () => this.controller.abort(), { once: true })
  }

  private get signal(): AbortSignal {
    return this.controller.signal
  }

  async execute(): Promise<RunOutcome> {
    this.prepare()
    try {
      await this.provision()
      await this.connect()
      await this.preflight()
      await this.phases()
    } catch (err) {
      if (err instanceof ProvisionFailedError) this.cloud = err.teardown
      if (err instanceof CancelledError || this.signal.aborted) this.state = 'cancelled'
      else this.log(`run stopped: ${errorMessage(err)}`)
    } finally {
      await this.teardown()
    }
    return this.finish()
  }

  // ---- stages ------------------------------------------------------------------------------

  /** The run's row (before anything else, so a crash from here on leaves an interrupted run) and its log. */
  private prepare(): void {
    const { store } = this.deps
    // The campaign's secrets are masked from here on: in the stored campaign, the log and errors.
    const a = this.campaign.ai_memory
    if (a.api_key) registerSecret(a.api_key)
    for (const [name, value] of Object.entries(a.env)) if (isSecretName(name)) registerSecret(value)
    this.runId = store.transaction(() => {
      const id = this.nextRunId(this.campaign.name)
      store.runs.insert({
        id,
        campaign: this.campaign.name,
        source: 'launched',
        state: 'running',
        evaluation: evaluateRun({ artifacts: [], ...gateInput(this.campaign), facts: { state: 'running' } }).evaluation,
        // Kept to judge the run again and to recover it later; secrets masked.
        params: { campaign: redactDeep(this.campaign) },
        aiMemoryRef: this.campaign.ai_memory.ref ?? null,
        aiMemoryVersion: null,
        aiMemoryCommit: this.campaign.ai_memory.commit ?? null,
        startedAt: this.started,
        completedAt: null,
        durationMs: null,
        contentSha256: null,
        ownerPid: process.pid,
        ownerHost: hostname(),
        createdAt: this.started,
      })
      return id
    })
    this.flusher = setInterval(() => this.flush(), LOG_FLUSH_MS)
    const phases = [...new Set(this.campaign.phases)].sort() as PhaseNumber[]
    const boundMin = effectiveThresholds(this.campaign).p4BoundMin
    this.emit({ type: 'run-started', runId: this.runId, campaign: this.campaign.name, phases, hosts: this.runHosts(this.campaign), provisioner: this.campaign.provisioner.kind, boundMin, at: this.now() })
  }

  /** Creates the hosts of a campaign whose provisioner is not `static`. */
  private async provision(): Promise<void> {
    if (this.campaign.provisioner.kind === 'static') return
    if (!this.deps.provisioning) throw new AppError('PROVISION', `this runner cannot provision ${this.campaign.provisioner.kind} hosts`)
    this.provisioned = await this.deps.provisioning.up(this.campaign, this.runId, {
      ...this.setupIo(true),
      abort: (reason) => {
        this.stopReason = reason
        this.deps.store.runs.update(this.runId, { stopReason: reason })
        this.log(reason)
        this.controller.abort()
      },
      cost: (usd, hourlyUsd) => this.emit({ type: 'cost', runId: this.runId, usd, hourlyUsd, final: false, at: this.now() }),
    })
    this.active = this.provisioned.campaign
    // Kept so a crash's recovery reaches the hosts this run created.
    this.deps.store.runs.updateParams(this.runId, { campaign: redactDeep(this.active) })
    this.emit({ type: 'hosts', runId: this.runId, hosts: this.runHosts(this.active), at: this.now() })
  }

  /** Transports, host handles, bootstrap, and each host's folders and ai-memory config. */
  private async connect(): Promise<void> {
    this.throwIfCancelled()
    const active = this.active
    this.transports = await this.deps.transports(active, { ...(this.provisioned ? { trustOnFirstUse: this.provisioned.trustOnFirstUse } : {}), log: (l) => this.log(l) })
    const set = this.transports
    this.hosts = Object.fromEntries(
      HOST_ROLES.map((role) => {
        const config = active.hosts[role]
        const root = config.workdir.replace(/\/+$/, '')
        const handle: HostHandle = {
          role,
          name: config.name ?? role,
          transport: new AccountedTransport(set.get(role), this.accounting),
          config,
          peerAddress: config.private_address ?? config.address,
          workdir: `${root}/${this.runId}`,
          aiMemoryHome: `${root}/ai-memory-home`,
          warm: false,
        }
        return [role, handle]
      }),
    ) as Record<HostRole, HostHandle>
    if (this.provisioned?.bootstrap) {
      await bootstrapHosts(active, this.hosts, { step: (name, host, work) => this.setupStep(name, host, work), log: (line, host) => this.log(line, host), signal: this.signal })
    }
    this.throwIfCancelled()
    await this.prepareHosts(this.context(this.firstPhase()))
  }

  /** Creates the run's folder on every host, writes the run's ai-memory config, and pre-warms when asked. */
  private async prepareHosts(ctx: PhaseContext): Promise<void> {
    const a = this.active.ai_memory
    await ctx.step('prepare hosts', undefined, () =>
      Promise.all(
        HOST_ROLES.map(async (role) => {
          const h = ctx.hosts[role]
          const r = await ctx.run(h, `mkdir -p ${q(h.workdir)} && chmod 700 ${q(h.workdir)}`, { timeoutMs: 60_000 })
          if (r.exitCode !== 0) throw new Error(`cannot create ${h.workdir} on ${h.name}: ${r.stderr.trim()}`)
          if (a.config === 'shipgate') {
            await ctx.run(h, `mkdir -p ${q(`${h.aiMemoryHome}/.config/ai-memory`)} && chmod 700 ${q(h.aiMemoryHome)}`, { timeoutMs: 60_000, quiet: true })
            await h.transport.upload(Buffer.from(aiMemoryConfigToml(this.active)), `${h.aiMemoryHome}/.config/ai-memory/config.toml`, 0o600)
          }
          // The key goes to curl through a mode-600 file, never on a command line.
          if (a.api_key) await h.transport.upload(Buffer.from(`X-API-Key: ${a.api_key}\n`), `${h.workdir}/.api-key-header`, 0o600)
        }),
      ),
    )
    if (a.prewarm) {
      await ctx.step('pre-warm ai-memory', undefined, () =>
        Promise.all(
          HOST_ROLES.map(async (role) => {
            const h = ctx.hosts[role]
            // A recall with the pinned tier loads (and on first use downloads) its model.
            const r = await ctx.run(h, ctx.aim(h, ['--db', `${h.workdir}/prewarm.db`, 'recall', 'shipgate pre-warm', '--limit', 1, '--json']), { timeoutMs: a.cold_start_deadline_s * 1000 })
            if (r.exitCode !== 0) throw new Error(`pre-warm on ${h.name} failed: ${r.stderr.trim().split('\n').pop() ?? `exit ${r.exitCode}`}`)
            h.warm = true
          }),
        ),
      )
    }
  }

  /** Host preflight: problems are kept as `preflight.json` and stop only the phases they concern. */
  private async preflight(): Promise<void> {
    const ctx = this.context(this.firstPhase())
    const report = await ctx.step('preflight', undefined, () => runPreflight(ctx))
    ctx.artifact('preflight.json', report)
    const version = Object.values(report.versions)[0] ?? null
    this.deps.store.runs.update(this.runId, { aiMemoryVersion: version })
    for (const p of report.problems) {
      this.log(`preflight: ${p.message} — fix: ${p.fix}`)
      for (const phase of p.phases) this.blocked.add(phase)
    }
  }

  private async phases(): Promise<void> {
    const { store } = this.deps
    for (const phase of [...new Set(this.active.phases)].sort() as PhaseNumber[]) {
      this.throwIfCancelled()
      if (this.blocked.has(phase)) {
        this.log(`phase ${phase} does not run: the preflight found a problem (see preflight.json)`)
        continue
      }
      const engine = this.deps.engines[phase]
      const phaseStart = this.now()
      store.timings.started(this.runId, phase, phaseStart)
      this.emit({ type: 'phase-started', runId: this.runId, phase, at: phaseStart })
      this.unfinished = { phase, startedAt: phaseStart }
      const ctx = this.context(phase)
      if (!engine) ctx.log(`phase ${phase} has no engine in this build; it is recorded as not run`)
      else {
        try {
          await engine(ctx)
        } catch (err) {
          if (err instanceof CancelledError) throw err
          // The engine's own artifact records what it saw; this keeps an unexpected failure visible.
          ctx.log(`phase ${phase} stopped: ${errorMessage(err)}`)
        }
      }
      const finished = this.now()
      this.unfinished = null
      store.timings.finished(this.runId, phase, finished)
      this.flush()
      const evaluation = judgeStored(store, this.runId)
      const result = evaluation.phases.find((p) => p.phase === phase)
      if (result) {
        for (const check of result.checks) this.emit({ type: 'check', runId: this.runId, phase, check, at: finished })
        this.emit({ type: 'phase-finished', runId: this.runId, phase, status: result.status, summary: result.summary, durationMs: finished - phaseStart, at: finished })
        if (!this.active.continue_on_failure && result.status !== 'pass') {
          ctx.log(`phase ${phase} is ${result.status}; the campaign stops here (continue_on_failure: false)`)
          break
        }
      }
    }
  }

  /** Undo what the run left behind (faults still applied, servers), then destroy and prove the cloud hosts gone. */
  private async teardown(): Promise<void> {
    if (this.transports) {
      const set = this.transports
      await this.deps.journal.undoPending(this.runId, (role) => set.get(role), (action, ok, detail) => this.emit({ type: 'teardown', runId: this.runId, action, ok, ...(detail ? { detail } : {}), at: this.now() }))
      await set.dispose().catch((err: unknown) => this.log(`closing the connections failed: ${errorMessage(err)}`))
    }
    if (this.provisioned) this.cloud = await this.provisioned.down(this.setupIo(false))
    if (this.cloud) {
      this.emit({ type: 'teardown', runId: this.runId, action: `destroy ${this.campaign.provisioner.kind} hosts`, ok: this.cloud.verified, detail: this.cloud.message, at: this.now() })
      this.emit({ type: 'cost', runId: this.runId, usd: this.cloud.costUsd, hourlyUsd: this.cloud.hourlyUsd, final: true, at: this.now() })
      this.deps.provisioning?.recordCost(this.runId, this.cloud)
    }
  }

  /** The final judgement, from the evidence and the facts of the run (its state, journal, teardown). */
  private finish(): RunOutcome {
    const { store } = this.deps
    if (this.flusher) clearInterval(this.flusher)
    this.flush()
    const completedAt = this.now()
    if (this.unfinished) store.timings.finished(this.runId, this.unfinished.phase, completedAt)
    store.runs.update(this.runId, { state: this.state, completedAt, durationMs: completedAt - this.started, ownerPid: null, ...(this.stopReason ? { stopReason: this.stopReason } : {}) })
    const evaluation = judgeStored(store, this.runId)
    if (this.unfinished) {
      // A cancel or crash in the middle of a phase: it ends with what its evidence shows.
      const { phase, startedAt } = this.unfinished
      const result = evaluation.phases.find((p) => p.phase === phase)
      if (result) this.emit({ type: 'phase-finished', runId: this.runId, phase, status: result.status, summary: result.summary, durationMs: completedAt - startedAt, at: completedAt })
    }
    const wallMs = performance.now() - this.wallStart
    const overheadMs = Math.max(0, wallMs - this.accounting.busyMs())
    this.emit({ type: 'run-finished', runId: this.runId, state: this.state, verdict: evaluation.verdict, reason: evaluation.reason, durationMs: completedAt - this.started, at: completedAt })
    return { runId: this.runId, state: this.state, evaluation, wallMs, overheadMs }
  }

  // ---- helpers -----------------------------------------------------------------------------

  private firstPhase(): PhaseNumber {
    return ([...this.active.phases].sort()[0] ?? 1) as PhaseNumber
  }

  private context(phase: PhaseNumber): PhaseContext {
    if (!this.hosts) throw new AppError('INTERNAL', 'the hosts are not connected yet')
    return new PhaseContext({
      runId: this.runId,
      phase,
      campaign: this.active,
      hosts: this.hosts,
      signal: this.signal,
      emit: (e) => this.emit(e),
      accounting: this.accounting,
      now: this.now,
      putArtifact: (name, bytes) => this.deps.store.artifacts.put(this.runId, name, bytes, this.now()),
      journal: this.deps.journal,
    })
  }

  private throwIfCancelled(): void {
    if (this.signal.aborted) throw new CancelledError()
  }

  private runHosts(c: Campaign) {
    return HOST_ROLES.map((r) => ({ role: r, name: c.hosts[r].name ?? r, address: c.hosts[r].address }))
  }

  /** Logs go to the listener at once and to the store in batches. */
  private emit(raw: ProgressEvent): void {
    const e = scrub(raw)
    if (e.type === 'log') this.pendingLog.push({ at: e.at, phase: e.phase ?? null, host: e.host ?? null, stream: e.stream, line: e.line })
    try {
      this.options.onEvent?.(e)
    } catch {
      /* a listener's failure must not stop the run */
    }
  }

  private flush(): void {
    if (this.pendingLog.length === 0) return
    const batch = this.pendingLog
    this.pendingLog = []
    this.deps.store.logs.append(this.runId, batch)
  }

  private log(line: string, host?: string): void {
    this.emit({ type: 'log', runId: this.runId, ...(host ? { host } : {}), stream: 'info', line, at: this.now() })
  }

  private async setupStep<T>(step: string, host: string | undefined, work: () => Promise<T>): Promise<T> {
    const base = { type: 'setup' as const, runId: this.runId, ...(host ? { host } : {}), step }
    this.emit({ ...base, status: 'started', at: this.now() })
    try {
      const value = await work()
      this.emit({ ...base, status: 'done', at: this.now() })
      return value
    } catch (err) {
      this.emit({ ...base, status: 'failed', detail: errorMessage(err), at: this.now() })
      throw err
    }
  }

  private setupIo(withSignal: boolean): ProvisionIo {
    return { log: (l) => this.log(l, 'provisioner'), step: (name, work) => this.setupStep(name, 'provisioner', work), ...(withSignal ? { signal: this.signal } : {}) }
  }
}
