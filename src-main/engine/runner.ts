// The campaign runner: runs the enabled phases in order on the campaign's hosts, streams typed
// progress, stores every artifact the moment it exists and re-judges the run after each phase, so a
// crash leaves an `interrupted` run with all evidence so far. Cancel stops remote work and tears
// down what the run started.
import { hostname } from 'node:os'
import type { Campaign } from '@shared/campaign'
import { HOST_ROLES, type HostRole, type PhaseNumber, type RunEvaluation, type RunState } from '@shared/domain'
import type { ProgressEvent, ProgressListener } from '@shared/progress'
import { AppError, errorMessage } from '../lib/errors'
import { redact, redactDeep } from '../lib/redact'
import { bootstrapHosts } from '../provision/bootstrap'
import type { ProvisionIo } from '../provision/types'
import { ProvisionFailedError, type ProvisionRunIo, type ProvisionedRun, type TeardownOutcome } from '../services/provisions'
import type { Store } from '../store/store'
import { q } from '../transport/quote'
import type { Transport } from '../transport/types'
import { evaluateRun } from '../verdict/evaluate'
import { AccountedTransport, TimeAccounting } from './accounting'
import { CancelledError, type HostHandle, PhaseContext } from './context'
import { gateInput } from './phases/params'
import type { Journal } from './journal'

export type PhaseEngine = (ctx: PhaseContext) => Promise<void>

export interface TransportSet {
  get(role: HostRole): Transport
  dispose(): Promise<void>
}

/** Creates the hosts of a campaign whose provisioner is not `static` (see services/provisions). */
export interface HostProvisioning {
  up(campaign: Campaign, runId: string, io: ProvisionRunIo): Promise<ProvisionedRun>
  recordOnRun(runId: string, outcome: TeardownOutcome): void
}

export interface TransportExtras {
  /** Addresses whose first host key is accepted and pinned (hosts this run just created). */
  trustOnFirstUse?: Set<string>
  log?: (line: string) => void
}

export interface RunnerDeps {
  store: Store
  transports: (campaign: Campaign, extras?: TransportExtras) => TransportSet | Promise<TransportSet>
  provisioning?: HostProvisioning
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

export class CampaignRunner {
  private readonly engines: Partial<Record<PhaseNumber, PhaseEngine>>
  private readonly now: () => number

  constructor(private readonly deps: RunnerDeps) {
    this.engines = deps.engines
    this.now = deps.now ?? Date.now
  }

  /** The next run id of a campaign: `<name>-r<N>`. */
  nextRunId(campaign: string): string {
    const ids = this.deps.store.db.prepare('SELECT id FROM runs WHERE campaign = ?').pluck().all(campaign) as string[]
    const max = ids.reduce((m, id) => Math.max(m, Number(/-r(\d+)$/.exec(id)?.[1] ?? 0)), 0)
    return `${campaign}-r${max + 1}`
  }

