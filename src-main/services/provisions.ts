// Hosts on demand for a run: provision before the phases, tear down after them (or on cancel, on
// a crash's recovery, at the dead-man deadline), prove the teardown by listing what is left, and
// meter the cost. Reconcile finds what belongs to no running campaign, in both provisioners.
import { existsSync, readdirSync, statSync } from 'node:fs'
import { join } from 'node:path'
import type { Campaign } from '@shared/campaign'
import { HOST_ROLES, type HostRole } from '@shared/domain'
import type { CostSummary, LeftoverCampaign } from '@shared/views'
import { AppError, errorMessage } from '../lib/errors'
import { registerSecret } from '../lib/redact'
import { DigitalOceanApi } from '../provision/digitalocean-api'
import { DigitalOceanProvisioner, campaignOf, deadlineOf, destroyDoCampaign, listShipgateResources, type DigitalOceanDeps } from '../provision/digitalocean'
import { TerraformProvisioner } from '../provision/terraform'
import { type CloudResource, type HostKey, type ProvisionIo, type Provisioner, campaignTag } from '../provision/types'
import type { ProvisionRecord } from '../store/provision-repo'
import type { Store } from '../store/store'
import { processAlive } from './process'

export interface ProvisionDeps {
  store: Store
  /** `<data folder>/terraform`: the kept Terraform states, one folder per campaign run. */
  terraformRoot: string
  /** The DigitalOcean API token (keychain in the app, DIGITALOCEAN_TOKEN on the command line). */
  token: () => string | null
  terraform?: string
  /** DigitalOcean API base URL when the campaign does not set one (the tests' stand-in). */
  apiUrl?: string
  digitalocean?: Partial<Omit<DigitalOceanDeps, 'api'>>
  now?: () => number
  /** Period of the live cost events. */
  costEveryMs?: number
  /** How long a teardown keeps listing until nothing is left. */
  verifyForMs?: number
  verifyEveryMs?: number
}

/** What the runner needs from provisioning: a step reporter, a log, cancel, and a way to stop the run. */
export interface ProvisionRunIo extends ProvisionIo {
  /** Stops the run (the dead-man deadline). */
  abort: (reason: string) => void
  cost: (usd: number, hourlyUsd: number) => void
}

export interface TeardownOutcome {
  verified: boolean
  remaining: CloudResource[]
  costUsd: number
  hourlyUsd: number
  message: string
}

export interface ProvisionedRun {
  /** The campaign with the created hosts' addresses (and key and user defaults) filled in. */
  campaign: Campaign
  hostKeys: Partial<Record<HostRole, HostKey>>
  /** Addresses whose first host key is accepted (a Terraform module that reports no host keys). */
  trustOnFirstUse: Set<string>
  bootstrap: boolean
  down(io: ProvisionIo): Promise<TeardownOutcome>
}

const HOUR_MS = 3_600_000

/** Provisioning failed; what it had created was destroyed, with this outcome. */
export class ProvisionFailedError extends AppError {
  constructor(
    message: string,
    readonly teardown: TeardownOutcome | null,
    cause: unknown,
  ) {
    super(cause instanceof AppError && cause.code === 'CANCELLED' ? 'CANCELLED' : 'PROVISION', message, { cause })
  }
}

export function costOf(hourlyUsd: number, fromMs: number, toMs: number): number {
  return Math.round(hourlyUsd * (Math.max(0, toMs - fromMs) / HOUR_MS) * 10_000) / 10_000
}

export class ProvisionService {
  private readonly now: () => number

  constructor(private readonly deps: ProvisionDeps) {
    this.now = deps.now ?? Date.now
  }

  private api(apiUrl?: string): DigitalOceanApi {
    const token = this.deps.token()
    if (token) registerSecret(token)
    const baseUrl = apiUrl ?? this.deps.apiUrl
    return new DigitalOceanApi(token ?? '', baseUrl ? { baseUrl } : {})
  }

