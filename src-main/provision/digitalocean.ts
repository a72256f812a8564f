// The built-in `digitalocean` provisioner: a VPC with a range of its own, four droplets tagged
// `shipgate` and `campaign-<tag>`, a cloud firewall (SSH from the user's address, the ai-memory
// port inside the VPC only). Teardown deletes by tag and then lists by tag to prove nothing is left.
import { connect } from 'node:net'
import type { Campaign } from '@shared/campaign'
import { HOST_ROLES, type HostRole } from '@shared/domain'
import { AppError, errorMessage } from '../lib/errors'
import { type DigitalOceanApi, DoApiError, type DoDroplet } from './digitalocean-api'
import { cloudInitWithHostKey, generateHostKey } from './host-key'
import type { CloudResource, HostKey, ProvisionIo, ProvisionOutcome, ProvisionedHost, Provisioner } from './types'

type DigitalOceanConfig = Extract<Campaign['provisioner'], { kind: 'digitalocean' }>

/** Every resource the app creates carries this tag (droplets) or name prefix (VPCs, firewalls). */
export const SHIPGATE_TAG = 'shipgate'
export const NAME_PREFIX = 'shipgate-'
const DEADLINE_TAG = /^shipgate-deadline-(\d+)$/

/** Campaign VPCs take a /24 each from here, so campaigns never share a range. */
const VPC_BLOCK = '10.250'

export interface DigitalOceanDeps {
  api: DigitalOceanApi
  /** Resolves once `address:port` accepts TCP connections. */
  waitForPort?: (address: string, port: number, signal?: AbortSignal) => Promise<void>
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>
  now?: () => number
  /** Polling period of actions and droplet state. */
  pollMs?: number
  /** Longest wait for the droplets to be active and answer SSH. */
  bootTimeoutMs?: number
  /** Longest wait for deleted droplets to leave the VPC before it is deleted. */
  vpcWaitMs?: number
}

function abortableSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(new AppError('CANCELLED', 'provisioning was cancelled'))
    const t = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort)
      resolve()
    }, ms)
    const onAbort = () => {
      clearTimeout(t)
      reject(new AppError('CANCELLED', 'provisioning was cancelled'))
    }
    signal?.addEventListener('abort', onAbort, { once: true })
  })
}

/** Waits until a TCP port accepts connections (sshd is up), trying every 2 s. */
export async function waitForPort(address: string, port: number, signal?: AbortSignal, timeoutMs = 5 * 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const ok = await new Promise<boolean>((resolve) => {
      const s = connect({ host: address, port, timeout: 3000 })
      const done = (v: boolean) => {
        s.destroy()
        resolve(v)
      }
      s.once('connect', () => done(true))
      s.once('timeout', () => done(false))
      s.once('error', () => done(false))
    })
    if (ok) return
    if (Date.now() > deadline) throw new AppError('PROVISION', `${address}:${port} did not accept SSH connections within ${Math.round(timeoutMs / 1000)} s`)
    await abortableSleep(2000, signal)
  }
}

export function dropletAddress(d: DoDroplet, type: 'public' | 'private'): string | null {
  return d.networks.v4.find((n) => n.type === type)?.ip_address ?? null
}

/** The campaign tag a resource belongs to (`campaign-<tag>` on droplets, `shipgate-<tag>` names otherwise). */
export function campaignOf(r: { tags: string[]; name: string }): string | null {
  const tag = r.tags.find((t) => t.startsWith('campaign-'))
  if (tag) return tag.slice('campaign-'.length)
  if (r.name.startsWith(NAME_PREFIX)) return r.name.slice(NAME_PREFIX.length).replace(/-(node-[abc]|chaos)$/, '')
  return null
}

/** The dead-man deadline (Unix ms) carried in a resource's tags, if any. */
export function deadlineOf(tags: string[]): number | null {
  for (const t of tags) {
    const m = DEADLINE_TAG.exec(t)
    if (m) return Number(m[1]) * 1000
  }
  return null
}

