// `ai-memory serve`: the HTTP API the phases use, with W-of-N quorum writes fanned out to peers
// through /api/v1/sync/push as ai-memory v0.6.0 does (src/handlers.rs, src/federation.rs).
import { randomBytes, timingSafeEqual } from 'node:crypto'
import http from 'node:http'
import type { Bugs } from './bugs'
import { type MemoryRow, type MemoryStore, validateNew } from './store'

export interface ServeOptions {
  host: string
  port: number
  quorumWrites: number
  quorumPeers: string[]
  quorumTimeoutMs: number
  agentId: string
  version: string
  /** `api_key` of config.toml: every route but health needs it (handlers.rs:82-125). */
  apiKey?: string | null
}

/** The receiver's identity when no X-Agent-Id is given (identity.rs:176-195). */
export function anonymousAgentId(): string {
  return `anonymous:req-${randomBytes(4).toString('hex')}`
}

/** handlers.rs:82-125: X-API-Key, or a raw (not percent-decoded) `api_key=` pair of the query. */
export function apiKeyAccepted(expected: string, header: string | string[] | undefined, rawQuery: string): boolean {
  const same = (v: string) => {
    const a = Buffer.from(v)
    const b = Buffer.from(expected)
    return a.length === b.length && timingSafeEqual(a, b)
  }
  if (typeof header === 'string' && same(header)) return true
  return rawQuery.split('&').some((pair) => pair.startsWith('api_key=') && same(pair.slice('api_key='.length)))
}

/** axum's Json extractor: 415 without a JSON content type, 400 for unparseable JSON (handlers.rs:995-1033). */
function jsonRejection(req: http.IncomingMessage, raw: string): { status: number; error: string } | { body: unknown } {
  const type = String(req.headers['content-type'] ?? '')
  if (!/^application\/(?:[^;]*\+)?json\s*(;|$)/i.test(type)) return { status: 415, error: "Expected request with `Content-Type: application/json`" }
  try {
    return { body: JSON.parse(raw) as unknown }
  } catch (err) {
    return { status: 400, error: `Failed to parse the request body as JSON: ${(err as Error).message}` }
  }
}

const BODY_LIMIT = 2 * 1024 * 1024
/** MAX_BULK_SIZE of handlers.rs: memories per sync push. */
const MAX_BULK_SIZE = 1000
const CONNECT_TIMEOUT_MS = 2000
const AGENT_ID = /^[A-Za-z0-9_\-:@./]{1,128}$/

type Ack = 'ack' | 'unreachable' | 'timeout'

const agent = new http.Agent({ keepAlive: true, maxSockets: 64 })

/** POSTs one memory to a peer's sync endpoint; resolves with how the peer answered. */
function push(peer: string, body: string, timeoutMs: number, idempotencyKey: string): { done: Promise<Ack>; abort: () => void } {
  let req: http.ClientRequest | null = null
  const done = new Promise<Ack>((resolve) => {
    const url = new URL('/api/v1/sync/push', peer)
    let connected = false
    req = http.request(
      url,
      { method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), 'idempotency-key': idempotencyKey } },
      (res) => {
        res.resume()
        res.on('end', () => resolve(res.statusCode && res.statusCode < 300 ? 'ack' : 'unreachable'))
        res.on('error', () => resolve('unreachable'))
      },
    )
    const overall = setTimeout(() => {
      resolve(connected ? 'timeout' : 'unreachable')
      req?.destroy()
    }, timeoutMs)
    req.on('socket', (s) => {
      if (!s.connecting) connected = true
      else {
        const connectTimer = setTimeout(() => req?.destroy(new Error('connect timeout')), Math.min(CONNECT_TIMEOUT_MS, timeoutMs))
        s.once('connect', () => {
          connected = true
          clearTimeout(connectTimer)
        })
      }
    })
    req.on('error', () => resolve(connected ? 'timeout' : 'unreachable'))
    req.on('close', () => clearTimeout(overall))
    req.end(body)
  })
  return { done, abort: () => req?.destroy() }
}

interface QuorumOutcome {
  met: boolean
  got: number
  needed: number
  reason: 'unreachable' | 'timeout'
}

/**
 * The W-of-N write (federation.rs:76-365): the local commit counts one; peers are pushed in
 * parallel until W acks or the deadline; the rest are left running (PR #309). W is clamped to N.
 * The 503 reason is finalise()'s (replication.rs:205-246): past the deadline with no peer ack →
 * `unreachable`; past it with some → `timeout`; every peer answered (refused) before the deadline →
 * InFlight, which the payload shows as `timeout` (federation.rs:350-362).
 */
