// Reconcile: what cloud resources belong to no running campaign, in both provisioners; destroying
// them (on confirmation, at their dead-man deadline, or when a crashed run's recovery finds them)
// and proving it; and what launched runs cost.
import { existsSync, readdirSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { storedCampaign } from '@shared/campaign'
import type { CloudResource } from '@shared/infra'
import type { CostSummary, LeftoverCampaign } from '@shared/views'
import { AppError, errorMessage } from '../lib/errors'
import { processAlive } from '../lib/process'
import type { ProvisionRecord } from '../store/provision-repo'
import { campaignOf, deadlineOf, listShipgateResources } from './digitalocean'
import { type ProvisionDeps, type ProvisionLifecycle, type Provisioners, type TeardownOutcome, costOf } from './lifecycle'
import { type ProvisionIo, type Provisioner, campaignTag } from './types'

export class Reconciler {
  private readonly now: () => number
  private readonly provisioners: Provisioners

  constructor(
    private readonly deps: ProvisionDeps,
    private readonly lifecycle: ProvisionLifecycle,
  ) {
    this.now = deps.now ?? Date.now
    this.provisioners = lifecycle.provisioners
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
      const outcome = await this.lifecycle.teardown(record, provisioner, io)
      if (record.runId && this.deps.store.runs.exists(record.runId)) this.lifecycle.recordCost(record.runId, outcome)
      io.onOutcome?.(record, outcome)
      outcomes.push(outcome)
    }
    return outcomes
  }

  private forRecord(record: ProvisionRecord): Provisioner | null {
    const campaign = storedCampaign(record.runId ? this.deps.store.runs.get(record.runId)?.params : null)
    if (record.kind === 'terraform') {
      if (!record.workDir || !existsSync(record.workDir)) return null
      return this.provisioners.keptTerraform(record.campaignTag)
    }
    const apiUrl = campaign?.provisioner.kind === 'digitalocean' ? campaign.provisioner.api_url : undefined
    return this.provisioners.keptDigitalOcean(record.campaignTag, apiUrl)
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
          const resources = await this.provisioners.keptTerraform(tag).remaining()
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
        const all = await listShipgateResources(this.provisioners.api(options.apiUrl))
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
    const provisioner = kind === 'terraform' ? this.provisioners.keptTerraform(tag) : this.provisioners.keptDigitalOcean(tag, options.apiUrl)
    const outcome = await this.lifecycle.teardown(record, provisioner, io)
    if (record.runId && this.deps.store.runs.exists(record.runId)) this.lifecycle.recordCost(record.runId, outcome)
    return outcome
  }

  /** Cost of launched runs, per campaign and per month (UTC). */
  costs(): CostSummary {
    return this.deps.store.runs.costSummary()
  }
}