  private provisioner(campaign: Campaign, tag: string, deadlineAt: number): Provisioner {
    const p = campaign.provisioner
    if (p.kind === 'terraform') {
      const token = this.deps.token()
      if (token) registerSecret(token)
      return new TerraformProvisioner(tag, p, this.deps.terraformRoot, {
        ...(this.deps.terraform ? { terraform: this.deps.terraform } : {}),
        ...(token ? { secretVariables: { do_token: token } } : {}),
      })
    }
    if (p.kind === 'digitalocean') return new DigitalOceanProvisioner(tag, p, campaign, deadlineAt, { ...this.deps.digitalocean, api: this.api(p.api_url) })
    throw new AppError('PROVISION', 'static hosts are not provisioned')
  }

  /** Creates the run's hosts. On failure or cancel, what was created is destroyed before it throws. */
  async up(campaign: Campaign, runId: string, io: ProvisionRunIo): Promise<ProvisionedRun> {
    const p = campaign.provisioner
    if (p.kind === 'static') throw new AppError('PROVISION', 'static hosts are not provisioned')
    const tag = campaignTag(runId)
    const createdAt = this.now()
    const deadlineAt = createdAt + p.dead_man_hours * HOUR_MS
    const provisioner = this.provisioner(campaign, tag, deadlineAt)
    const workDir = p.kind === 'terraform' ? join(this.deps.terraformRoot, tag) : null
    // Recorded before anything exists, so a crash from here on leaves a row that says what to destroy.
    const id = this.deps.store.provisions.insert({ runId, campaignTag: tag, kind: p.kind, workDir, createdAt, deadlineAt, hourlyUsd: p.kind === 'terraform' ? p.hourly_usd : 0 })
    io.log(`provisioning ${p.kind} campaign ${tag}; dead-man deadline ${new Date(deadlineAt).toISOString()} (${p.dead_man_hours} h)`)
    let hourlyUsd = 0
    let meter: NodeJS.Timeout | undefined
    const deadMan = setTimeout(() => io.abort(`the dead-man deadline (${p.dead_man_hours} h) passed: the run stops and its hosts are destroyed`), Math.max(0, deadlineAt - this.now()))
    deadMan.unref()
    const stopTimers = () => {
      clearInterval(meter)
      clearTimeout(deadMan)
    }
    const down = async (downIo: ProvisionIo): Promise<TeardownOutcome> => {
      stopTimers()
      return this.teardown(this.deps.store.provisions.get(id) as ProvisionRecord, provisioner, downIo)
    }
    try {
      const outcome = await provisioner.provision(io)
      hourlyUsd = outcome.hourlyUsd
      this.deps.store.provisions.update(id, { state: 'ready', resources: outcome.resources, hourlyUsd })
      meter = setInterval(() => io.cost(costOf(hourlyUsd, createdAt, this.now()), hourlyUsd), this.deps.costEveryMs ?? 15_000)
      meter.unref()
      io.cost(costOf(hourlyUsd, createdAt, this.now()), hourlyUsd)
      const filled = this.fill(campaign, outcome.hosts)
      const trustOnFirstUse = new Set<string>()
      for (const role of HOST_ROLES) {
        const h = filled.hosts[role]
        const port = h.port ?? 22
        // A new machine on an address seen before (clouds reuse addresses): the old pin is stale.
        this.deps.store.knownHosts.forget(h.address, port)
        const key = outcome.hostKeys[role]
        if (key) this.deps.store.knownHosts.pin({ host: h.address, port, keyType: key.keyType, fingerprint: key.fingerprint, firstSeenAt: this.now() })
        else trustOnFirstUse.add(h.address)
      }
      if (trustOnFirstUse.size > 0) io.log(`the provisioner reported no host keys for ${[...trustOnFirstUse].join(', ')}: their first key is accepted and pinned (map host_key outputs to avoid this)`)
      return { campaign: filled, hostKeys: outcome.hostKeys, trustOnFirstUse, bootstrap: p.bootstrap, down }
    } catch (err) {
      io.log(`provisioning failed: ${errorMessage(err)}; destroying what was created`)
      this.deps.store.provisions.update(id, { state: 'failed', detail: errorMessage(err).slice(0, 2000) })
      const { signal: _cancelled, ...teardownIo } = io
      const outcome = await down(teardownIo).catch(() => null)
      throw new ProvisionFailedError(`provisioning failed: ${errorMessage(err)}`, outcome, err)
    }
  }