  async run(campaign: Campaign, options: RunOptions = {}): Promise<RunOutcome> {
    const { store } = this.deps
    // The run's own signal: the caller's cancel, or the dead-man deadline of its provisioned hosts.
    const controller = new AbortController()
    const stopReason: { text: string | null } = { text: null }
    if (options.signal?.aborted) controller.abort()
    options.signal?.addEventListener('abort', () => controller.abort(), { once: true })
    const signal = controller.signal
    const started = this.now()
    const wallStart = performance.now()
    const accounting = new TimeAccounting()
    const runId = store.transaction(() => {
      const id = this.nextRunId(campaign.name)
      store.runs.insert({
        id,
        campaign: campaign.name,
        source: 'launched',
        state: 'running',
        evaluation: evaluateRun({ artifacts: [], ...gateInput(campaign) }).evaluation,
        // Kept to re-judge and to recover the run later; URL passwords masked.
        params: { campaign: redactDeep(campaign) },
        aiMemoryRef: campaign.ai_memory.ref ?? null,
        aiMemoryVersion: null,
        aiMemoryCommit: campaign.ai_memory.commit ?? null,
        startedAt: started,
        completedAt: null,
        durationMs: null,
        contentSha256: null,
        ownerPid: process.pid,
        ownerHost: hostname(),
        createdAt: started,
      })
      return id
    })

    // Logs go to the listener at once and to the store in batches.
    let pending: Parameters<Store['logs']['append']>[1] = []
    const flush = () => {
      if (pending.length === 0) return
      const batch = pending
      pending = []
      store.logs.append(runId, batch)
    }
    const flusher = setInterval(flush, LOG_FLUSH_MS)
    const emit = (raw: ProgressEvent) => {
      const e = scrub(raw)
      if (e.type === 'log') pending.push({ at: e.at, phase: e.phase ?? null, host: e.host ?? null, stream: e.stream, line: e.line })
      try {
        options.onEvent?.(e)
      } catch {
        /* a listener's failure must not stop the run */
      }
    }

    let transports: TransportSet | null = null
    let provisioned: ProvisionedRun | null = null
    let cloud: TeardownOutcome | null = null
    let state: RunState = 'completed'
    let unfinished: { phase: PhaseNumber; startedAt: number } | null = null
    const phases = [...new Set(campaign.phases)].sort() as PhaseNumber[]
    const runHosts = (c: Campaign) => HOST_ROLES.map((r) => ({ role: r, name: c.hosts[r].name ?? r, address: c.hosts[r].address }))
    emit({ type: 'run-started', runId, campaign: campaign.name, phases, hosts: runHosts(campaign), provisioner: campaign.provisioner.kind, at: this.now() })
    const setupLog = (line: string, host?: string) => emit({ type: 'log', runId, ...(host ? { host } : {}), stream: 'info', line, at: this.now() })
    const setupStep = async <T>(step: string, host: string | undefined, work: () => Promise<T>): Promise<T> => {
      emit({ type: 'setup', runId, ...(host ? { host } : {}), step, status: 'started', at: this.now() })
      try {
        const value = await work()
        emit({ type: 'setup', runId, ...(host ? { host } : {}), step, status: 'done', at: this.now() })
        return value
      } catch (err) {
        emit({ type: 'setup', runId, ...(host ? { host } : {}), step, status: 'failed', detail: errorMessage(err), at: this.now() })
        throw err
      }
    }
    const setupIo = (withSignal: boolean): ProvisionIo => ({ log: (l) => setupLog(l, 'provisioner'), step: (name, work) => setupStep(name, 'provisioner', work), ...(withSignal ? { signal } : {}) })
    let active = campaign
    try {
      if (campaign.provisioner.kind !== 'static') {
        if (!this.deps.provisioning) throw new AppError('PROVISION', `this runner cannot provision ${campaign.provisioner.kind} hosts`)
        provisioned = await this.deps.provisioning.up(campaign, runId, {
          ...setupIo(true),
          abort: (reason) => {
            stopReason.text = reason
            setupLog(reason)
            controller.abort()
          },
          cost: (usd, hourlyUsd) => emit({ type: 'cost', runId, usd, hourlyUsd, final: false, at: this.now() }),
        })
        active = provisioned.campaign
        // Kept so a crash's recovery reaches the hosts this run created.
        store.runs.updateParams(runId, { campaign: redactDeep(active) })
        emit({ type: 'hosts', runId, hosts: runHosts(active), at: this.now() })
      }
      if (signal.aborted) throw new CancelledError()
      transports = await this.deps.transports(active, { ...(provisioned ? { trustOnFirstUse: provisioned.trustOnFirstUse } : {}), log: (l) => setupLog(l) })
      const set = transports
      const hosts = Object.fromEntries(
        HOST_ROLES.map((role) => {
          const config = active.hosts[role]
          const handle: HostHandle = {
            role,
            name: config.name ?? role,
            transport: new AccountedTransport(set.get(role), accounting),
            config,
            peerAddress: config.private_address ?? config.address,
            workdir: `${config.workdir.replace(/\/+$/, '')}/${runId}`,
          }
          return [role, handle]
        }),
      ) as Record<HostRole, HostHandle>
      if (provisioned?.bootstrap) {
        await bootstrapHosts(active, hosts, { step: (name, host, work) => setupStep(name, host, work), log: (line, host) => setupLog(line, host), signal })
      }
      if (signal.aborted) throw new CancelledError()

      const base = (phase: PhaseNumber) =>
        new PhaseContext({
          runId,
          phase,
          campaign: active,
          hosts,
          signal,
          emit,
          accounting,
          now: this.now,
          putArtifact: (name, bytes) => store.artifacts.put(runId, name, bytes, this.now()),
          registerProcess: (host, pid, label) => this.deps.journal.recordProcess(runId, host.role, pid, label),
          journal: this.deps.journal,
        })

      await this.prepareHosts(base(phases[0] ?? 1), runId)
      for (const phase of phases) {
        if (signal.aborted) throw new CancelledError()
        const engine = this.engines[phase]
        const phaseStart = this.now()
        store.db.prepare('INSERT OR REPLACE INTO phase_timings (run_id, phase, started_at, finished_at) VALUES (?, ?, ?, NULL)').run(runId, phase, phaseStart)
        emit({ type: 'phase-started', runId, phase, at: phaseStart })
        unfinished = { phase, startedAt: phaseStart }
        const ctx = base(phase)
        if (!engine) {
          ctx.log(`phase ${phase} has no engine in this build; it is recorded as not run`)
        } else {
          try {
            await engine(ctx)
          } catch (err) {
            if (err instanceof CancelledError) throw err
            // The engine's own artifact records what it saw; this keeps an unexpected failure visible.
            ctx.log(`phase ${phase} stopped: ${errorMessage(err)}`)
          }
        }
        const finished = this.now()
        unfinished = null
        store.db.prepare('UPDATE phase_timings SET finished_at = ? WHERE run_id = ? AND phase = ?').run(finished, runId, phase)
        flush()
        const evaluation = this.evaluate(runId, campaign)
        const result = evaluation.phases.find((p) => p.phase === phase)
        if (result) {
          for (const check of result.checks) emit({ type: 'check', runId, phase, check, at: finished })
          emit({ type: 'phase-finished', runId, phase, status: result.status, summary: result.summary, durationMs: finished - phaseStart, at: finished })
          if (!campaign.continue_on_failure && result.status !== 'pass') {
            ctx.log(`phase ${phase} is ${result.status}; the campaign stops here (continue_on_failure: false)`)
            break
          }
        }
      }
    } catch (err) {
      if (err instanceof ProvisionFailedError) cloud = err.teardown
      if (err instanceof CancelledError || signal.aborted) state = 'cancelled'
      else {
        state = 'completed'
        emit({ type: 'log', runId, stream: 'info', line: `run stopped: ${errorMessage(err)}`, at: this.now() })
      }
    } finally {
      // Undo what the run left behind (servers it started, faults still applied), then record it.
      if (transports) {
        const set = transports
        await this.deps.journal.undoPending(runId, (role) => set.get(role), (action, ok, detail) => emit({ type: 'teardown', runId, action, ok, ...(detail ? { detail } : {}), at: this.now() }))
        await set.dispose().catch(() => undefined)
      }
    }
    // Destroy the hosts this run created, then prove it by listing what is left.
    if (provisioned) cloud = await provisioned.down(setupIo(false))
    if (cloud) {
      emit({ type: 'teardown', runId, action: `destroy ${campaign.provisioner.kind} hosts`, ok: cloud.verified, detail: cloud.message, at: this.now() })
      emit({ type: 'cost', runId, usd: cloud.costUsd, hourlyUsd: cloud.hourlyUsd, final: true, at: this.now() })
    }
    clearInterval(flusher)
    flush()
    let evaluation = this.evaluate(runId, active, state)
    if (stopReason.text) {
      evaluation.warnings.push({ code: 'interrupted', message: stopReason.text })
      store.runs.updateEvaluation(runId, evaluation)
    }
    if (cloud && this.deps.provisioning) {
      // The cost and, when the teardown is not proven, a warning that says what may still bill.
      this.deps.provisioning.recordOnRun(runId, cloud)
      evaluation = store.runs.get(runId)?.evaluation ?? evaluation
    }
    const completedAt = this.now()
    if (unfinished) {
      // A cancel or crash in the middle of a phase: it ends with what its evidence shows.
      const { phase, startedAt } = unfinished
      const result = evaluation.phases.find((p) => p.phase === phase)
      store.db.prepare('UPDATE phase_timings SET finished_at = ? WHERE run_id = ? AND phase = ?').run(completedAt, runId, phase)
      if (result) emit({ type: 'phase-finished', runId, phase, status: result.status, summary: result.summary, durationMs: completedAt - startedAt, at: completedAt })
    }
    store.runs.update(runId, { state, completedAt, durationMs: completedAt - started, ownerPid: null })
    const wallMs = performance.now() - wallStart
    const overheadMs = Math.max(0, wallMs - accounting.busyMs())
    emit({ type: 'run-finished', runId, state, verdict: evaluation.verdict, reason: evaluation.reason, durationMs: completedAt - started, at: completedAt })
    return { runId, state, evaluation, wallMs, overheadMs }
  }