async function fanOut(mem: MemoryRow, o: ServeOptions, bugs: Bugs): Promise<QuorumOutcome> {
  const needed = Math.min(o.quorumWrites, o.quorumPeers.length + 1)
  let got = 1 // the local commit
  const body = JSON.stringify({ sender_agent_id: o.agentId, memories: [mem], dry_run: false })
  const deadline = Date.now() + o.quorumTimeoutMs
  if (bugs['drop-fanout']) {
    // The r14 bug: once the quorum is met the remaining fan-outs are aborted and never delivered.
    for (const peer of o.quorumPeers) {
      if (got >= needed) break
      const r = await push(peer, body, Math.max(1, deadline - Date.now()), mem.id).done
      if (r === 'ack') got++
    }
  } else {
    // Remaining fan-outs after the quorum keep running, detached (PR #309).
    const pending = o.quorumPeers.map((peer) => push(peer, body, o.quorumTimeoutMs, mem.id).done)
    if (got < needed) {
      await new Promise<void>((resolve) => {
        let settled = 0
        for (const p of pending) {
          void p.then((r) => {
            settled++
            if (r === 'ack') got++
            if (got >= needed || settled === pending.length) resolve()
          })
        }
      })
    }
  }
  const pastDeadline = Date.now() >= deadline
  return { met: got >= needed, got, needed, reason: pastDeadline && got === 1 ? 'unreachable' : 'timeout' }
}

function send(res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body)
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), ...headers })
  res.end(text)
}

function readBody(req: http.IncomingMessage): Promise<string | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    let size = 0
    req.on('data', (c: Buffer) => {
      size += c.length
      if (size > BODY_LIMIT) {
        resolve(null)
        req.resume()
        return
      }
      chunks.push(c)
    })
    req.on('end', () => resolve(size > BODY_LIMIT ? null : Buffer.concat(chunks).toString('utf8')))
    req.on('error', reject)
  })
}

