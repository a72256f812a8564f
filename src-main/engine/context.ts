// What a phase engine gets: the campaign, a handle per host, logging into the run, artifact
// storage, cancellation, and the helpers every phase uses (ai-memory commands, HTTP through curl
// on a host, counting by pages).
import type { Campaign, CampaignHost } from '@shared/campaign'
import type { ChaosCycle, HostRole, PhaseNumber } from '@shared/domain'
import type { LogStream, ProgressEvent } from '@shared/progress'
import { AppError } from '../lib/errors'
import { redact, redactDeep } from '../lib/redact'
import { cmd, envPrefix, q } from '../transport/quote'
import type { ExecResult, Transport } from '../transport/types'
import type { TimeAccounting } from './accounting'
import type { Journal } from './journal'

export interface HostHandle {
  role: HostRole
  /** Display name: the campaign's `name`, else the role. */
  name: string
  transport: Transport
  config: CampaignHost
  /** Address the other hosts use to reach this one (the VPC address on droplets). */
  peerAddress: string
  /** This run's folder on the host. */
  workdir: string
  /**
   * HOME for ai-memory under `ai_memory.config: shipgate`: holds the config.toml the run writes
   * (pinned tier, api_key). Kept across runs on the host, so a downloaded model is downloaded once.
   */
  aiMemoryHome: string
  /** A server of this run became healthy here: later starts get the normal deadline, not the cold one. */
  warm: boolean
}

export interface HttpRequest {
  method: 'GET' | 'POST'
  url: string
  headers?: Record<string, string>
  body?: string
  timeoutMs?: number
}

export interface HttpResponse {
  /** 0 when no HTTP response came back (curl could not connect or timed out). */
  status: number
  headers: Record<string, string>
  body: string
  curlExit: number | null
}

export class CancelledError extends AppError {
  constructor(message = 'the run was cancelled') {
    super('CANCELLED', message)
  }
}

export interface PhaseContextOptions {
  runId: string
  phase: PhaseNumber
  campaign: Campaign
  hosts: Record<HostRole, HostHandle>
  signal: AbortSignal
  emit: (e: ProgressEvent) => void
  accounting: TimeAccounting
  putArtifact: (name: string, bytes: Uint8Array) => void
  journal: Journal
  now?: () => number
}

export interface BatchRequest {
  url: string
  headers?: Record<string, string>
  body: string
  /** Keep this response's body (to a file on the host) for the evidence. */
  keepBody?: boolean
}

/** A value inside a curl config file: double-quoted with backslash escapes. */
export function curlConfigString(s: string): string {
  return `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n').replace(/\r/g, '\\r').replace(/\t/g, '\\t')}"`
}

const PAGE = 200
const MAX_PAGES = 5000

export class PhaseContext {
  readonly runId: string
  readonly phase: PhaseNumber
  readonly campaign: Campaign
  readonly hosts: Record<HostRole, HostHandle>
  readonly signal: AbortSignal
  private readonly now: () => number

  constructor(private readonly o: PhaseContextOptions) {
    this.runId = o.runId
    this.phase = o.phase
    this.campaign = o.campaign
    this.hosts = o.hosts
    this.signal = o.signal
    this.now = o.now ?? Date.now
  }

  get journal(): Journal {
    return this.o.journal
  }

  /**
   * The environment of every ai-memory command: the campaign's, plus how ai-memory finds its
   * configuration (src/config.rs reads ~/.config/ai-memory/config.toml unless AI_MEMORY_NO_CONFIG
   * is set; `serve` has no tier flag, so the run's config file is how the tier is pinned).
   */
  aimEnv(host: HostHandle): Record<string, string> {
    const a = this.campaign.ai_memory
    const config: Record<string, string> = a.config === 'none' ? { AI_MEMORY_NO_CONFIG: '1' } : a.config === 'shipgate' ? { HOME: host.aiMemoryHome } : {}
    return { ...a.env, ...config }
  }

  /** How long a server may take to become healthy: the first start on a host may load a model. */
  startDeadlineMs(host: HostHandle): number {
    const a = this.campaign.ai_memory
    return (host.warm ? a.start_deadline_s : a.cold_start_deadline_s) * 1000
  }

  /** Headers every request to ai-memory carries: the API key when the campaign has one. */
  private apiHeaders(): Record<string, string> {
    const key = this.campaign.ai_memory.api_key
    return key ? { 'X-API-Key': key } : {}
  }

  get nodes(): [HostHandle, HostHandle, HostHandle] {
    return [this.hosts['node-a'], this.hosts['node-b'], this.hosts['node-c']]
  }

  log(line: string, host?: HostHandle, stream: LogStream = 'info'): void {
    this.o.emit({ type: 'log', runId: this.runId, phase: this.phase, ...(host ? { host: host.name } : {}), stream, line: redact(line), at: this.now() })
  }

  /** Reports one chaos cycle as it ends (the live view charts it). */
  emitCycle(cycle: ChaosCycle, configured: number): void {
    this.o.emit({ type: 'cycle', runId: this.runId, cycle, configured, at: this.now() })
  }

