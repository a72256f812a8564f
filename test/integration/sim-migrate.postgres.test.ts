// src-main/sim/migrate.ts against PostgreSQL: the bundled PGlite server (real PostgreSQL in WebAssembly, with and without
// pgvector), each test naming the lines of ai-memory v0.6.0 it reproduces.

import { connect, createServer, type Server, type Socket } from 'node:net'
import { join } from 'node:path'
import { freePorts } from '../../src-main/demo/demo'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { MemoryStore, type MemoryRow } from '../../src-main/sim/store'
import { useTmp } from '../helpers/tmp'
import { aim, aimAsync, startPglite, type Pglite } from '../helpers/sim'

const tmp = useTmp()

function row(over: Partial<MemoryRow> & { title: string }): MemoryRow {
  const now = new Date().toISOString()
  return { id: `id-${over.title}-${Math.random().toString(16).slice(2)}`, tier: 'mid', namespace: 'ns', content: 'c', tags: [], priority: 5, confidence: 1, source: 'cli', access_count: 0, created_at: now, updated_at: now, last_accessed_at: null, expires_at: null, metadata: {}, agent_id: null, ...over }
}

describe('Postgres through PGlite', { timeout: 240_000 }, () => {
  let withVector: Pglite
  let noVector: Pglite
  beforeAll(async () => {
    ;[withVector, noVector] = await Promise.all([startPglite(), startPglite(['--no-vector'])])
  }, 240_000)
  afterAll(async () => {
    await Promise.all([withVector?.stop(), noVector?.stop()])
  })

  it('a server without pgvector: exit 1, nothing on stdout, the anyhow chain on stderr (postgres_schema.sql:22, postgres.rs:97-104, main.rs:4236-4242)', () => {
    const d = tmp()
    expect(aim(['--db', join(d, 'src.db'), 'store', '--title', 't', '--content', 'c', '--namespace', 'p'], { cwd: d }).code).toBe(0)
    const r = aim(['migrate', '--from', `sqlite://${join(d, 'src.db')}`, '--to', noVector.url, '--batch', '500', '--json'], { cwd: d })
    expect(r.code).toBe(1)
    expect(r.stdout).toBe('')
    expect(r.stderr).toBe(
      'Error: open destination store\n\nCaused by:\n    0: connect postgres adapter\n    1: backend unavailable: postgres: init schema: error returned from database: extension "vector" is not available\n',
    )
  })

  it('a Postgres list is clamped to 1000 rows: 1200 in, the reverse gives 1000 and no error (postgres.rs:416; migrate.rs:131-177 one list)', () => {
    const d = tmp()
    const src = new MemoryStore(join(d, 'src.db'))
    src.db.transaction(() => {
      for (let i = 1; i <= 1200; i++) src.insert(row({ title: `clamp-${i}`, namespace: 'clamp' }))
    })()
    src.close()
    const fwd = aim(['migrate', '--from', `sqlite://${join(d, 'src.db')}`, '--to', withVector.url, '--batch', '500', '--json'], { cwd: d, timeoutMs: 180_000 })
    expect(fwd.code, fwd.stderr).toBe(0)
    expect(JSON.parse(fwd.stdout)).toMatchObject({ memories_read: 1200, memories_written: 1200, batches: 1, errors: [] })
    const again = aim(['migrate', '--from', `sqlite://${join(d, 'src.db')}`, '--to', withVector.url, '--json'], { cwd: d, timeoutMs: 180_000 })
    expect(JSON.parse(again.stdout)).toMatchObject({ memories_written: 1200, errors: [] })
    const back = aim(['migrate', '--from', withVector.url, '--to', `sqlite://${join(d, 'dst.db')}`, '--namespace', 'clamp', '--json'], { cwd: d, timeoutMs: 180_000 })
    expect(back.code, back.stderr).toBe(0)
    expect(JSON.parse(back.stdout)).toMatchObject({ memories_read: 1000, memories_written: 1000, errors: [] })
    const stats = JSON.parse(aim(['--db', join(d, 'dst.db'), 'stats', '--json'], { cwd: d }).stdout) as { total: number }
    expect(stats.total).toBe(1000)
  })

  it('the bug switch idempotent-dup makes the second identical migration collide instead of upserting (postgres.rs:270-300 is what it breaks)', () => {
    const d = tmp()
    const src = new MemoryStore(join(d, 'src.db'))
    for (let i = 1; i <= 3; i++) src.insert(row({ title: `dup-${i}`, namespace: 'dup' }))
    src.close()
    const env = { AI_MEMORY_SIM_BUGS: 'idempotent-dup' }
    const args = ['migrate', '--from', `sqlite://${join(d, 'src.db')}`, '--to', withVector.url, '--json']
    expect(JSON.parse(aim(args, { cwd: d, env }).stdout)).toMatchObject({ memories_written: 3, errors: [] })
    const second = aim(args, { cwd: d, env })
    expect(second.code).toBe(1)
    const report = JSON.parse(second.stdout) as { memories_written: number; errors: string[] }
    expect(report.memories_written).toBe(0)
    expect(report.errors[0]).toMatch(/duplicate key value violates unique constraint/)
  })
})

