// The simulated `ai-memory serve` against the real v0.6.0 source (each test names its lines):
// the process as ps shows it, its signals, the API key, axum's JSON rejections, sync push, and
// the 503 reasons of a quorum write.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { createServer as createHttpServer } from 'node:http'
import { createServer, type Server, type Socket } from 'node:net'
import { hostname } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { freePorts } from '../../src-main/demo/demo'
import { useTmp } from '../helpers/tmp'
import { SIM } from '../helpers/sim'

const tmp = useTmp()
const started: ChildProcess[] = []
afterEach(() => {
  for (const c of started.splice(0)) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL')
})

interface Serve {
  child: ChildProcess
  port: number
  base: string
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>
}

async function serve(dir: string, extra: string[] = [], env: Record<string, string | undefined> = {}, port?: number): Promise<Serve> {
  const p = port ?? (await freePorts(1))[0] as number
  const e: Record<string, string> = {}
  for (const [k, v] of Object.entries({ ...process.env, HOME: dir, AI_MEMORY_NO_CONFIG: '1', ...env })) if (v !== undefined) e[k] = v
  const child = spawn(SIM, ['--db', join(dir, 'serve.db'), 'serve', '--host', '127.0.0.1', '--port', String(p), ...extra], { cwd: dir, env: e, stdio: ['ignore', 'ignore', 'pipe'] })
  started.push(child)
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((r) => child.once('exit', (code, signal) => r({ code, signal })))
  const base = `http://127.0.0.1:${p}`
  // Ready when the health route answers (a condition, not a sleep).
  for (;;) {
    if (child.exitCode !== null) throw new Error('serve exited before it listened')
    const ok = await fetch(`${base}/api/v1/health`).then((r) => r.ok, () => false)
    if (ok) break
    await new Promise((r) => setTimeout(r, 100))
  }
  return { child, port: p, base, exited }
}

const post = (url: string, body: unknown, headers: Record<string, string> = { 'content-type': 'application/json' }) =>
  fetch(url, { method: 'POST', headers, body: typeof body === 'string' ? body : JSON.stringify(body) })

describe('serve as a process (main.rs:1014-1019)', { timeout: 60_000 }, () => {
  it('shows as `ai-memory --db … serve --host … --port …` to ps and pgrep -f, not as node', async () => {
    const d = tmp()
    const s = await serve(d)
    const cmdline = readFileSync(`/proc/${s.child.pid}/cmdline`, 'utf8').replace(/\0+/g, ' ').trim()
    expect(cmdline).toBe(`ai-memory --db ${join(d, 'serve.db')} serve --host 127.0.0.1 --port ${s.port}`)
    const found = spawnSync('pgrep', ['-f', `serve --host 127.0.0.1 --port ${s.port}`], { encoding: 'utf8' }).stdout.trim().split('\n')
    expect(found).toContain(String(s.child.pid))
  })

  it('SIGINT is a graceful shutdown with exit 0; SIGTERM has no handler, so the process dies of it', async () => {
    const d = tmp()
    const a = await serve(d)
    a.child.kill('SIGINT')
    expect(await a.exited).toEqual({ code: 0, signal: null })
    const b = await serve(d)
    b.child.kill('SIGTERM')
    expect(await b.exited).toEqual({ code: null, signal: 'SIGTERM' })
  })
})

