// Storage of the simulated ai-memory: a real SQLite file, as ai-memory's default backend.
import Database from 'better-sqlite3'
import { randomUUID } from 'node:crypto'

export const TIERS = ['short', 'mid', 'long'] as const
/** VALID_SOURCES of ai-memory v0.6.0 (src/validate.rs); `chaos` since PR #310. */
export const VALID_SOURCES = ['user', 'claude', 'hook', 'api', 'cli', 'import', 'consolidation', 'system', 'chaos'] as const

/** Tier::default_ttl_secs (models.rs:44-50): short 6 h, mid 7 days, long never. */
export function defaultExpiry(tier: string, now: Date): string | null {
  const secs = tier === 'short' ? 6 * 3600 : tier === 'mid' ? 7 * 24 * 3600 : null
  return secs === null ? null : new Date(now.getTime() + secs * 1000).toISOString()
}

export interface MemoryRow {
  id: string
  tier: string
  namespace: string
  title: string
  content: string
  tags: string[]
  priority: number
  confidence: number
  source: string
  access_count: number
  created_at: string
  updated_at: string
  last_accessed_at: string | null
  expires_at: string | null
  metadata: Record<string, unknown>
  agent_id: string | null
}

export interface NewMemory {
  tier?: string
  namespace?: string
  title: string
  content: string
  tags?: string[]
  priority?: number
  confidence?: number
  source?: string
  expires_at?: string | null
  metadata?: Record<string, unknown>
  agent_id?: string | null
}

interface Stored extends Omit<MemoryRow, 'tags' | 'metadata'> {
  tags: string
  metadata: string
}

/** A whole memory row; each caller adds its own ON CONFLICT rule (the upsert or sync's merge). */
const INSERT_MEMORY = `INSERT INTO memories (id, tier, namespace, title, content, tags, priority, confidence, source, access_count,
           created_at, updated_at, last_accessed_at, expires_at, metadata, agent_id)
         VALUES (@id, @tier, @namespace, @title, @content, @tags, @priority, @confidence, @source, @access_count,
           @created_at, @updated_at, @last_accessed_at, @expires_at, @metadata, @agent_id)`

export class MemoryStore {
  readonly db: Database.Database

  constructor(readonly path: string) {
    this.db = new Database(path)
    this.db.pragma('journal_mode = WAL')
    this.db.pragma('busy_timeout = 5000')
    this.db.pragma('synchronous = NORMAL')
    this.db.exec(`
      CREATE TABLE IF NOT EXISTS memories (
        id TEXT PRIMARY KEY, tier TEXT NOT NULL, namespace TEXT NOT NULL, title TEXT NOT NULL,
        content TEXT NOT NULL, tags TEXT NOT NULL DEFAULT '[]', priority INTEGER NOT NULL DEFAULT 5,
        confidence REAL NOT NULL DEFAULT 1.0, source TEXT NOT NULL DEFAULT 'cli', access_count INTEGER NOT NULL DEFAULT 0,
        created_at TEXT NOT NULL, updated_at TEXT NOT NULL, last_accessed_at TEXT, expires_at TEXT,
        metadata TEXT NOT NULL DEFAULT '{}', agent_id TEXT);
      CREATE INDEX IF NOT EXISTS memories_ns ON memories (namespace, created_at);
      CREATE UNIQUE INDEX IF NOT EXISTS memories_title_ns ON memories (title, namespace);
      CREATE TABLE IF NOT EXISTS links (source_id TEXT, target_id TEXT, relation TEXT);`)
  }

  close(): void {
    this.db.close()
  }

  create(m: NewMemory, now = new Date()): MemoryRow {
    const ts = now.toISOString()
    const row: MemoryRow = {
      id: randomUUID(),
      tier: m.tier ?? 'mid',
      namespace: m.namespace ?? 'global',
      title: m.title,
      content: m.content,
      tags: m.tags ?? [],
      priority: m.priority ?? 5,
      confidence: m.confidence ?? 1,
      source: m.source ?? 'cli',
      access_count: 0,
      created_at: ts,
      updated_at: ts,
      last_accessed_at: null,
      expires_at: m.expires_at !== undefined ? m.expires_at : defaultExpiry(m.tier ?? 'mid', now),
      metadata: m.metadata ?? {},
      agent_id: m.agent_id ?? null,
    }
    const id = this.insert(row)
    return id === row.id ? row : (this.get(id) as MemoryRow)
  }