  /** The campaign with the provisioned addresses; hosts without a user or key get root and the campaign's key. */
  private fill(campaign: Campaign, hosts: Record<HostRole, { public: string; private: string }>): Campaign {
    const p = campaign.provisioner
    const key = p.kind === 'digitalocean' ? p.ssh_private_key : undefined
    const filled = structuredClone(campaign)
    for (const role of HOST_ROLES) {
      const h = filled.hosts[role]
      h.address = hosts[role].public
      h.private_address = hosts[role].private
      h.user ??= 'root'
      if (key && !h.key) h.key = key
    }
    return filled
  }

  /** Destroys, then lists until nothing is left (or the wait ends): only an empty list is a verified teardown. */
  private async teardown(record: ProvisionRecord, provisioner: Provisioner, io: ProvisionIo): Promise<TeardownOutcome> {
    const { provisions, knownHosts } = this.deps.store
    provisions.update(record.id, { state: 'destroying' })
    let destroyError: string | null = null
    try {
      await provisioner.destroy(io)
    } catch (err) {
      destroyError = errorMessage(err)
      io.log(`destroy reported: ${destroyError}`)
    }
    let remaining: CloudResource[] = []
    let listError: string | null = null
    const until = this.now() + (this.deps.verifyForMs ?? 120_000)
    // Deletion is asynchronous on a cloud: list until nothing is left, or the wait ends.
    await io
      .step('verify teardown', async () => {
        for (;;) {
          try {
            remaining = await provisioner.remaining()
            listError = null
          } catch (err) {
            listError = errorMessage(err)
          }
          if ((remaining.length === 0 && !listError) || this.now() >= until) break
          await new Promise((r) => setTimeout(r, this.deps.verifyEveryMs ?? 5000))
        }
        if (listError) throw new AppError('PROVISION', `listing what is left failed: ${listError}`)
        if (remaining.length > 0) throw new AppError('PROVISION', `${remaining.length} resource(s) still exist`)
      })
      .catch(() => undefined)
    const verified = remaining.length === 0 && listError === null
    const destroyedAt = this.now()
    const costUsd = costOf(record.hourlyUsd, record.createdAt, destroyedAt)
    const message = verified
      ? `teardown verified: nothing tagged campaign-${record.campaignTag} is left`
      : listError
        ? `teardown NOT verified: listing what is left failed (${listError})`
        : `teardown NOT verified: ${remaining.length} resource(s) still exist: ${remaining.map((r) => `${r.kind} ${r.name}`).join(', ')}`
    provisions.update(record.id, {
      state: verified ? 'destroyed' : 'failed',
      destroyedAt,
      teardownVerified: verified,
      resources: remaining,
      detail: [message, destroyError].filter(Boolean).join('; ').slice(0, 2000),
    })
    if (verified) for (const h of this.addressesOf(record)) knownHosts.forget(h, 22)
    return { verified, remaining, costUsd, hourlyUsd: record.hourlyUsd, message }
  }

  private addressesOf(record: ProvisionRecord): string[] {
    const run = record.runId ? this.deps.store.runs.get(record.runId) : null
    const hosts = ((run?.params as { campaign?: Campaign } | undefined)?.campaign?.hosts ?? {}) as Partial<Campaign['hosts']>
    return HOST_ROLES.map((r) => hosts[r]?.address).filter((a): a is string => !!a)
  }

  /** Campaign tags of runs that are running in a live process: never reconciled away. */
  private activeTags(): Set<string> {
    return new Set(
      this.deps.store.runs
        .listRunning()
        .filter((r) => r.ownerPid !== null && processAlive(r.ownerPid))
        .map((r) => campaignTag(r.id)),
    )
  }