/** Every resource the app created in this DigitalOcean account, by tag or name prefix. */
export async function listShipgateResources(api: DigitalOceanApi): Promise<CloudResource[]> {
  const [droplets, vpcs, firewalls] = await Promise.all([api.dropletsByTag(SHIPGATE_TAG), api.vpcs(), api.firewalls()])
  return [
    ...droplets.map((d) => ({ kind: 'droplet', id: String(d.id), name: d.name, createdAt: Date.parse(d.created_at), hourlyUsd: d.size?.price_hourly ?? 0, tags: d.tags })),
    ...vpcs.filter((v) => v.name.startsWith(NAME_PREFIX)).map((v) => ({ kind: 'vpc', id: v.id, name: v.name, createdAt: Date.parse(v.created_at), hourlyUsd: 0, tags: [] })),
    ...firewalls.filter((f) => f.name.startsWith(NAME_PREFIX)).map((f) => ({ kind: 'firewall', id: f.id, name: f.name, createdAt: Date.parse(f.created_at), hourlyUsd: 0, tags: f.tags })),
  ]
}

/** Deletes everything of one campaign: droplets by tag, then its firewall, then its VPC once empty. */
export async function destroyDoCampaign(
  api: DigitalOceanApi,
  tag: string,
  io: ProvisionIo,
  timing: { sleep?: (ms: number, signal?: AbortSignal) => Promise<void>; now?: () => number; pollMs?: number; vpcWaitMs?: number } = {},
): Promise<void> {
  const sleep = timing.sleep ?? abortableSleep
  const now = timing.now ?? Date.now
  const name = `${NAME_PREFIX}${tag}`
  const errors: string[] = []
  const attempt = async (what: string, work: () => Promise<void>) => {
    try {
      await io.step(what, work)
    } catch (err) {
      errors.push(`${what}: ${errorMessage(err)}`)
    }
  }
  await attempt('delete droplets', () => api.deleteDropletsByTag(`campaign-${tag}`))
  await attempt('delete firewall', async () => {
    for (const f of (await api.firewalls()).filter((x) => x.name === name)) await api.deleteFirewall(f.id)
  })
  // A VPC with members cannot be deleted: wait (bounded) for the droplets to be gone first.
  await attempt('delete VPC', async () => {
    const vpcs = (await api.vpcs()).filter((v) => v.name === name)
    if (vpcs.length === 0) return
    const until = now() + (timing.vpcWaitMs ?? 3 * 60_000)
    for (let polls = 0; (await api.dropletsByTag(`campaign-${tag}`)).length > 0; polls++) {
      if (now() > until) throw new AppError('PROVISION', 'droplets are still there, so the VPC cannot be deleted')
      await sleep(Math.min(timing.pollMs ?? 5000, 1000 * 1.5 ** polls))
    }
    for (const v of vpcs) await api.deleteVpc(v.id)
  })
  if (errors.length > 0) throw new AppError('PROVISION', `teardown incomplete: ${errors.join('; ')}`)
}

export class DigitalOceanProvisioner implements Provisioner {
  readonly kind = 'digitalocean' as const
  private readonly sleep: (ms: number, signal?: AbortSignal) => Promise<void>
  private readonly now: () => number
  private readonly pollMs: number

  constructor(
    readonly tag: string,
    private readonly config: DigitalOceanConfig,
    private readonly campaign: Campaign,
    /** Unix ms past which reconcile destroys the campaign's resources. */
    private readonly deadlineAt: number,
    private readonly deps: DigitalOceanDeps,
  ) {
    this.sleep = deps.sleep ?? abortableSleep
    this.now = deps.now ?? Date.now
    this.pollMs = deps.pollMs ?? 5000
  }

  private get name(): string {
    return `${NAME_PREFIX}${this.tag}`
  }