  /**
   * ai-memory's insert (db.rs:529-571): upsert on (title, namespace), not on id; the tier never
   * goes down (long > mid > short), priority and confidence keep the larger, a long row never
   * expires, and the first `metadata.agent_id` is kept. Returns the id of the row that holds it.
   */
  insert(row: MemoryRow): string {
    this.db
      .prepare(
        `${INSERT_MEMORY}
         ON CONFLICT(title, namespace) DO UPDATE SET
           content = excluded.content, tags = excluded.tags,
           priority = MAX(memories.priority, excluded.priority), confidence = MAX(memories.confidence, excluded.confidence),
           source = excluded.source,
           tier = CASE WHEN excluded.tier = 'long' THEN 'long' WHEN memories.tier = 'long' THEN 'long'
                       WHEN excluded.tier = 'mid' THEN 'mid' ELSE memories.tier END,
           updated_at = excluded.updated_at,
           expires_at = CASE WHEN excluded.tier = 'long' OR memories.tier = 'long' THEN NULL
                             ELSE COALESCE(excluded.expires_at, memories.expires_at) END,
           metadata = CASE WHEN json_extract(memories.metadata, '$.agent_id') IS NOT NULL
                           THEN json_set(excluded.metadata, '$.agent_id', json_extract(memories.metadata, '$.agent_id'))
                           ELSE excluded.metadata END`,
      )
      .run(encode(row))
    return this.db.prepare('SELECT id FROM memories WHERE title = ? AND namespace = ?').pluck().get(row.title, row.namespace) as string
  }

  /**
   * Sync's newer-wins merge (db.rs:1965-2008): the same (title, namespace) key; content, tags and
   * source only from a newer row; tier never down; the first `metadata.agent_id` kept.
   */
  insertIfNewer(row: MemoryRow): string {
    this.db
      .prepare(
        `${INSERT_MEMORY}
         ON CONFLICT(title, namespace) DO UPDATE SET
           content = CASE WHEN excluded.updated_at > memories.updated_at THEN excluded.content ELSE memories.content END,
           tags = CASE WHEN excluded.updated_at > memories.updated_at THEN excluded.tags ELSE memories.tags END,
           priority = MAX(memories.priority, excluded.priority), confidence = MAX(memories.confidence, excluded.confidence),
           source = CASE WHEN excluded.updated_at > memories.updated_at THEN excluded.source ELSE memories.source END,
           tier = CASE WHEN excluded.tier = 'long' THEN 'long' WHEN memories.tier = 'long' THEN 'long'
                       WHEN excluded.tier = 'mid' THEN 'mid' ELSE memories.tier END,
           updated_at = MAX(memories.updated_at, excluded.updated_at),
           access_count = MAX(memories.access_count, excluded.access_count),
           expires_at = CASE WHEN excluded.tier = 'long' OR memories.tier = 'long' THEN NULL
                             ELSE COALESCE(excluded.expires_at, memories.expires_at) END,
           metadata = CASE WHEN json_extract(memories.metadata, '$.agent_id') IS NOT NULL
                           THEN json_set(CASE WHEN excluded.updated_at > memories.updated_at THEN excluded.metadata ELSE memories.metadata END,
                                         '$.agent_id', json_extract(memories.metadata, '$.agent_id'))
                           ELSE CASE WHEN excluded.updated_at > memories.updated_at THEN excluded.metadata ELSE memories.metadata END END`,
      )
      .run(encode(row))
    return this.db.prepare('SELECT id FROM memories WHERE title = ? AND namespace = ?').pluck().get(row.title, row.namespace) as string
  }

  /** db.rs:869-893: newest first within priority (`ORDER BY priority DESC, updated_at DESC`); expired rows hidden. */
  list(opts: { namespace?: string; tier?: string; limit: number; offset: number }, now = new Date()): MemoryRow[] {
    const where: string[] = ['(expires_at IS NULL OR expires_at > @now)']
    const params: Record<string, unknown> = { limit: opts.limit, offset: opts.offset, now: now.toISOString() }
    if (opts.namespace) {
      where.push('namespace = @namespace')
      params.namespace = opts.namespace
    }
    if (opts.tier) {
      where.push('tier = @tier')
      params.tier = opts.tier
    }
    const rows = this.db
      .prepare(`SELECT * FROM memories WHERE ${where.join(' AND ')} ORDER BY priority DESC, updated_at DESC LIMIT @limit OFFSET @offset`)
      .all(params) as Stored[]
    return rows.map(decode)
  }

