// `ai-memory migrate --from URL --to URL` as v0.6.0 does it (src/migrate.rs, src/main.rs:4236-4275):
// the source opened, then the destination; one `list` of every row, deduplicated by id, each row
// written with the destination's upsert; `batches` is 1 whatever `--batch` says. Postgres is a real
// server (the bundled PGlite or any other) reached with node-postgres, and its schema starts with
// `CREATE EXTENSION IF NOT EXISTS vector` (postgres_schema.sql:22), so a server without pgvector is
// refused exactly as the real binary refuses it.
import type { Bugs } from './bugs'
import { MemoryStore, type MemoryRow } from './store'

export interface MigrateReport {
  batches: number
  dry_run: boolean
  errors: string[]
  from_url: string
  memories_read: number
  memories_written: number
  to_url: string
}

/** An anyhow error with its chain of contexts: printed as `Error: …` / `Caused by:` / `    0: …`. */
export class ChainError extends Error {
  constructor(
    readonly context: string,
    readonly causes: string[],
  ) {
    super(context)
  }

  /** anyhow's Debug format (what `fn main() -> Result<()>` prints on stderr). */
  render(): string {
    if (this.causes.length === 0) return `Error: ${this.context}\n`
    const lines = this.causes.length === 1 ? [`    ${this.causes[0]}`] : this.causes.map((c, i) => `${String(i).padStart(5)}: ${c}`)
    return `Error: ${this.context}\n\nCaused by:\n${lines.join('\n')}\n`
  }
}

interface Backend {
  /** MemoryStore::list with no filter but the namespace (migrate.rs:133-139). */
  list(namespace: string | undefined, limit: number): Promise<MemoryRow[]>
  /** MemoryStore::store: the backend's upsert on (title, namespace). */
  store(row: MemoryRow): Promise<void>
  close(): Promise<void>
}

/** The part of postgres_schema.sql the phases touch; line 22 is what a server without pgvector refuses. */
const PG_SCHEMA = `
CREATE EXTENSION IF NOT EXISTS vector;
CREATE OR REPLACE FUNCTION tier_rank(t TEXT) RETURNS INTEGER LANGUAGE SQL IMMUTABLE PARALLEL SAFE AS $$
  SELECT CASE t WHEN 'long' THEN 2 WHEN 'mid' THEN 1 ELSE 0 END $$;
CREATE TABLE IF NOT EXISTS memories (
  id TEXT PRIMARY KEY, tier TEXT NOT NULL, namespace TEXT NOT NULL, title TEXT NOT NULL, content TEXT NOT NULL,
  tags JSONB NOT NULL DEFAULT '[]', priority INTEGER NOT NULL, confidence DOUBLE PRECISION NOT NULL,
  source TEXT NOT NULL, access_count INTEGER NOT NULL DEFAULT 0, created_at TIMESTAMPTZ NOT NULL, updated_at TIMESTAMPTZ NOT NULL,
  last_accessed_at TIMESTAMPTZ, expires_at TIMESTAMPTZ, metadata JSONB NOT NULL DEFAULT '{}', embedding vector(384),
  UNIQUE (title, namespace));`

const COLUMNS = ['id', 'tier', 'namespace', 'title', 'content', 'tags', 'priority', 'confidence', 'source', 'access_count', 'created_at', 'updated_at', 'last_accessed_at', 'expires_at', 'metadata'] as const

/** sqlx's pool: 30 s acquire timeout (postgres.rs:64), retrying a refused connection until then (postgres.rs:86-96). */
export const PG_ACQUIRE_TIMEOUT_MS = 30_000

function backendUnavailable(detail: string): string {
  return `backend unavailable: postgres: ${detail}`
}