  /**
   * Destroys what runs that are no longer running left behind (a crash between apply and destroy),
   * and records the outcome on the run. Called on every start of the app and by `shipgate recover`.
   */
  async recover(io: ProvisionIo & { onOutcome?: (record: ProvisionRecord, outcome: TeardownOutcome) => void }): Promise<TeardownOutcome[]> {
    const active = this.activeTags()
    const outcomes: TeardownOutcome[] = []
    for (const record of this.deps.store.provisions.open()) {
      if (active.has(record.campaignTag)) continue
      let provisioner: Provisioner | null
      try {
        provisioner = this.forRecord(record)
      } catch (err) {
        io.log(`cannot recover ${record.kind} campaign ${record.campaignTag}: ${errorMessage(err)}`)
        continue
      }
      if (!provisioner) continue
      io.log(`recovering ${record.kind} campaign ${record.campaignTag} (state ${record.state}): destroying its resources`)
      const outcome = await this.teardown(record, provisioner, io)
      if (record.runId && this.deps.store.runs.exists(record.runId)) this.recordOnRun(record.runId, outcome)
      io.onOutcome?.(record, outcome)
      outcomes.push(outcome)
    }
    return outcomes
  }

  /** Stores the cost and the teardown's outcome on the run (a warning when it is not proven). */
  recordOnRun(runId: string, outcome: TeardownOutcome): void {
    const { runs } = this.deps.store
    const run = runs.get(runId)
    if (!run) return
    const evaluation = run.evaluation
    evaluation.warnings = evaluation.warnings.filter((w) => w.code !== 'cloud_teardown')
    if (!outcome.verified) evaluation.warnings.push({ code: 'cloud_teardown', message: `${outcome.message}. Run \`shipgate reconcile\` to destroy them.` })
    this.deps.store.transaction(() => {
      runs.updateEvaluation(runId, evaluation)
      runs.update(runId, { costUsd: (run.costUsd ?? 0) + outcome.costUsd })
    })
  }

  private forRecord(record: ProvisionRecord): Provisioner | null {
    const run = record.runId ? this.deps.store.runs.get(record.runId) : null
    const campaign = (run?.params as { campaign?: Campaign } | undefined)?.campaign
    if (record.kind === 'terraform') {
      if (!record.workDir || !existsSync(record.workDir)) return null
      return this.keptTerraform(record.campaignTag)
    }
    const apiUrl = campaign?.provisioner.kind === 'digitalocean' ? campaign.provisioner.api_url : undefined
    return this.keptDigitalOcean(record.campaignTag, apiUrl)
  }

  /** A provisioner that can only destroy and list one DigitalOcean campaign, found by its tag. */
  private keptDigitalOcean(tag: string, apiUrl?: string): Provisioner {
    const api = this.api(apiUrl)
    return {
      kind: 'digitalocean',
      tag,
      provision: () => Promise.reject(new Error('not for provisioning')),
      destroy: (io) => destroyDoCampaign(api, tag, io, this.deps.digitalocean),
      remaining: async () => (await listShipgateResources(api)).filter((r) => campaignOf(r) === tag),
    }
  }

  /** A provisioner over a kept Terraform folder (module copy, variables and state). */
  private keptTerraform(tag: string): TerraformProvisioner {
    const token = this.deps.token()
    return new TerraformProvisioner(tag, { kind: 'terraform', module: join(this.deps.terraformRoot, tag), variables: {}, outputs: {}, bootstrap: false, dead_man_hours: 8, hourly_usd: 0 }, this.deps.terraformRoot, {
      ...(this.deps.terraform ? { terraform: this.deps.terraform } : {}),
      ...(token ? { secretVariables: { do_token: token } } : {}),
    })
  }

