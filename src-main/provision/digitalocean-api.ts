// A small client for the part of the DigitalOcean API the provisioner uses. It follows the service's
// rules: `429` waits for `Retry-After`, `5xx` and dropped connections back off, lists follow
// `links.pages.next`. Errors name the request and DigitalOcean's message, never the token.
import { AppError } from '../lib/errors'

export const DIGITALOCEAN_API = 'https://api.digitalocean.com'

export interface DoNetwork {
  ip_address: string
  type: 'public' | 'private'
}

export interface DoDroplet {
  id: number
  name: string
  status: 'new' | 'active' | 'off' | 'archive'
  created_at: string
  size_slug: string
  size?: { price_hourly?: number }
  tags: string[]
  vpc_uuid?: string
  networks: { v4: DoNetwork[] }
}

export interface DoVpc {
  id: string
  name: string
  ip_range: string
  region: string
  created_at: string
}

export interface DoFirewall {
  id: string
  name: string
  created_at: string
  droplet_ids: number[]
  tags: string[]
}

export interface DoAction {
  id: number
  status: 'in-progress' | 'completed' | 'errored'
  type: string
}

export interface DoSize {
  slug: string
  price_hourly: number
}

export interface DoApiOptions {
  baseUrl?: string
  fetch?: typeof fetch
  sleep?: (ms: number) => Promise<void>
  /** Attempts per request for 429, 5xx and network errors. */
  attempts?: number
  /** Longest single wait, so a huge Retry-After cannot stall a teardown for hours. */
  maxWaitMs?: number
}

const sleeper = (ms: number) => new Promise<void>((r) => setTimeout(r, ms))

export class DoApiError extends AppError {
  constructor(
    message: string,
    readonly status: number,
  ) {
    super('PROVISION', message)
  }
}

export class DigitalOceanApi {
  private readonly baseUrl: string
  private readonly fetchImpl: typeof fetch
  private readonly sleep: (ms: number) => Promise<void>
  private readonly attempts: number
  private readonly maxWaitMs: number
  /** Requests that were retried (rate limit or server error): shown in the run log. */
  retries = 0

  constructor(
    private readonly token: string,
    options: DoApiOptions = {},
  ) {
    if (!token.trim()) throw new AppError('PROVISION', 'no DigitalOcean API token: set DIGITALOCEAN_TOKEN (command line) or save one in Settings (app)')
    this.baseUrl = (options.baseUrl ?? DIGITALOCEAN_API).replace(/\/+$/, '')
    this.fetchImpl = options.fetch ?? fetch
    this.sleep = options.sleep ?? sleeper
    this.attempts = options.attempts ?? 6
    this.maxWaitMs = options.maxWaitMs ?? 120_000
  }

  async request<T>(method: 'GET' | 'POST' | 'DELETE', path: string, body?: unknown): Promise<T> {
    const url = path.startsWith('http') ? path : `${this.baseUrl}${path}`
    const what = `${method} ${new URL(url).pathname}`
    for (let attempt = 1; ; attempt++) {
      let res: Response
      try {
        res = await this.fetchImpl(url, {
          method,
          headers: { Authorization: `Bearer ${this.token}`, 'Content-Type': 'application/json', Accept: 'application/json' },
          ...(body === undefined ? {} : { body: JSON.stringify(body) }),
          signal: AbortSignal.timeout(60_000),
        })
      } catch (err) {
        if (attempt >= this.attempts) throw new DoApiError(`${what}: DigitalOcean did not answer (${(err as Error).message})`, 0)
        this.retries++
        await this.sleep(Math.min(this.maxWaitMs, 500 * 2 ** attempt))
        continue
      }
      if (res.status === 429 || res.status >= 500) {
        await res.body?.cancel().catch(() => undefined)
        if (attempt >= this.attempts) throw new DoApiError(`${what}: DigitalOcean answered ${res.status} ${attempt} times in a row`, res.status)
        this.retries++
        const retryAfter = Number(res.headers.get('retry-after'))
        const resetAt = Number(res.headers.get('ratelimit-reset')) * 1000
        const wait = Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter * 1000 : res.status === 429 && resetAt > Date.now() ? resetAt - Date.now() : 500 * 2 ** attempt
        await this.sleep(Math.min(this.maxWaitMs, wait))
        continue
      }
      const text = await res.text()
      if (!res.ok) {
        let message = text.slice(0, 300)
        try {
          const parsed = JSON.parse(text) as { id?: string; message?: string }
          if (parsed.message) message = `${parsed.id ? `${parsed.id}: ` : ''}${parsed.message}`
        } catch {
          /* not JSON: keep the text */
        }
        throw new DoApiError(`${what}: DigitalOcean answered ${res.status}: ${message.replaceAll(this.token, '[token]')}`, res.status)
      }
      if (!text) return undefined as T
      try {
        return JSON.parse(text) as T
      } catch {
        throw new DoApiError(`${what}: DigitalOcean sent a body that is not JSON`, res.status)
      }
    }
  }