  /** Runs one named step, reporting it as started, done or failed. */
  async step<T>(name: string, host: HostHandle | undefined, fn: () => Promise<T>): Promise<T> {
    this.throwIfCancelled()
    const base = { type: 'step' as const, runId: this.runId, phase: this.phase, ...(host ? { host: host.name } : {}), step: name }
    this.o.emit({ ...base, status: 'started', at: this.now() })
    try {
      const r = await fn()
      this.o.emit({ ...base, status: 'done', at: this.now() })
      return r
    } catch (err) {
      this.o.emit({ ...base, status: 'failed', detail: err instanceof Error ? err.message : String(err), at: this.now() })
      throw err
    }
  }

  throwIfCancelled(): void {
    if (this.signal.aborted) throw new CancelledError()
  }

  /** Runs a command on a host, streaming its output into the run log. */
  async run(host: HostHandle, command: string, options: { timeoutMs?: number; stdin?: string; quiet?: boolean; show?: string; onStdoutLine?: (line: string) => void } = {}): Promise<ExecResult> {
    this.throwIfCancelled()
    this.log(`$ ${options.show ?? command}`, host, 'command')
    const r = await host.transport.exec(command, {
      timeoutMs: options.timeoutMs ?? 120_000,
      signal: this.signal,
      ...(options.stdin !== undefined ? { stdin: options.stdin } : {}),
      ...(options.quiet
        ? options.onStdoutLine
          ? { onStdout: options.onStdoutLine }
          : {}
        : { onStdout: (l: string) => (this.log(l, host, 'stdout'), options.onStdoutLine?.(l)), onStderr: (l: string) => this.log(l, host, 'stderr') }),
    })
    if (r.cancelled) throw new CancelledError()
    if (r.timedOut) this.log(`timed out after ${options.timeoutMs ?? 120_000} ms; the command's process group was killed`, host, 'info')
    return r
  }

  /** An ai-memory command line: the campaign's binary and environment, optionally in a folder. */
  aim(host: HostHandle, args: (string | number)[], options: { cwd?: string; env?: Record<string, string>; wrapper?: string[] } = {}): string {
    const env = { ...this.aimEnv(host), ...options.env }
    return `${options.cwd ? `cd ${q(options.cwd)} && ` : ''}${envPrefix(env)}${cmd(...(options.wrapper ?? []), this.campaign.ai_memory.binary, ...args)}`
  }

  /** A wait the protocol requires (settle polling, fault windows): counted as protocol time. */
  async sleep(ms: number): Promise<void> {
    this.throwIfCancelled()
    const end = this.o.accounting.begin()
    try {
      await new Promise<void>((resolve, reject) => {
        const t = setTimeout(() => {
          this.signal.removeEventListener('abort', onAbort)
          resolve()
        }, ms)
        const onAbort = () => {
          clearTimeout(t)
          reject(new CancelledError())
        }
        this.signal.addEventListener('abort', onAbort, { once: true })
      })
    } finally {
      end()
    }
  }

  /** Stores an artifact now, so a crash later loses nothing. */
  artifact(name: string, value: unknown): void {
    const text = typeof value === 'string' ? redact(value) : `${JSON.stringify(redactDeep(value), null, 2)}\n`
    this.o.putArtifact(name, Buffer.from(text))
  }

  /** An HTTP request made by curl on `from`: the droplets' API ports are reachable only inside their network. */
  async http(from: HostHandle, req: HttpRequest): Promise<HttpResponse> {
    const timeoutS = Math.max(1, Math.ceil((req.timeoutMs ?? 10_000) / 1000))
    const headers = Object.entries(req.headers ?? {}).flatMap(([k, v]) => ['-H', `${k}: ${v}`])
    // The API key never goes on a command line (other users see those in `ps`): a mode-600 file.
    const key = this.campaign.ai_memory.api_key ? ['-H', `@${from.workdir}/.api-key-header`] : []
    const body = req.body !== undefined ? ['--data-binary', '@-'] : []
    const command = cmd('curl', '-sS', '-i', '--max-time', timeoutS, '-X', req.method, ...key, ...headers, ...body, req.url)
    const r = await this.run(from, command, { timeoutMs: (timeoutS + 5) * 1000, quiet: true, ...(req.body !== undefined ? { stdin: req.body } : {}) })
    return parseCurlResponse(r.stdout, r.exitCode)
  }