describe('the HTTP API', { timeout: 60_000 }, () => {
  it('with api_key in config.toml every route but health needs X-API-Key or a raw ?api_key= (handlers.rs:82-125)', async () => {
    const d = tmp()
    mkdirSync(join(d, '.config', 'ai-memory'), { recursive: true })
    writeFileSync(join(d, '.config', 'ai-memory', 'config.toml'), 'api_key = "s3cr%20t"\n')
    const s = await serve(d, [], { AI_MEMORY_NO_CONFIG: undefined })
    expect((await fetch(`${s.base}/api/v1/health`)).status).toBe(200)
    const denied = await fetch(`${s.base}/api/v1/stats`)
    expect(denied.status).toBe(401)
    expect(await denied.json()).toEqual({ error: 'missing or invalid API key' })
    expect((await fetch(`${s.base}/api/v1/stats`, { headers: { 'X-API-Key': 's3cr%20t' } })).status).toBe(200)
    // The query value is compared raw, not percent-decoded.
    expect((await fetch(`${s.base}/api/v1/stats?api_key=s3cr%20t`)).status).toBe(200)
    expect((await fetch(`${s.base}/api/v1/stats?api_key=s3cr%2520t`)).status).toBe(401)
  })

  it('a malformed config.toml is ignored whole, api_key included (config.rs:541-552)', async () => {
    const d = tmp()
    mkdirSync(join(d, '.config', 'ai-memory'), { recursive: true })
    writeFileSync(join(d, '.config', 'ai-memory', 'config.toml'), 'api_key = "k"\nthis is not toml\n')
    const s = await serve(d, [], { AI_MEMORY_NO_CONFIG: undefined })
    expect((await fetch(`${s.base}/api/v1/stats`)).status).toBe(200)
  })

  it("axum's JSON rejections: 415 without a JSON type, 422 for a missing field, 400 for validation; list limit default 20, max 200; anonymous:req-<8hex> (handlers.rs:995-1033, identity.rs:176-195)", async () => {
    const d = tmp()
    const s = await serve(d)
    const url = `${s.base}/api/v1/memories`
    expect((await post(url, { title: 't', content: 'c' }, { 'content-type': 'text/plain' })).status).toBe(415)
    expect((await post(url, { title: 't' })).status).toBe(422)
    expect((await post(url, { title: 't', content: 'c', tier: 'forever' })).status).toBe(400)
    const created = (await (await post(url, { title: 't', content: 'c', namespace: 'n' })).json()) as { agent_id: string }
    expect(created.agent_id).toMatch(/^anonymous:req-[0-9a-f]{8}$/)
    for (let i = 0; i < 230; i++) await post(url, { title: `m${i}`, content: 'c', namespace: 'n' })
    expect(((await (await fetch(url)).json()) as { memories: unknown[] }).memories).toHaveLength(20)
    expect(((await (await fetch(`${url}?limit=500`)).json()) as { memories: unknown[] }).memories).toHaveLength(200)
  })

  it('sync push: a bad sender_agent_id is 400; invalid memories are skipped with 200; the body is {applied, dry_run, noop, receiver_agent_id, receiver_clock, skipped} (handlers.rs:1661-1756)', async () => {
    const d = tmp()
    const s = await serve(d)
    const url = `${s.base}/api/v1/sync/push`
    const now = new Date().toISOString()
    const good = { id: 'a1', tier: 'mid', namespace: 'n', title: 'synced', content: 'c', tags: [], priority: 5, confidence: 1, source: 'api', access_count: 0, created_at: now, updated_at: now, metadata: {} }
    expect((await post(url, { sender_agent_id: 'bad agent!', memories: [good] })).status).toBe(400)
    const r = await post(url, { sender_agent_id: 'node-a', memories: [good, { ...good, id: 'a2', title: '' }] }, { 'content-type': 'application/json', 'x-agent-id': 'node-b' })
    expect(r.status).toBe(200)
    const body = (await r.json()) as Record<string, unknown>
    expect(Object.keys(body).sort()).toEqual(['applied', 'dry_run', 'noop', 'receiver_agent_id', 'receiver_clock', 'skipped'])
    expect(body).toMatchObject({ applied: 1, skipped: 1, noop: 0, dry_run: false, receiver_agent_id: 'node-b' })
  })
})