/** sqlx parses the URL before connecting: a port that is not a number fails here, without any connection. */
function checkPgUrl(url: string): string | null {
  const authority = /^postgres(?:ql)?:\/\/(?:[^@/?#]*@)?([^/?#]*)/.exec(url)?.[1] ?? ''
  const port = /^(?:\[[^\]]*\]|[^:]*)(?::(.*))?$/.exec(authority)?.[1]
  if (port !== undefined && port !== '' && !/^\d{1,5}$/.test(port)) return 'parse url: error with configuration: invalid port number'
  if (port !== undefined && Number(port) > 65535) return 'parse url: error with configuration: invalid port number'
  return null
}

async function connectPostgres(url: string, acquireTimeoutMs: number, insertOnly: boolean): Promise<Backend> {
  const bad = checkPgUrl(url)
  if (bad) throw new Error(backendUnavailable(bad))
  const { Client } = await import('pg')
  const deadline = Date.now() + acquireTimeoutMs
  let client: InstanceType<typeof Client>
  for (;;) {
    client = new Client({ connectionString: url, connectionTimeoutMillis: Math.max(1000, deadline - Date.now()) })
    try {
      await client.connect()
      break
    } catch {
      await client.end().catch(() => undefined)
      if (Date.now() >= deadline) throw new Error(backendUnavailable('connect: pool timed out while waiting for an open connection'))
      await new Promise((r) => setTimeout(r, 250))
    }
  }
  try {
    await client.query(PG_SCHEMA)
  } catch (err) {
    await client.end().catch(() => undefined)
    throw new Error(backendUnavailable(`init schema: error returned from database: ${(err as Error).message}`), { cause: err })
  }
  return {
    list: async (ns, limit) => {
      // postgres.rs:416: the limit is clamped to 1..1000 whatever the caller asks.
      const clamped = Math.min(Math.max(limit, 1), 1000)
      const r = await client.query(
        `SELECT ${COLUMNS.join(', ')} FROM memories WHERE ($1::text IS NULL OR namespace = $1) AND (expires_at IS NULL OR expires_at > NOW())
         ORDER BY priority DESC, updated_at DESC LIMIT $2`,
        [ns ?? null, clamped],
      )
      return (r.rows as Record<string, unknown>[]).map((row) => ({
        ...(row as unknown as MemoryRow),
        created_at: iso(row.created_at),
        updated_at: iso(row.updated_at),
        last_accessed_at: row.last_accessed_at ? iso(row.last_accessed_at) : null,
        expires_at: row.expires_at ? iso(row.expires_at) : null,
        agent_id: null,
      }))
    },
    store: async (row) => {
      if (insertOnly) {
        // Bug switch idempotent-dup: a plain INSERT, so the same rows again collide instead of upserting.
        await client.query(`INSERT INTO memories (${COLUMNS.join(', ')}) VALUES (${COLUMNS.map((_, i) => `$${i + 1}`).join(', ')})`, COLUMNS.map((c) => (c === 'tags' || c === 'metadata' ? JSON.stringify(row[c]) : row[c])))
        return
      }
      // postgres.rs:270-300: ON CONFLICT (title, namespace); tier by rank, never down; first metadata.agent_id kept.
      await client.query(
        `INSERT INTO memories (${COLUMNS.join(', ')}) VALUES (${COLUMNS.map((_, i) => `$${i + 1}`).join(', ')})
         ON CONFLICT (title, namespace) DO UPDATE SET
           content = EXCLUDED.content,
           tier = CASE WHEN tier_rank(EXCLUDED.tier) >= tier_rank(memories.tier) THEN EXCLUDED.tier ELSE memories.tier END,
           tags = EXCLUDED.tags, priority = EXCLUDED.priority, confidence = EXCLUDED.confidence, updated_at = EXCLUDED.updated_at,
           metadata = CASE WHEN memories.metadata ? 'agent_id' THEN jsonb_set(EXCLUDED.metadata, '{agent_id}', memories.metadata -> 'agent_id')
                           ELSE EXCLUDED.metadata END
         RETURNING id`,
        COLUMNS.map((c) => (c === 'tags' || c === 'metadata' ? JSON.stringify(row[c]) : row[c])),
      )
    },
    close: () => client.end(),
  }
}

function iso(v: unknown): string {
  return v instanceof Date ? v.toISOString() : String(v)
}

/** migrate.rs:76-96 open_store. */
export async function openStore(url: string, features: Set<string>, acquireTimeoutMs = PG_ACQUIRE_TIMEOUT_MS, insertOnly = false): Promise<Backend> {
  if (url.startsWith('sqlite://')) {
    const path = url.slice('sqlite://'.length)
    // sqlite:///foo → /foo; sqlite://./foo → ./foo (migrate.rs:78-81)
    const clean = path.startsWith('/') && path.slice(1).startsWith('/') ? path.slice(1) : path
    let store: MemoryStore
    try {
      store = new MemoryStore(clean)
    } catch (err) {
      throw new ChainError('open sqlite adapter', [(err as Error).message])
    }
    return {
      list: async (ns, limit) => store.list({ namespace: ns, limit, offset: 0 }),
      store: async (row) => void store.insert(row),
      close: async () => store.close(),
    }
  }
  if (features.has('sal-postgres') && (url.startsWith('postgres://') || url.startsWith('postgresql://'))) {
    try {
      return await connectPostgres(url, acquireTimeoutMs, insertOnly)
    } catch (err) {
      throw new ChainError('connect postgres adapter', [(err as Error).message])
    }
  }
  throw new ChainError(`unrecognised store URL: ${url} (expected sqlite:///path or postgres://...)`, [])
}

/** Wraps an open failure in main.rs's context (`open source store` / `open destination store`). */
async function open(url: string, what: string, features: Set<string>, acquireTimeoutMs?: number, insertOnly = false): Promise<Backend> {
  try {
    return await openStore(url, features, acquireTimeoutMs, insertOnly)
  } catch (err) {
    if (err instanceof ChainError) throw new ChainError(what, [err.context, ...err.causes])
    throw new ChainError(what, [(err as Error).message])
  }
}

const isPg = (url: string) => /^postgres(ql)?:\/\//.test(url)

export async function migrate(
  opts: { from: string; to: string; namespace?: string; dryRun: boolean; features: Set<string>; acquireTimeoutMs?: number },
  bugs: Bugs,
): Promise<MigrateReport> {
  const report: MigrateReport = { batches: 0, dry_run: opts.dryRun, errors: [], from_url: opts.from, memories_read: 0, memories_written: 0, to_url: opts.to }
  const source = await open(opts.from, 'open source store', opts.features, opts.acquireTimeoutMs)
  let target: Backend
  try {
    target = await open(opts.to, 'open destination store', opts.features, opts.acquireTimeoutMs, Boolean(bugs['idempotent-dup']))
  } catch (err) {
    await source.close()
    throw err
  }
  const forward = !isPg(opts.from) && isPg(opts.to)
  const reverse = isPg(opts.from) && !isPg(opts.to)
  try {
    let page: MemoryRow[]
    try {
      page = await source.list(opts.namespace, 1_000_000) // MAX_ROWS, migrate.rs:131
    } catch (err) {
      report.errors.push(`source list failed: ${(err as Error).message}`)
      return report
    }
    // Bug switch forward-short=N: the forward migration silently reads N rows fewer.
    if (forward && bugs['forward-short']) page = page.slice(0, Math.max(0, page.length - Number(bugs['forward-short'])))
    const seen = new Set<string>()
    report.batches = 1
    const lose = Number(bugs['lose-rows'] ?? 0)
    let lost = 0
    let k = 0
    for (const mem of page) {
      if (seen.has(mem.id)) continue
      seen.add(mem.id)
      report.memories_read++
      if (opts.dryRun) continue
      k++
      if (bugs['migrate-error'] && k === 1) {
        report.errors.push(`write ${mem.id} failed: simulated write failure`)
        continue
      }
      if (reverse && bugs['reverse-error'] && k === 1) {
        report.errors.push(`write ${mem.id} failed: simulated write failure`)
        continue
      }
      if (lose > lost) {
        // The lose-rows bug: counted as written, never stored.
        lost++
        report.memories_written++
        continue
      }
      try {
        await target.store(mem)
        report.memories_written++
      } catch (err) {
        report.errors.push(`write ${mem.id} failed: ${(err as Error).message}`)
      }
    }
  } finally {
    await source.close()
    await target.close()
  }
  return report
}