  /** Creates the run's folder on every host and records the ai-memory version. */
  private async prepareHosts(ctx: PhaseContext, runId: string): Promise<void> {
    await ctx.step('prepare hosts', undefined, () =>
      Promise.all(
        HOST_ROLES.map(async (role) => {
          const h = ctx.hosts[role]
          const r = await ctx.run(h, `mkdir -p ${q(h.workdir)}`, { timeoutMs: 60_000 })
          if (r.exitCode !== 0) throw new Error(`cannot create ${h.workdir} on ${h.name}: ${r.stderr.trim()}`)
        }),
      ),
    )
    const v = await ctx.run(ctx.hosts['node-a'], `${q(ctx.campaign.ai_memory.binary)} --version`, { timeoutMs: 60_000 })
    const version = v.exitCode === 0 ? v.stdout.trim().split('\n')[0] ?? null : null
    this.deps.store.runs.update(runId, { aiMemoryVersion: version })
  }

  evaluate(runId: string, campaign: Campaign, state: RunState = 'running'): RunEvaluation {
    const { store } = this.deps
    const { evaluation } = evaluateRun({ artifacts: store.artifacts.all(runId), ...gateInput(campaign) })
    if (state === 'cancelled') evaluation.warnings.push({ code: 'interrupted', message: 'the run was cancelled; phases after the cancel did not run' })
    store.runs.updateEvaluation(runId, evaluation)
    return evaluation
  }
}