  /**
   * Everything that belongs to no running campaign: kept Terraform states that still hold resources,
   * and DigitalOcean resources tagged `shipgate` (when a token is available), with age and cost so far.
   */
  async leftovers(options: { apiUrl?: string } = {}): Promise<{ leftovers: LeftoverCampaign[]; errors: string[] }> {
    const active = this.activeTags()
    const now = this.now()
    const errors: string[] = []
    const out: LeftoverCampaign[] = []
    const root = this.deps.terraformRoot
    if (existsSync(root)) {
      for (const tag of readdirSync(root)) {
        const dir = join(root, tag)
        if (active.has(tag) || !statSync(dir).isDirectory() || !existsSync(join(dir, 'shipgate.auto.tfvars.json'))) continue
        try {
          const resources = await this.keptTerraform(tag).remaining()
          const record = this.deps.store.provisions.byTag(tag)
          if (resources.length === 0) {
            if (record && !record.teardownVerified) this.deps.store.provisions.update(record.id, { state: 'destroyed', teardownVerified: true, destroyedAt: now, resources: [], detail: 'nothing left when reconciled' })
            continue
          }
          const createdAt = record?.createdAt ?? resources[0]?.createdAt ?? now
          out.push(this.leftover('terraform', tag, record, resources, createdAt, record?.hourlyUsd ?? 0, now))
        } catch (err) {
          errors.push(`terraform ${tag}: ${errorMessage(err)}`)
        }
      }
    }
    if (this.deps.token()) {
      try {
        const all = await listShipgateResources(this.api(options.apiUrl))
        const byTag = new Map<string, CloudResource[]>()
        for (const r of all) {
          const tag = campaignOf(r) ?? `unknown-${r.id}`
          if (active.has(tag)) continue
          byTag.set(tag, [...(byTag.get(tag) ?? []), r])
        }
        for (const [tag, resources] of byTag) {
          const record = this.deps.store.provisions.byTag(tag)
          const createdAt = Math.min(...resources.map((r) => r.createdAt).filter(Number.isFinite), now)
          out.push(this.leftover('digitalocean', tag, record, resources, createdAt, resources.reduce((s, r) => s + r.hourlyUsd, 0), now))
        }
        // Provisions whose resources are all gone are closed as verified.
        for (const record of this.deps.store.provisions.open()) {
          if (record.kind === 'digitalocean' && !active.has(record.campaignTag) && !byTag.has(record.campaignTag) && record.state !== 'provisioning') {
            this.deps.store.provisions.update(record.id, { state: 'destroyed', teardownVerified: true, destroyedAt: record.destroyedAt ?? now, resources: [], detail: 'nothing left when reconciled' })
          }
        }
      } catch (err) {
        errors.push(`digitalocean: ${errorMessage(err)}`)
      }
    }
    return { leftovers: out.sort((a, b) => a.createdAt - b.createdAt), errors }
  }

  private leftover(kind: LeftoverCampaign['kind'], tag: string, record: ProvisionRecord | null, resources: CloudResource[], createdAt: number, hourlyUsd: number, now: number): LeftoverCampaign {
    const deadlineAt = record?.deadlineAt ?? resources.map((r) => deadlineOf(r.tags)).find((d) => d !== null) ?? null
    return {
      kind,
      tag,
      runId: record?.runId ?? null,
      resources: resources.map((r) => ({ kind: r.kind, id: r.id, name: r.name })),
      createdAt,
      ageMs: now - createdAt,
      hourlyUsd,
      costSoFarUsd: costOf(hourlyUsd, createdAt, now),
      deadlineAt,
      pastDeadline: deadlineAt !== null && deadlineAt < now,
    }
  }

  /** Destroys one leftover campaign and proves it. */
  async destroyLeftover(kind: LeftoverCampaign['kind'], tag: string, io: ProvisionIo, options: { apiUrl?: string } = {}): Promise<TeardownOutcome> {
    if (this.activeTags().has(tag)) throw new AppError('CONFLICT', `campaign ${tag} is running; cancel its run instead`)
    let record = this.deps.store.provisions.byTag(tag)
    if (!record || record.kind !== kind) {
      const id = this.deps.store.provisions.insert({ runId: null, campaignTag: tag, kind, workDir: kind === 'terraform' ? join(this.deps.terraformRoot, tag) : null, createdAt: this.now(), deadlineAt: this.now() })
      record = this.deps.store.provisions.get(id) as ProvisionRecord
    }
    const provisioner = kind === 'terraform' ? this.keptTerraform(tag) : this.keptDigitalOcean(tag, options.apiUrl)
    const outcome = await this.teardown(record, provisioner, io)
    if (record.runId && this.deps.store.runs.exists(record.runId)) this.recordOnRun(record.runId, outcome)
    return outcome
  }

  /** Cost of launched runs, per campaign and per month (UTC). */
  costs(): CostSummary {
    return this.deps.store.runs.costSummary()
  }
}