  /** Every item of a paginated list. */
  async list<T>(path: string, key: string): Promise<T[]> {
    const items: T[] = []
    let next: string | undefined = `${path}${path.includes('?') ? '&' : '?'}per_page=200`
    for (let pages = 0; next && pages < 1000; pages++) {
      const page: Record<string, unknown> & { links?: { pages?: { next?: string } } } = await this.request('GET', next)
      const chunk = page[key]
      if (!Array.isArray(chunk)) throw new DoApiError(`GET ${path}: the answer has no ${key} list`, 200)
      items.push(...(chunk as T[]))
      next = page.links?.pages?.next
      if (next && !next.startsWith(this.baseUrl)) throw new DoApiError(`GET ${path}: the next page points outside the API (${next.slice(0, 80)})`, 200)
    }
    return items
  }

  dropletsByTag(tag: string): Promise<DoDroplet[]> {
    return this.list<DoDroplet>(`/v2/droplets?tag_name=${encodeURIComponent(tag)}`, 'droplets')
  }

  async createDroplet(body: Record<string, unknown>): Promise<{ droplet: DoDroplet; actionIds: number[] }> {
    const r = await this.request<{ droplet: DoDroplet; links?: { actions?: { id: number }[] } }>('POST', '/v2/droplets', body)
    return { droplet: r.droplet, actionIds: (r.links?.actions ?? []).map((a) => a.id) }
  }

  deleteDropletsByTag(tag: string): Promise<void> {
    return this.request('DELETE', `/v2/droplets?tag_name=${encodeURIComponent(tag)}`)
  }

  async action(id: number): Promise<DoAction> {
    return (await this.request<{ action: DoAction }>('GET', `/v2/actions/${id}`)).action
  }

  vpcs(): Promise<DoVpc[]> {
    return this.list<DoVpc>('/v2/vpcs', 'vpcs')
  }

  async createVpc(body: { name: string; region: string; ip_range: string; description?: string }): Promise<DoVpc> {
    return (await this.request<{ vpc: DoVpc }>('POST', '/v2/vpcs', body)).vpc
  }

  deleteVpc(id: string): Promise<void> {
    return this.request('DELETE', `/v2/vpcs/${encodeURIComponent(id)}`)
  }

  firewalls(): Promise<DoFirewall[]> {
    return this.list<DoFirewall>('/v2/firewalls', 'firewalls')
  }

  async createFirewall(body: Record<string, unknown>): Promise<DoFirewall> {
    return (await this.request<{ firewall: DoFirewall }>('POST', '/v2/firewalls', body)).firewall
  }

  deleteFirewall(id: string): Promise<void> {
    return this.request('DELETE', `/v2/firewalls/${encodeURIComponent(id)}`)
  }

  sizes(): Promise<DoSize[]> {
    return this.list<DoSize>('/v2/sizes', 'sizes')
  }
}