  private get tags(): string[] {
    return [SHIPGATE_TAG, `campaign-${this.tag}`, `shipgate-deadline-${Math.floor(this.deadlineAt / 1000)}`]
  }

  /** Creates a VPC on the first free 10.250.N.0/24; a range taken meanwhile (422) moves on to the next. */
  private async createVpc(io: ProvisionIo): Promise<{ id: string; ipRange: string }> {
    const existing = await this.deps.api.vpcs()
    const mine = existing.find((v) => v.name === this.name)
    if (mine) return { id: mine.id, ipRange: mine.ip_range }
    const taken = new Set(existing.map((v) => v.ip_range))
    for (let n = 0; n < 256; n++) {
      const ipRange = `${VPC_BLOCK}.${n}.0/24`
      if (taken.has(ipRange)) continue
      try {
        const vpc = await this.deps.api.createVpc({ name: this.name, region: this.config.region, ip_range: ipRange, description: `Shipgate Lab campaign ${this.tag}` })
        return { id: vpc.id, ipRange: vpc.ip_range }
      } catch (err) {
        if (err instanceof DoApiError && err.status === 422) {
          io.log(`VPC range ${ipRange} is taken (${err.message}); trying the next`)
          continue
        }
        throw err
      }
    }
    throw new AppError('PROVISION', `no free /24 left in ${VPC_BLOCK}.0.0/16 for a campaign VPC`)
  }

  async provision(io: ProvisionIo): Promise<ProvisionOutcome> {
    const { api } = this.deps
    const sizes = await io.step('read prices', () => api.sizes())
    const price = (slug: string) => {
      const s = sizes.find((x) => x.slug === slug)
      if (!s) throw new AppError('PROVISION', `DigitalOcean has no droplet size ${slug}`)
      return s.price_hourly
    }
    const sizeOf = (role: HostRole) => (role === 'chaos' ? this.config.chaos_size : this.config.peer_size)
    const hourlyUsd = HOST_ROLES.reduce((sum, r) => sum + price(sizeOf(r)), 0)
    io.log(`4 droplets at $${hourlyUsd.toFixed(4)}/h (${this.config.peer_size} ×3, ${this.config.chaos_size})`)

    const vpc = await io.step('create VPC', () => this.createVpc(io))
    io.log(`VPC ${this.name} ${vpc.ipRange} (${vpc.id})`)

    const keys = Object.fromEntries(HOST_ROLES.map((r) => [r, generateHostKey(`${this.name}-${r}`)])) as Record<HostRole, ReturnType<typeof generateHostKey>>
    const actionIds = await io.step('create droplets', async () => {
      const existing = await api.dropletsByTag(`campaign-${this.tag}`)
      if (existing.length > 0) throw new AppError('PROVISION', `droplets tagged campaign-${this.tag} already exist (${existing.map((d) => d.name).join(', ')}); destroy them with \`shipgate reconcile\` first`)
      const ids: number[] = []
      for (const role of HOST_ROLES) {
        const created = await api.createDroplet({
          name: `${this.name}-${role}`,
          region: this.config.region,
          size: sizeOf(role),
          image: this.config.image,
          ssh_keys: [this.config.ssh_key_fingerprint],
          vpc_uuid: vpc.id,
          tags: role === 'chaos' ? [...this.tags, 'chaos-client'] : this.tags,
          user_data: cloudInitWithHostKey(keys[role]),
          monitoring: false,
          ipv6: false,
        })
        ids.push(...created.actionIds)
      }
      return ids
    })
    const droplets = await io.step('wait for droplets to be active', () => this.waitActive(actionIds, io))
    const ports = [...new Set(HOST_ROLES.map((r) => this.campaign.hosts[r].api_port))]
    await io.step('create firewall', async () => {
      const existing = (await api.firewalls()).find((f) => f.name === this.name)
      if (existing) return
      await api.createFirewall({
        name: this.name,
        droplet_ids: droplets.map((d) => d.id),
        tags: [],
        inbound_rules: [
          { protocol: 'tcp', ports: '22', sources: { addresses: this.config.ssh_from } },
          ...ports.map((p) => ({ protocol: 'tcp', ports: String(p), sources: { addresses: [vpc.ipRange] } })),
          { protocol: 'icmp', sources: { addresses: [vpc.ipRange] } },
        ],
        outbound_rules: [
          { protocol: 'tcp', ports: 'all', destinations: { addresses: ['0.0.0.0/0', '::/0'] } },
          { protocol: 'udp', ports: 'all', destinations: { addresses: ['0.0.0.0/0', '::/0'] } },
          { protocol: 'icmp', destinations: { addresses: ['0.0.0.0/0', '::/0'] } },
        ],
      })
    })
    const hosts = {} as Record<HostRole, ProvisionedHost>
    for (const role of HOST_ROLES) {
      const d = droplets.find((x) => x.name === `${this.name}-${role}`)
      const pub = d ? dropletAddress(d, 'public') : null
      if (!d || !pub) throw new AppError('PROVISION', `droplet ${this.name}-${role} has no public address`)
      hosts[role] = { public: pub, private: dropletAddress(d, 'private') ?? pub }
    }
    await io.step('wait for SSH', () =>
      Promise.all(HOST_ROLES.map((r) => (this.deps.waitForPort ?? waitForPort)(hosts[r].public, this.campaign.hosts[r].port ?? 22, io.signal))),
    )
    const hostKeys: Partial<Record<HostRole, HostKey>> = {}
    for (const role of HOST_ROLES) hostKeys[role] = { keyType: keys[role].keyType, fingerprint: keys[role].fingerprint }
    return { hosts, hostKeys, resources: await this.remaining(), hourlyUsd }
  }