  /**
   * POSTs requests in order from one curl process on `from` (one keep-alive connection, one
   * process for all): a curl config file is uploaded, each transfer reports its status code.
   */
  async postBatch(
    from: HostHandle,
    name: string,
    requests: BatchRequest[],
    timeoutMs: number,
    onResult?: (index: number, code: string, atMs: number) => void,
  ): Promise<{ codes: string[]; kept: string | null }> {
    const cfgPath = `${from.workdir}/curl-${name}.cfg`
    const keptPath = `${from.workdir}/curl-${name}.body`
    const blocks = requests.map((r, i) =>
      [
        `url = ${curlConfigString(r.url)}`,
        'request = "POST"',
        ...Object.entries({ ...this.apiHeaders(), ...r.headers }).map(([k, v]) => `header = ${curlConfigString(`${k}: ${v}`)}`),
        `data-binary = ${curlConfigString(r.body)}`,
        `output = ${curlConfigString(r.keepBody ? keptPath : '/dev/null')}`,
        // To stderr, which stdio never buffers: on stdout (a pipe) curl would hold every line until it exits,
        // and the moment each write ended, which proves writes met a fault, would be lost.
        `write-out = "%{stderr}R ${i} %{http_code}\\n"`,
        'max-time = 15',
      ].join('\n'),
    )
    await from.transport.upload(Buffer.from(`${blocks.join('\nnext\n')}\n`), cfgPath, 0o600)
    const r = await this.run(from, `curl -sS -K ${q(cfgPath)} 2>&1; rm -f ${q(cfgPath)}; cat ${q(keptPath)} 2>/dev/null | head -c 500 | base64 | tr -d '\\n' | sed 's/^/KEPT /'; rm -f ${q(keptPath)}`, {
      timeoutMs,
      quiet: true,
      show: `curl: ${requests.length} POST(s) to ${requests[0]?.url ?? '-'}`,
      // Each result line arrives as its transfer ends: when each write finished, on this clock.
      ...(onResult
        ? {
            onStdoutLine: (line: string) => {
              const m = /^R (\d+) (\d{3})$/.exec(line.trim())
              if (m) onResult(Number(m[1]), m[2] as string, Date.now())
            },
          }
        : {}),
    })
    const codes = requests.map(() => '000')
    let kept: string | null = null
    for (const line of r.stdout.split('\n')) {
      const m = /^R (\d+) (\d{3})$/.exec(line.trim())
      if (m) codes[Number(m[1])] = m[2] as string
      else if (line.startsWith('KEPT ')) kept = Buffer.from(line.slice(5), 'base64').toString('utf8')
    }
    return { codes, kept }
  }

  /**
   * Lists the memories of a namespace on a node by paging `GET /api/v1/memories` with an explicit
   * limit and offset until a short page: never the silently capped first page. Returns the count
   * and the titles (acknowledged writes are matched by title, not by the namespace count).
   */
  async listNamespace(from: HostHandle, baseUrl: string, namespace: string): Promise<{ count: number | null; titles: Set<string>; pages: number; error?: string }> {
    const titles = new Set<string>()
    let count = 0
    let previousFirst: string | null = null
    const fail = (pages: number, error: string) => ({ count: null, titles, pages, error })
    for (let page = 0; page < MAX_PAGES; page++) {
      const url = `${baseUrl}/api/v1/memories?namespace=${encodeURIComponent(namespace)}&limit=${PAGE}&offset=${page * PAGE}`
      const res = await this.http(from, { method: 'GET', url, timeoutMs: 10_000 })
      if (res.status !== 200) return fail(page, res.status === 0 ? `no answer from ${baseUrl}` : `HTTP ${res.status} from ${baseUrl}`)
      let memories: { id?: unknown; title?: unknown }[]
      try {
        const parsed = JSON.parse(res.body) as { memories?: unknown }
        if (!Array.isArray(parsed.memories)) throw new Error('no memories array')
        memories = parsed.memories as { id?: unknown; title?: unknown }[]
      } catch (err) {
        return fail(page, `unreadable list response from ${baseUrl}: ${(err as Error).message}`)
      }
      const first = typeof memories[0]?.id === 'string' ? (memories[0].id as string) : null
      if (first !== null && first === previousFirst) return fail(page, `${baseUrl} ignores offset: pages repeat`)
      previousFirst = first
      count += memories.length
      for (const m of memories) if (typeof m.title === 'string') titles.add(m.title)
      if (memories.length < PAGE) return { count, titles, pages: page + 1 }
    }
    return fail(MAX_PAGES, `more than ${MAX_PAGES * PAGE} memories in ${namespace}`)
  }
}

/** Parses `curl -i` output: skips interim 1xx responses, reads the status, headers and body. */
export function parseCurlResponse(stdout: string, exitCode: number | null): HttpResponse {
  let rest = stdout
  for (;;) {
    const m = /^HTTP\/[\d.]+ (\d{3})[^\r\n]*\r?\n/.exec(rest)
    if (!m) return { status: 0, headers: {}, body: stdout, curlExit: exitCode }
    const end = rest.search(/\r?\n\r?\n/)
    const head = end >= 0 ? rest.slice(0, end) : rest
    const status = Number(m[1])
    const sepLength = end >= 0 ? (rest.slice(end).startsWith('\r\n\r\n') ? 4 : 2) : 0
    const body = end >= 0 ? rest.slice(end + sepLength) : ''
    if (status >= 100 && status < 200) {
      rest = body
      continue
    }
    const headers: Record<string, string> = {}
    for (const line of head.split(/\r?\n/).slice(1)) {
      const i = line.indexOf(':')
      if (i > 0) headers[line.slice(0, i).trim().toLowerCase()] = line.slice(i + 1).trim()
    }
    return { status, headers, body, curlExit: exitCode }
  }
}