export function startServer(store: MemoryStore, o: ServeOptions, bugs: Bugs): Promise<http.Server> {
  const federated = o.quorumWrites > 0 && o.quorumPeers.length > 0
  const rejected = bugs['reject-source'] ? [bugs['reject-source']] : []
  const server = http.createServer((req, res) => {
    void handle(req, res).catch((err: unknown) => send(res, 500, { error: err instanceof Error ? err.message : String(err) }))
  })

  async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://localhost')
    const route = `${req.method} ${url.pathname}`
    if (o.apiKey && url.pathname !== '/api/v1/health') {
      const rawQuery = (req.url ?? '').split('?')[1] ?? ''
      if (!apiKeyAccepted(o.apiKey, req.headers['x-api-key'], rawQuery)) return send(res, 401, { error: 'missing or invalid API key' })
    }
    if (route === 'GET /api/v1/health') return send(res, 200, { status: 'ok', service: 'ai-memory' })
    if (route === 'GET /api/v1/stats') return send(res, 200, store.stats())
    if (route === 'GET /api/v1/namespaces') return send(res, 200, { namespaces: store.namespaces() })
    if (route === 'GET /api/v1/memories') {
      const limit = Math.min(Number(url.searchParams.get('limit') ?? 20) || 20, 200)
      const offset = Math.max(Number(url.searchParams.get('offset') ?? 0) || 0, 0)
      const memories = store.list({ namespace: url.searchParams.get('namespace') ?? undefined, tier: url.searchParams.get('tier') ?? undefined, limit, offset })
      return send(res, 200, { memories, count: memories.length })
    }
    if (route === 'POST /api/v1/memories') {
      const raw = await readBody(req)
      if (raw === null) return send(res, 413, { error: 'payload too large' })
      const parsed = jsonRejection(req, raw)
      if (!('body' in parsed)) return send(res, parsed.status, { error: parsed.error })
      if (typeof parsed.body !== 'object' || parsed.body === null || Array.isArray(parsed.body)) return send(res, 422, { error: 'Failed to deserialize the JSON body into the target type: invalid type: expected struct CreateMemory' })
      const body = parsed.body as Record<string, unknown>
      for (const field of ['title', 'content']) {
        if (!(field in body)) return send(res, 422, { error: `Failed to deserialize the JSON body into the target type: missing field \`${field}\`` })
      }
      const problem = validateNew(body as never, rejected)
      if (problem) return send(res, 400, { error: problem })
      const headerAgent = req.headers['x-agent-id']
      const agentId = typeof body.agent_id === 'string' ? body.agent_id : typeof headerAgent === 'string' && headerAgent !== '' ? headerAgent : anonymousAgentId()
      if (!AGENT_ID.test(agentId)) return send(res, 400, { error: 'invalid agent_id' })
      const metadata = typeof body.metadata === 'object' && body.metadata !== null ? (body.metadata as Record<string, unknown>) : {}
      const mem = store.create({
        title: body.title as string,
        content: body.content as string,
        ...(typeof body.tier === 'string' ? { tier: body.tier } : {}),
        ...(typeof body.namespace === 'string' ? { namespace: body.namespace } : {}),
        ...(Array.isArray(body.tags) ? { tags: body.tags.filter((t): t is string => typeof t === 'string') } : {}),
        ...(typeof body.priority === 'number' ? { priority: body.priority } : {}),
        ...(typeof body.confidence === 'number' ? { confidence: body.confidence } : {}),
        source: typeof body.source === 'string' ? body.source : 'api',
        agent_id: agentId,
        metadata: { ...metadata, agent_id: agentId },
      })
      const created = { id: mem.id, tier: mem.tier, namespace: mem.namespace, title: mem.title, agent_id: agentId }
      if (!federated) return send(res, 201, created)
      const q = await fanOut(mem, o, bugs)
      // The local write is not rolled back on 503, as in ai-memory.
      // Bug switch quorum-never-ok: 503 even when the quorum was met.
      if ((!q.met && !bugs['quorum-always-ok']) || bugs['quorum-never-ok']) return send(res, 503, { error: 'quorum_not_met', got: q.got, needed: q.needed, reason: q.reason }, { 'retry-after': '2' })
      return send(res, 201, { ...created, quorum_acks: q.got })
    }
    if (route === 'POST /api/v1/sync/push') {
      // handlers.rs:1661-1756
      const raw = await readBody(req)
      if (raw === null) return send(res, 413, { error: 'payload too large' })
      const parsed = jsonRejection(req, raw)
      if (!('body' in parsed)) return send(res, parsed.status, { error: parsed.error })
      const body = parsed.body as { sender_agent_id?: unknown; memories?: unknown; dry_run?: unknown }
      if (typeof body !== 'object' || body === null || typeof body.sender_agent_id !== 'string' || !Array.isArray(body.memories)) {
        return send(res, 422, { error: 'Failed to deserialize the JSON body into the target type: missing field `sender_agent_id` or `memories`' })
      }
      if (!AGENT_ID.test(body.sender_agent_id)) return send(res, 400, { error: `invalid sender_agent_id: agent_id contains an invalid character or is empty or too long` })
      if (body.memories.length > MAX_BULK_SIZE) return send(res, 400, { error: `sync_push limited to ${MAX_BULK_SIZE} memories per request` })
      const headerAgent = req.headers['x-agent-id']
      const receiver = typeof headerAgent === 'string' && headerAgent !== '' ? headerAgent : anonymousAgentId()
      if (!AGENT_ID.test(receiver)) return send(res, 400, { error: 'invalid x-agent-id' })
      const dryRun = body.dry_run === true
      let applied = 0
      let noop = 0
      let skipped = 0
      for (const m of body.memories as MemoryRow[]) {
        // validate_memory: an invalid memory is skipped, the push still answers 200.
        if (typeof m !== 'object' || m === null || typeof m.id !== 'string' || typeof m.updated_at !== 'string' || typeof m.created_at !== 'string' || validateNew({ ...m, expires_at: null }, []) !== null) {
          skipped++
          continue
        }
        if (dryRun) {
          noop++
          continue
        }
        try {
          store.insertIfNewer({ ...m, tags: Array.isArray(m.tags) ? m.tags : [], metadata: m.metadata ?? {}, access_count: m.access_count ?? 0, last_accessed_at: m.last_accessed_at ?? null, expires_at: m.expires_at ?? null, agent_id: m.agent_id ?? null, source: m.source ?? 'api', priority: m.priority ?? 5, confidence: m.confidence ?? 1, tier: m.tier ?? 'mid', namespace: m.namespace ?? 'global' })
          applied++
        } catch {
          skipped++
        }
      }
      return send(res, 200, { applied, dry_run: dryRun, noop, receiver_agent_id: receiver, receiver_clock: { entries: {} }, skipped })
    }
    return send(res, 404, { error: 'not found' })
  }

  return new Promise((resolve, reject) => {
    server.once('error', reject)
    server.listen(o.port, o.host, () => resolve(server))
  })
}