/** A TCP relay to `target` that starts listening on `port` only after `delayMs`: a server still coming up. */
function lateRelay(port: number, target: URL, delayMs: number): { close: () => void; error: () => Error | null } {
  const sockets: Socket[] = []
  let server: Server | null = null
  let failure: Error | null = null
  const timer = setTimeout(() => {
    server = createServer((inbound) => {
      const outbound = connect(Number(target.port), target.hostname)
      sockets.push(inbound, outbound)
      inbound.pipe(outbound).pipe(inbound)
      inbound.on('error', () => outbound.destroy())
      outbound.on('error', () => inbound.destroy())
    })
    // The port was free when chosen; if something took it meanwhile, the test says so instead of crashing.
    server.on('error', (e) => (failure = e))
    server.listen(port, '127.0.0.1')
  }, delayMs)
  return {
    error: () => failure,
    close: () => {
      clearTimeout(timer)
      for (const s of sockets) s.destroy()
      server?.close()
    },
  }
}

describe('connecting to Postgres (sqlx pool: postgres.rs:64, 86-96)', { timeout: 240_000 }, () => {
  let pg: Pglite
  beforeAll(async () => {
    pg = await startPglite()
  }, 240_000)
  afterAll(async () => {
    await pg?.stop()
  })

  it('a refused connection is retried: a server that comes up within the 30 s acquire timeout is used', async () => {
    const d = tmp()
    expect(aim(['--db', join(d, 'src.db'), 'store', '--title', 't', '--content', 'c', '--namespace', 'p'], { cwd: d }).code).toBe(0)
    const [port] = await freePorts(1)
    const target = new URL(pg.url)
    // Taken before the relay's timer starts, so the server cannot be up sooner than 3 s after it.
    const started = Date.now()
    const relay = lateRelay(port as number, target, 3000)
    try {
      const to = `${target.protocol}//${target.username}${target.password ? `:${target.password}` : ''}@127.0.0.1:${port}${target.pathname}`
      const r = await aimAsync(['migrate', '--from', `sqlite://${join(d, 'src.db')}`, '--to', to, '--json'], { cwd: d })
      expect(relay.error()).toBeNull()
      expect(r.code, r.stderr).toBe(0)
      expect(Date.now() - started).toBeGreaterThanOrEqual(3000)
      expect(JSON.parse(r.stdout)).toMatchObject({ memories_read: 1, memories_written: 1, errors: [] })
    } finally {
      relay.close()
    }
  })

  it('nobody listening for the whole 30 s: `connect: pool timed out while waiting for an open connection`, exit 1, nothing on stdout', async () => {
    const d = tmp()
    expect(aim(['--db', join(d, 'src.db'), 'store', '--title', 't', '--content', 'c', '--namespace', 'p'], { cwd: d }).code).toBe(0)
    const [port] = await freePorts(1)
    const started = Date.now()
    const r = await aimAsync(['migrate', '--from', `sqlite://${join(d, 'src.db')}`, '--to', `postgres://ai:x@127.0.0.1:${port}/ai`, '--json'], { cwd: d })
    expect(Date.now() - started).toBeGreaterThanOrEqual(29_000)
    expect(r.code).toBe(1)
    expect(r.stdout).toBe('')
    expect(r.stderr).toBe('Error: open destination store\n\nCaused by:\n    0: connect postgres adapter\n    1: backend unavailable: postgres: connect: pool timed out while waiting for an open connection\n')
  })
})
