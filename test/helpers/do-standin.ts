// TEST DOUBLE: a local stand-in for the subset of the DigitalOcean API the provisioner uses. The
// real API is a paid service that cannot be reached from here, so this is the one part of the
// provisioning tests that is not the real thing. It keeps the service's behaviour that matters:
// actions that complete later, droplets that boot and leave asynchronously, `429` with
// `Retry-After`, pagination through `links.pages.next`, JSON errors with `id` and `message`, and a
// VPC that cannot be deleted while it has members. A booting droplet calls `onBoot` with its
// cloud-init user data, so a test can install the host key on the lab droplet that plays it.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'

export interface StandinDroplet {
  id: number
  name: string
  status: 'new' | 'active'
  created_at: string
  size_slug: string
  size: { slug: string; price_hourly: number }
  tags: string[]
  vpc_uuid: string
  region: string
  networks: { v4: { ip_address: string; type: 'public' | 'private' }[] }
  user_data: string
  ssh_keys: string[]
}

interface Action {
  id: number
  status: 'in-progress' | 'completed' | 'errored'
  type: string
  doneAt: number
}

export interface StandinOptions {
  token: string
  /** Address of the machine that plays a droplet, from its name (`…-node-a` → a lab droplet). */
  addressFor: (name: string) => { public: string; private: string }
  onBoot?: (d: StandinDroplet) => void | Promise<void>
  bootMs?: number
  deleteMs?: number
  /** Items per page at most, whatever per_page asks (small, so lists paginate). */
  pageSize?: number
  /** Every Nth request is answered 429 with Retry-After: 1. */
  rateLimitEvery?: number
}

export const SIZES = [
  { slug: 's-1vcpu-512mb-10gb', price_hourly: 0.00595 },
  { slug: 's-1vcpu-1gb', price_hourly: 0.00893 },
  { slug: 's-1vcpu-2gb', price_hourly: 0.01786 },
  { slug: 's-2vcpu-2gb', price_hourly: 0.02679 },
  { slug: 's-2vcpu-4gb', price_hourly: 0.03571 },
  { slug: 's-4vcpu-8gb', price_hourly: 0.07143 },
  { slug: 'g-2vcpu-8gb', price_hourly: 0.09375 },
]

export class DoStandin {
  readonly droplets: StandinDroplet[] = []
  readonly vpcs: { id: string; name: string; ip_range: string; region: string; created_at: string; description?: string }[] = [
    // Someone else's VPC already on the first campaign range: the provisioner must skip it.
    { id: 'vpc-existing', name: 'default-nyc3', ip_range: '10.250.0.0/24', region: 'nyc3', created_at: new Date().toISOString() },
  ]
  readonly firewalls: { id: string; name: string; created_at: string; droplet_ids: number[]; tags: string[]; inbound_rules: unknown[]; outbound_rules: unknown[] }[] = []
  readonly actions = new Map<number, Action>()
  /** Everything ever created, kept after deletion so a test can read what was asked for. */
  readonly createdDroplets: StandinDroplet[] = []
  readonly createdFirewalls: unknown[] = []
  /** Droplet names that survive deletion (a stuck delete, as a real cloud sometimes has). */
  readonly sticky = new Set<string>()
  /** Requests seen, as `METHOD /path?query`, and the headers' tokens. */
  readonly requests: string[] = []
  served429 = 0
  pagesServed = 0
  /** Queue of forced answers: the next request matching `match` gets this status and body. */
  readonly failures: { match: RegExp; status: number; body: unknown }[] = []
  private server: Server | null = null
  private nextId = 1000
  private count = 0
  url = ''

  constructor(private readonly options: StandinOptions) {}