describe('quorum writes: the 503 reason (replication.rs:205-246, federation.rs:76-365)', { timeout: 90_000 }, () => {
  const write = (s: Serve) => post(`${s.base}/api/v1/memories`, { title: `q-${Math.random()}`, content: 'c', namespace: 'q' })

  it('every peer refuses before the deadline → `timeout` (finalise before the deadline is InFlight, shown as timeout)', async () => {
    const d = tmp()
    const [p1, p2] = await freePorts(2)
    const s = await serve(d, ['--quorum-writes', '2', '--quorum-peers', `http://127.0.0.1:${p1},http://127.0.0.1:${p2}`, '--quorum-timeout-ms', '20000'])
    const r = await write(s)
    expect(r.status).toBe(503)
    expect(await r.json()).toEqual({ error: 'quorum_not_met', got: 1, needed: 2, reason: 'timeout' })
  })

  it('no ack by the deadline (peers accept and never answer) → `unreachable`', async () => {
    const d = tmp()
    const sockets: Socket[] = []
    const silent: Server = createServer((sock) => void sockets.push(sock))
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', () => r()))
    const port = (silent.address() as { port: number }).port
    try {
      const s = await serve(d, ['--quorum-writes', '2', '--quorum-peers', `http://127.0.0.1:${port}`, '--quorum-timeout-ms', '500'])
      const r = await write(s)
      expect(r.status).toBe(503)
      expect(await r.json()).toMatchObject({ got: 1, needed: 2, reason: 'unreachable' })
    } finally {
      for (const sock of sockets) sock.destroy()
      silent.close()
    }
  })

  it('the fan-out names its sender host:<hostname>, whatever --agent-id says (main.rs:953-960)', async () => {
    const d = tmp()
    const bodies: string[] = []
    const peer = createHttpServer((req, res) => {
      let text = ''
      req.on('data', (c: Buffer) => (text += c.toString()))
      req.on('end', () => {
        bodies.push(text)
        res.writeHead(200, { 'content-type': 'application/json' }).end('{"applied":1,"noop":0,"skipped":0,"dry_run":false,"receiver_agent_id":"peer","receiver_clock":{"entries":{}}}')
      })
    })
    await new Promise<void>((r) => peer.listen(0, '127.0.0.1', () => r()))
    try {
      const port = (peer.address() as { port: number }).port
      const s = await serve(d, ['--agent-id', 'someone-else', '--quorum-writes', '2', '--quorum-peers', `http://127.0.0.1:${port}`])
      expect((await write(s)).status).toBe(201)
      expect(bodies.map((b) => (JSON.parse(b) as { sender_agent_id: string }).sender_agent_id)).toEqual([`host:${hostname()}`])
    } finally {
      peer.close()
    }
  })

  it('W is clamped to N: W=5 with two healthy peers is met with 3 acks', async () => {
    const d = tmp()
    const [pb, pc] = await freePorts(2)
    mkdirSync(join(d, 'b'))
    mkdirSync(join(d, 'c'))
    await serve(join(d, 'b'), [], {}, pb)
    await serve(join(d, 'c'), [], {}, pc)
    const s = await serve(d, ['--quorum-writes', '5', '--quorum-peers', `http://127.0.0.1:${pb},http://127.0.0.1:${pc}`])
    const r = await write(s)
    expect(r.status).toBe(201)
    expect(await r.json()).toMatchObject({ quorum_acks: 3 })
  })
})

describe('the semantic embedder (embeddings.rs:14-20, 54-63)', { timeout: 60_000 }, () => {
  it('the first use downloads MiniLM into the HF cache (its refs/main marker); the keyword tier loads nothing', async () => {
    const d = tmp()
    const marker = join(d, '.cache', 'huggingface', 'hub', 'models--sentence-transformers--all-MiniLM-L6-v2', 'refs', 'main')
    const env = { AI_MEMORY_SIM_EMBEDDER_DOWNLOAD_MS: '50' }
    spawnSync(SIM, ['--db', join(d, 'm.db'), 'recall', 'x', '--tier', 'keyword'], { cwd: d, env: { ...process.env, HOME: d, AI_MEMORY_NO_CONFIG: '1', ...env } })
    expect(existsSync(marker)).toBe(false)
    const s = await serve(d, [], env)
    expect(existsSync(marker)).toBe(true)
    s.child.kill('SIGINT')
    await s.exited
  })
})