  get(id: string): MemoryRow | null {
    const r = this.db.prepare('SELECT * FROM memories WHERE id = ?').get(id) as Stored | undefined
    return r ? decode(r) : null
  }

  all(): MemoryRow[] {
    return (this.db.prepare('SELECT * FROM memories ORDER BY created_at, id').all() as Stored[]).map(decode)
  }

  /** Keyword recall: rows whose title or content contains any word of the context. */
  recall(context: string, opts: { namespace?: string; limit: number }): MemoryRow[] {
    const words = context.toLowerCase().split(/\W+/).filter((w) => w.length > 2)
    const rows = (opts.namespace ? this.list({ namespace: opts.namespace, limit: 100000, offset: 0 }) : this.all()).map((r) => ({
      r,
      score: words.filter((w) => `${r.title} ${r.content}`.toLowerCase().includes(w)).length,
    }))
    return rows
      .filter((x) => x.score > 0)
      .sort((a, b) => b.score - a.score)
      .slice(0, opts.limit)
      .map((x) => x.r)
  }

  stats(): Record<string, unknown> {
    const total = this.db.prepare('SELECT COUNT(*) FROM memories').pluck().get() as number
    const byTier = this.db.prepare('SELECT tier, COUNT(*) AS count FROM memories GROUP BY tier ORDER BY tier').all()
    const byNamespace = this.db.prepare('SELECT namespace, COUNT(*) AS count FROM memories GROUP BY namespace ORDER BY namespace').all()
    const soon = new Date(Date.now() + 3600_000).toISOString()
    const expiring = this.db.prepare('SELECT COUNT(*) FROM memories WHERE expires_at IS NOT NULL AND expires_at < ?').pluck().get(soon) as number
    const links = this.db.prepare('SELECT COUNT(*) FROM links').pluck().get() as number
    const pageCount = this.db.pragma('page_count', { simple: true }) as number
    const pageSize = this.db.pragma('page_size', { simple: true }) as number
    return { total, by_tier: byTier, by_namespace: byNamespace, expiring_soon: expiring, links_count: links, db_size_bytes: pageCount * pageSize }
  }

  namespaces(): { namespace: string; count: number }[] {
    return this.db.prepare('SELECT namespace, COUNT(*) AS count FROM memories GROUP BY namespace ORDER BY namespace').all() as { namespace: string; count: number }[]
  }
}

function encode(row: MemoryRow): Record<string, unknown> {
  return { ...row, tags: JSON.stringify(row.tags), metadata: JSON.stringify(row.metadata) }
}

function decode(r: Stored): MemoryRow {
  return { ...r, tags: JSON.parse(r.tags) as string[], metadata: JSON.parse(r.metadata) as Record<string, unknown> }
}

/** Request validation as ai-memory's validate.rs does it; returns an error message or null. */
export function validateNew(m: Partial<NewMemory>, rejectedSources: string[]): string | null {
  if (typeof m.title !== 'string' || m.title.trim() === '') return 'title is required'
  if (m.title.length > 512) return 'title too long (max 512)'
  if (typeof m.content !== 'string' || m.content === '') return 'content is required'
  if (m.content.length > 65536) return 'content too long (max 65536)'
  if (m.tier !== undefined && !(TIERS as readonly string[]).includes(m.tier)) return `invalid tier: ${m.tier}`
  if (m.priority !== undefined && (!Number.isInteger(m.priority) || m.priority < 1 || m.priority > 10)) return 'priority must be 1..10'
  if (m.confidence !== undefined && (typeof m.confidence !== 'number' || m.confidence < 0 || m.confidence > 1)) return 'confidence must be 0.0..1.0'
  const source = m.source ?? 'api'
  if (!(VALID_SOURCES as readonly string[]).includes(source) || rejectedSources.includes(source)) {
    return `invalid source: ${source} (allowed: ${VALID_SOURCES.join(', ')})`
  }
  if (m.namespace !== undefined && !/^[A-Za-z0-9_.:/@-]{1,128}$/.test(m.namespace)) return 'invalid namespace'
  // validate.rs:339-351
  if (typeof m.expires_at === 'string') {
    const t = Date.parse(m.expires_at)
    if (Number.isNaN(t)) return `expires_at is not valid RFC3339: '${m.expires_at}'`
    if (t < Date.now()) return 'expires_at is in the past'
  }
  return null
}