  async start(): Promise<string> {
    this.server = createServer((req, res) => {
      this.handle(req, res).catch((err: Error) => this.send(res, 500, { id: 'server_error', message: err.message }))
    })
    await new Promise<void>((r) => this.server?.listen(0, '127.0.0.1', r))
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`
    return this.url
  }

  async stop(): Promise<void> {
    await new Promise<void>((r) => (this.server ? this.server.close(() => r()) : r()))
  }

  private send(res: ServerResponse, status: number, body?: unknown, headers: Record<string, string> = {}): void {
    res.writeHead(status, { 'Content-Type': 'application/json', ...headers })
    res.end(body === undefined ? '' : JSON.stringify(body))
  }

  private page<T>(res: ServerResponse, url: URL, key: string, items: T[]): void {
    const perPage = Math.min(Number(url.searchParams.get('per_page') ?? 20), this.options.pageSize ?? 3)
    const page = Number(url.searchParams.get('page') ?? 1)
    if (page > 1) this.pagesServed++
    const slice = items.slice((page - 1) * perPage, page * perPage)
    const next = page * perPage < items.length ? new URL(url.toString()) : null
    next?.searchParams.set('page', String(page + 1))
    this.send(res, 200, { [key]: slice, links: next ? { pages: { next: `${this.url}${next.pathname}${next.search}` } } : {}, meta: { total: items.length } })
  }

  /** Moves time forward: finished actions complete, booted droplets become active. */
  private async tick(): Promise<void> {
    const now = Date.now()
    for (const a of this.actions.values()) {
      if (a.status !== 'in-progress' || a.doneAt > now) continue
      const d = this.droplets.find((x) => x.id === a.id - 1_000_000)
      if (d && d.status === 'new') {
        const addr = this.options.addressFor(d.name)
        d.networks.v4 = [
          { ip_address: addr.public, type: 'public' },
          { ip_address: addr.private, type: 'private' },
        ]
        try {
          await this.options.onBoot?.(d)
        } catch (err) {
          // A droplet that fails to boot: its create action errors, as DigitalOcean's would.
          a.status = 'errored'
          console.error(`stand-in: ${d.name} failed to boot: ${(err as Error).message}`)
          continue
        }
        d.status = 'active'
      }
      a.status = 'completed'
    }
  }

  private async body(req: IncomingMessage): Promise<Record<string, unknown>> {
    let text = ''
    for await (const chunk of req) text += String(chunk)
    return text ? (JSON.parse(text) as Record<string, unknown>) : {}
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', this.url)
    const method = req.method ?? 'GET'
    this.requests.push(`${method} ${url.pathname}${url.search}`)
    if (req.headers.authorization !== `Bearer ${this.options.token}`) return this.send(res, 401, { id: 'Unauthorized', message: 'Unable to authenticate you' })
    this.count++
    if (this.options.rateLimitEvery && this.count % this.options.rateLimitEvery === 0) {
      this.served429++
      return this.send(res, 429, { id: 'too_many_requests', message: 'API Rate limit exceeded.' }, { 'Retry-After': '1', 'RateLimit-Remaining': '0' })
    }
    const forced = this.failures.findIndex((f) => f.match.test(`${method} ${url.pathname}`))
    if (forced >= 0) {
      const [f] = this.failures.splice(forced, 1)
      return this.send(res, f!.status, f!.body)
    }
    await this.tick()
    const path = url.pathname
    const tag = url.searchParams.get('tag_name')

    if (method === 'GET' && path === '/v2/sizes') return this.page(res, url, 'sizes', SIZES)
    if (method === 'GET' && path === '/v2/vpcs') return this.page(res, url, 'vpcs', this.vpcs)
    if (method === 'POST' && path === '/v2/vpcs') {
      const b = await this.body(req)
      const range = String(b.ip_range)
      if (this.vpcs.some((v) => v.ip_range === range)) return this.send(res, 422, { id: 'unprocessable_entity', message: `ip_range ${range} overlaps with an existing VPC` })
      const vpc = { id: `vpc-${this.nextId++}`, name: String(b.name), ip_range: range, region: String(b.region), created_at: new Date().toISOString(), description: String(b.description ?? '') }
      this.vpcs.push(vpc)
      return this.send(res, 201, { vpc })
    }
    const vpcMatch = /^\/v2\/vpcs\/([^/]+)$/.exec(path)
    if (method === 'DELETE' && vpcMatch) {
      const i = this.vpcs.findIndex((v) => v.id === vpcMatch[1])
      if (i < 0) return this.send(res, 404, { id: 'not_found', message: 'The resource you were accessing could not be found.' })
      if (this.droplets.some((d) => d.vpc_uuid === vpcMatch[1])) return this.send(res, 409, { id: 'conflict', message: 'Can not delete VPC with members' })
      this.vpcs.splice(i, 1)
      return this.send(res, 204)
    }
    if (method === 'GET' && path === '/v2/droplets') return this.page(res, url, 'droplets', tag ? this.droplets.filter((d) => d.tags.includes(tag)) : this.droplets)
    if (method === 'POST' && path === '/v2/droplets') {
      const b = await this.body(req)
      const size = SIZES.find((s) => s.slug === b.size)
      if (!size) return this.send(res, 422, { id: 'unprocessable_entity', message: `You specified an invalid size for Droplet creation.` })
      if (!this.vpcs.some((v) => v.id === b.vpc_uuid)) return this.send(res, 422, { id: 'unprocessable_entity', message: 'vpc_uuid is not a VPC of this account' })
      const id = this.nextId++
      const d: StandinDroplet = {
        id,
        name: String(b.name),
        status: 'new',
        created_at: new Date().toISOString(),
        size_slug: size.slug,
        size,
        tags: (b.tags as string[]) ?? [],
        vpc_uuid: String(b.vpc_uuid),
        region: String(b.region),
        networks: { v4: [] },
        user_data: String(b.user_data ?? ''),
        ssh_keys: (b.ssh_keys as string[]) ?? [],
      }
      this.droplets.push(d)
      this.createdDroplets.push(d)
      const action: Action = { id: 1_000_000 + id, status: 'in-progress', type: 'create', doneAt: Date.now() + (this.options.bootMs ?? 1500) }
      this.actions.set(action.id, action)
      return this.send(res, 202, { droplet: d, links: { actions: [{ id: action.id, rel: 'create', href: `${this.url}/v2/actions/${action.id}` }] } })
    }
    if (method === 'DELETE' && path === '/v2/droplets') {
      if (!tag) return this.send(res, 422, { id: 'unprocessable_entity', message: 'tag_name is required' })
      const doomed = this.droplets.filter((d) => d.tags.includes(tag) && !this.sticky.has(d.name))
      setTimeout(() => {
        for (const d of doomed) {
          const i = this.droplets.indexOf(d)
          if (i >= 0) this.droplets.splice(i, 1)
        }
      }, this.options.deleteMs ?? 500)
      return this.send(res, 204)
    }
    const actionMatch = /^\/v2\/actions\/(\d+)$/.exec(path)
    if (method === 'GET' && actionMatch) {
      const a = this.actions.get(Number(actionMatch[1]))
      if (!a) return this.send(res, 404, { id: 'not_found', message: 'The resource you were accessing could not be found.' })
      return this.send(res, 200, { action: { id: a.id, status: a.status, type: a.type } })
    }
    if (method === 'GET' && path === '/v2/firewalls') return this.page(res, url, 'firewalls', this.firewalls)
    if (method === 'POST' && path === '/v2/firewalls') {
      const b = await this.body(req)
      const fw = {
        id: `fw-${this.nextId++}`,
        name: String(b.name),
        created_at: new Date().toISOString(),
        droplet_ids: (b.droplet_ids as number[]) ?? [],
        tags: (b.tags as string[]) ?? [],
        inbound_rules: (b.inbound_rules as unknown[]) ?? [],
        outbound_rules: (b.outbound_rules as unknown[]) ?? [],
      }
      this.firewalls.push(fw)
      this.createdFirewalls.push(fw)
      return this.send(res, 202, { firewall: fw })
    }
    const fwMatch = /^\/v2\/firewalls\/([^/]+)$/.exec(path)
    if (method === 'DELETE' && fwMatch) {
      const i = this.firewalls.findIndex((f) => f.id === fwMatch[1])
      if (i < 0) return this.send(res, 404, { id: 'not_found', message: 'The resource you were accessing could not be found.' })
      this.firewalls.splice(i, 1)
      return this.send(res, 204)
    }
    return this.send(res, 404, { id: 'not_found', message: `no route ${method} ${path}` })
  }
}