  /** Polls the create actions, then the droplets, until all four are active with addresses. */
  private async waitActive(actionIds: number[], io: ProvisionIo): Promise<DoDroplet[]> {
    const timeoutMs = this.deps.bootTimeoutMs ?? 10 * 60_000
    const until = this.now() + timeoutMs
    const open = new Set(actionIds)
    let polls = 0
    // Quick first polls (most creates finish in under a minute), then every pollMs.
    const pause = () => this.sleep(Math.min(this.pollMs, 1000 * 1.5 ** polls++), io.signal)
    while (open.size > 0) {
      for (const id of [...open]) {
        const a = await this.deps.api.action(id)
        if (a.status === 'completed') open.delete(id)
        else if (a.status === 'errored') throw new AppError('PROVISION', `DigitalOcean action ${id} (${a.type}) errored`)
      }
      if (open.size === 0) break
      if (this.now() > until) throw new AppError('PROVISION', `droplet creation did not complete within ${timeoutMs / 1000} s`)
      await pause()
    }
    for (;;) {
      const droplets = (await this.deps.api.dropletsByTag(`campaign-${this.tag}`)).filter((d) => d.name.startsWith(`${this.name}-`))
      const ready = droplets.filter((d) => d.status === 'active' && dropletAddress(d, 'public'))
      if (ready.length >= HOST_ROLES.length) return ready
      io.log(`${ready.length}/${HOST_ROLES.length} droplets active`)
      if (this.now() > until) throw new AppError('PROVISION', `only ${ready.length} of 4 droplets became active within ${timeoutMs / 1000} s`)
      await pause()
    }
  }

  destroy(io: ProvisionIo): Promise<void> {
    return destroyDoCampaign(this.deps.api, this.tag, io, { ...this.deps, sleep: this.sleep, now: this.now, pollMs: this.pollMs })
  }

  async remaining(): Promise<CloudResource[]> {
    return (await listShipgateResources(this.deps.api)).filter((r) => campaignOf(r) === this.tag)
  }
}
