// `ai-memory migrate --from URL --to URL`: SQLite ↔ PostgreSQL in batches, on a real PostgreSQL.
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

interface Backend {
  readAll(namespace?: string): Promise<MemoryRow[]>
  writeBatch(rows: MemoryRow[]): Promise<void>
  close(): Promise<void>
}

const PG_SCHEMA = `
  CREATE TABLE IF NOT EXISTS memories (
    id TEXT PRIMARY KEY, tier TEXT NOT NULL, namespace TEXT NOT NULL, title TEXT NOT NULL, content TEXT NOT NULL,
    tags JSONB NOT NULL DEFAULT '[]', priority INTEGER NOT NULL, confidence DOUBLE PRECISION NOT NULL,
    source TEXT NOT NULL, access_count INTEGER NOT NULL DEFAULT 0, created_at TEXT NOT NULL, updated_at TEXT NOT NULL,
    last_accessed_at TEXT, expires_at TEXT, metadata JSONB NOT NULL DEFAULT '{}', agent_id TEXT)`

const COLUMNS = ['id', 'tier', 'namespace', 'title', 'content', 'tags', 'priority', 'confidence', 'source', 'access_count', 'created_at', 'updated_at', 'last_accessed_at', 'expires_at', 'metadata', 'agent_id'] as const

async function open(url: string): Promise<Backend> {
  if (url.startsWith('sqlite://')) {
    const path = decodeURIComponent(url.slice('sqlite://'.length))
    if (!path.startsWith('/')) throw new Error(`sqlite URL must hold an absolute path: ${url}`)
    const store = new MemoryStore(path)
    return {
      readAll: async (ns) => store.all().filter((m) => !ns || m.namespace === ns),
      writeBatch: async (rows) => {
        store.db.transaction(() => rows.forEach((r) => store.upsert(r)))()
      },
      close: async () => store.close(),
    }
  }
  if (url.startsWith('postgres://') || url.startsWith('postgresql://')) {
    const { Client } = await import('pg')
    const client = new Client({ connectionString: url, connectionTimeoutMillis: 10_000 })
    await client.connect()
    await client.query(PG_SCHEMA)
    return {
      readAll: async (ns) => {
        const r = await client.query(`SELECT ${COLUMNS.join(', ')} FROM memories ${ns ? 'WHERE namespace = $1' : ''} ORDER BY created_at, id`, ns ? [ns] : [])
        return r.rows as MemoryRow[]
      },
      writeBatch: async (rows) => {
        if (rows.length === 0) return
        const values: unknown[] = []
        const tuples = rows.map((row, i) => {
          for (const c of COLUMNS) values.push(c === 'tags' || c === 'metadata' ? JSON.stringify(row[c]) : row[c])
          return `(${COLUMNS.map((_, j) => `$${i * COLUMNS.length + j + 1}`).join(', ')})`
        })
        const updates = COLUMNS.filter((c) => c !== 'id').map((c) => `${c} = EXCLUDED.${c}`).join(', ')
        await client.query('BEGIN')
        try {
          await client.query(`INSERT INTO memories (${COLUMNS.join(', ')}) VALUES ${tuples.join(', ')} ON CONFLICT (id) DO UPDATE SET ${updates}`, values)
          await client.query('COMMIT')
        } catch (err) {
          await client.query('ROLLBACK')
          throw err
        }
      },
      close: () => client.end(),
    }
  }
  throw new Error(`unsupported URL scheme: ${url.split(':')[0]} (expected sqlite:// or postgres://)`)
}

export async function migrate(opts: { from: string; to: string; batch: number; namespace?: string; dryRun: boolean }, bugs: Bugs): Promise<MigrateReport> {
  const batch = Math.min(Math.max(Math.floor(opts.batch) || 1000, 1), 10000)
  const report: MigrateReport = { batches: 0, dry_run: opts.dryRun, errors: [], from_url: opts.from, memories_read: 0, memories_written: 0, to_url: opts.to }
  const source = await open(opts.from)
  const target = opts.dryRun ? null : await open(opts.to)
  try {
    const rows = await source.readAll(opts.namespace)
    report.memories_read = rows.length
    const lose = Number(bugs['lose-rows'] ?? 0)
    for (let i = 0; i < rows.length; i += batch) {
      let chunk = rows.slice(i, i + batch)
      report.batches++
      if (!target) continue
      if (i === 0 && bugs['migrate-error'] && chunk.length > 0) {
        report.errors.push(`row ${chunk[0]?.id}: simulated write failure`)
        chunk = chunk.slice(1)
      }
      // The lose-rows bug drops rows yet reports them written.
      const kept = i === 0 && lose > 0 ? chunk.slice(lose) : chunk
      try {
        await target.writeBatch(kept)
        report.memories_written += chunk.length
      } catch (err) {
        report.errors.push(err instanceof Error ? err.message : String(err))
      }
    }
  } finally {
    await source.close()
    await target?.close()
  }
  return report
}
