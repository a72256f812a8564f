// Hosts on demand for a run: provision before the phases, tear down after them (or on cancel, on
// a crash's recovery, at the dead-man deadline), prove the teardown by listing what is left, and
// meter the cost. Amounts are stored exactly and rounded only for display.
import { join } from 'node:path'
import { type Campaign, storedCampaign } from '@shared/campaign'
import { HOST_ROLES, type HostRole } from '@shared/domain'
import { AppError, errorMessage } from '../lib/errors'
import { registerSecret } from '../lib/redact'
import type { ProvisionRecord } from '../store/provision-repo'
import type { Store } from '../store/store'
import { DigitalOceanApi } from './digitalocean-api'
import { DigitalOceanProvisioner, campaignOf, destroyDoCampaign, listShipgateResources, type DigitalOceanDeps } from './digitalocean'
import { TerraformProvisioner } from './terraform'
import { type CloudResource, type HostKey, type ProvisionIo, type Provisioner, campaignTag } from './types'

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
  /** A run's teardown record changed: its verdict is judged again (its warnings come from that record). */
  onTeardown?: (runId: string) => void
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

/** What a resource costs while held; exact (a run held for a second costs a fraction of a cent, never 0). */
export function costOf(hourlyUsd: number, fromMs: number, toMs: number): number {
  return hourlyUsd * (Math.max(0, toMs - fromMs) / HOUR_MS)
}

/** Builds provisioners (one place for each kind), for a new run or for a campaign a record names. */
export class Provisioners {
  constructor(private readonly deps: ProvisionDeps) {}

  api(apiUrl?: string): DigitalOceanApi {
    const token = this.deps.token()
    if (token) registerSecret(token)
    const baseUrl = apiUrl ?? this.deps.apiUrl
    return new DigitalOceanApi(token ?? '', baseUrl ? { baseUrl } : {})
  }

  terraform(tag: string, config: Extract<Campaign['provisioner'], { kind: 'terraform' }>): TerraformProvisioner {
    const token = this.deps.token()
    if (token) registerSecret(token)
    return new TerraformProvisioner(tag, config, this.deps.terraformRoot, {
      ...(this.deps.terraform ? { terraform: this.deps.terraform } : {}),
      ...(token ? { secretVariables: { do_token: token } } : {}),
    })
  }

  forCampaign(campaign: Campaign, tag: string, deadlineAt: number): Provisioner {
    const p = campaign.provisioner
    if (p.kind === 'terraform') return this.terraform(tag, p)
    if (p.kind === 'digitalocean') return new DigitalOceanProvisioner(tag, p, campaign, deadlineAt, { ...this.deps.digitalocean, api: this.api(p.api_url) })
    throw new AppError('PROVISION', 'static hosts are not provisioned')
  }

  /** A provisioner that can only destroy and list one DigitalOcean campaign, found by its tag. */
  keptDigitalOcean(tag: string, apiUrl?: string): Provisioner {
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
  keptTerraform(tag: string): TerraformProvisioner {
    return this.terraform(tag, { kind: 'terraform', module: join(this.deps.terraformRoot, tag), variables: {}, outputs: {}, bootstrap: false, dead_man_hours: 8, hourly_usd: 0 })
  }
}

/** Creating a run's hosts and proving their destruction. */
export class ProvisionLifecycle {
  private readonly now: () => number
  readonly provisioners: Provisioners

  constructor(private readonly deps: ProvisionDeps) {
    this.now = deps.now ?? Date.now
    this.provisioners = new Provisioners(deps)
  }

  /** Creates the run's hosts. On failure or cancel, what was created is destroyed before it throws. */
  async up(campaign: Campaign, runId: string, io: ProvisionRunIo): Promise<ProvisionedRun> {
    const p = campaign.provisioner
    if (p.kind === 'static') throw new AppError('PROVISION', 'static hosts are not provisioned')
    const tag = campaignTag(runId)
    const createdAt = this.now()
    const deadlineAt = createdAt + p.dead_man_hours * HOUR_MS
    const provisioner = this.provisioners.forCampaign(campaign, tag, deadlineAt)
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
  async teardown(record: ProvisionRecord, provisioner: Provisioner, io: ProvisionIo): Promise<TeardownOutcome> {
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
    if (record.runId && this.deps.store.runs.exists(record.runId)) this.deps.onTeardown?.(record.runId)
    return { verified, remaining, costUsd, hourlyUsd: record.hourlyUsd, message }
  }

  private addressesOf(record: ProvisionRecord): string[] {
    const campaign = storedCampaign(record.runId ? this.deps.store.runs.get(record.runId)?.params : null)
    return campaign ? HOST_ROLES.map((r) => campaign.hosts[r].address).filter((a) => a !== '') : []
  }

  /** Adds what the teardown cost to the run (its outcome reaches the verdict through the provisions record). */
  recordCost(runId: string, outcome: TeardownOutcome): void {
    const run = this.deps.store.runs.get(runId)
    if (run) this.deps.store.runs.update(runId, { costUsd: (run.costUsd ?? 0) + outcome.costUsd })
  }
}
