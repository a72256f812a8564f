// The simulated ai-memory's command line against the real v0.6.0 source: each test names the lines
// of /work/shared/reference/ai-memory-v0.6.0/src it reproduces. Runs the built simulator and, for
// Postgres, the bundled PGlite server (real PostgreSQL in WebAssembly, with and without pgvector).
import { existsSync, readdirSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { BUG_SWITCHES, parseBugs } from '../../src-main/sim/bugs'
import { parseToml } from '../../src-main/sim/config'
import { MemoryStore, type MemoryRow } from '../../src-main/sim/store'
import { useTmp } from '../helpers/tmp'
import { aim, startPglite, type Pglite } from './sim-helpers'

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

describe('migrate without Postgres', () => {
  it('one list, `batches: 1` whatever --batch, keys sorted, rows deduplicated by id (migrate.rs:131-177, main.rs:4253-4262)', () => {
    const d = tmp()
    for (let i = 1; i <= 5; i++) aim(['--db', join(d, 'a.db'), 'store', '--title', `m${i}`, '--content', `row ${i}`, '--namespace', 'p'], { cwd: d })
    const r = aim(['migrate', '--from', `sqlite://${join(d, 'a.db')}`, '--to', `sqlite://${join(d, 'b.db')}`, '--batch', '2', '--json'], { cwd: d })
    expect(r.code, r.stderr).toBe(0)
    const report = JSON.parse(r.stdout) as Record<string, unknown>
    expect(Object.keys(report)).toEqual(['batches', 'dry_run', 'errors', 'from_url', 'memories_read', 'memories_written', 'to_url'])
    expect(report).toMatchObject({ batches: 1, memories_read: 5, memories_written: 5 })
    expect(r.stdout).toMatch(/^\{\n {2}"batches": 1,/)
  })

  it('an error prints the JSON first, then `Error: migration completed with N error(s)`, exit 1 (main.rs:4244-4275)', () => {
    const d = tmp()
    aim(['--db', join(d, 'a.db'), 'store', '--title', 'm', '--content', 'c', '--namespace', 'p'], { cwd: d })
    const r = aim(['migrate', '--from', `sqlite://${join(d, 'a.db')}`, '--to', `sqlite://${join(d, 'b.db')}`, '--json'], { cwd: d, env: { AI_MEMORY_SIM_BUGS: 'migrate-error' } })
    expect(r.code).toBe(1)
    expect(JSON.parse(r.stdout)).toMatchObject({ errors: [expect.stringMatching(/^write .* failed: /)] })
    expect(r.stderr).toBe('Error: migration completed with 1 error(s)\n')
  })

  it('build features: `migrate --help` exit 0 with sal, else clap exit 2 (main.rs:20-27, 182-183)', () => {
    const d = tmp()
    expect(aim(['migrate', '--help'], { cwd: d }).code).toBe(0)
    const none = aim(['migrate', '--help'], { cwd: d, env: { AI_MEMORY_SIM_FEATURES: '' } })
    expect(none.code).toBe(2)
    expect(none.stderr).toMatch(/^error: unrecognized subcommand 'migrate'\n/)
  })

  it("preflight's probe fails at once without connecting or writing: invalid port with sal-postgres, unrecognised URL without (migrate.rs:85-94)", () => {
    const d = tmp()
    const probe = ['migrate', '--from', 'postgres://p@127.0.0.1:0x/p', '--to', 'sqlite:///nonexistent/x.db', '--dry-run', '--json']
    const withPg = aim(probe, { cwd: d })
    expect(withPg.code).toBe(1)
    expect(withPg.stdout).toBe('')
    expect(withPg.stderr).toContain('    1: backend unavailable: postgres: parse url: error with configuration: invalid port number')
    const withoutPg = aim(probe, { cwd: d, env: { AI_MEMORY_SIM_FEATURES: 'sal' } })
    expect(withoutPg.code).toBe(1)
    expect(withoutPg.stderr).toContain('unrecognised store URL: postgres://p@127.0.0.1:0x/p')
    expect(existsSync('/nonexistent/x.db')).toBe(false)
  })
})

describe('the SQLite store', () => {
  it('upserts on (title, namespace), never on id; the tier never goes down; the first metadata.agent_id is kept (db.rs:529-571)', () => {
    const d = tmp()
    const s = new MemoryStore(join(d, 'm.db'))
    const first = s.insert(row({ title: 'same', tier: 'long', metadata: { agent_id: 'alice' } }))
    const second = s.insert(row({ title: 'same', tier: 'short', content: 'new', metadata: { agent_id: 'mallory' } }))
    expect(second).toBe(first)
    const all = s.all()
    expect(all).toHaveLength(1)
    expect(all[0]).toMatchObject({ tier: 'long', content: 'new', metadata: { agent_id: 'alice' }, expires_at: null })
    s.insert(row({ title: 'same', namespace: 'other' }))
    expect(s.all()).toHaveLength(2)
    s.close()
  })

  it("sync's merge keeps the newer row's content under the same key (db.rs:1965-2008)", () => {
    const d = tmp()
    const s = new MemoryStore(join(d, 'm.db'))
    s.insert(row({ title: 'k', content: 'newer', updated_at: '2026-01-02T00:00:00.000Z' }))
    s.insertIfNewer(row({ title: 'k', content: 'older', updated_at: '2026-01-01T00:00:00.000Z', tier: 'long' }))
    expect(s.all()[0]).toMatchObject({ content: 'newer', tier: 'long', updated_at: '2026-01-02T00:00:00.000Z' })
    s.close()
  })

  it('list is ORDER BY priority DESC, updated_at DESC and hides expired rows, which stats still counts (db.rs:869-893)', () => {
    const d = tmp()
    const s = new MemoryStore(join(d, 'm.db'))
    s.insert(row({ title: 'low-new', priority: 3, updated_at: '2026-01-03T00:00:00.000Z' }))
    s.insert(row({ title: 'high-old', priority: 9, updated_at: '2026-01-01T00:00:00.000Z' }))
    s.insert(row({ title: 'low-old', priority: 3, updated_at: '2026-01-02T00:00:00.000Z' }))
    s.insert(row({ title: 'expired', priority: 10, expires_at: '2000-01-01T00:00:00.000Z' }))
    expect(s.list({ limit: 10, offset: 0 }).map((m) => m.title)).toEqual(['high-old', 'low-new', 'low-old'])
    expect(s.stats().total).toBe(4)
    s.close()
  })

  it('a mid memory expires after 7 days (models.rs:44-50); a past --expires-at is refused (validate.rs:339-351)', () => {
    const d = tmp()
    const db = join(d, 'm.db')
    const before = Date.now()
    expect(aim(['--db', db, 'store', '--title', 'mid', '--content', 'c', '--tier', 'mid', '--namespace', 'p'], { cwd: d }).code).toBe(0)
    const s = new MemoryStore(db)
    const expires = Date.parse(s.all()[0]?.expires_at ?? '')
    s.close()
    expect(expires - before).toBeGreaterThanOrEqual(7 * 24 * 3600 * 1000)
    expect(expires - before).toBeLessThan(7 * 24 * 3600 * 1000 + 60_000)
    const past = aim(['--db', db, 'store', '--title', 'x', '--content', 'c', '--namespace', 'p', '--expires-at', '2000-01-01T00:00:00Z'], { cwd: d })
    expect(past.code).not.toBe(0)
    expect(past.stderr).toContain('expires_at is in the past')
  })

  it('store without --namespace names the folder, not `global` (main.rs:719 auto_namespace)', () => {
    const d = tmp()
    const dir = join(d, 'my-project')
    mkdirSync(dir)
    aim(['--db', join(d, 'm.db'), 'store', '--title', 't', '--content', 'c'], { cwd: dir })
    const s = new MemoryStore(join(d, 'm.db'))
    expect(s.all()[0]?.namespace).toBe('my-project')
    s.close()
  })
})

describe('backup (main.rs:3846-3957)', () => {
  it('writes a snapshot and a manifest of exactly {snapshot, sha256, bytes, source_db, version, created_at}', () => {
    const d = tmp()
    aim(['--db', join(d, 'm.db'), 'store', '--title', 't', '--content', 'c', '--namespace', 'p'], { cwd: d })
    const r = aim(['--db', join(d, 'm.db'), 'backup', '--to', join(d, 'b'), '--keep', '1'], { cwd: d })
    expect(r.code, r.stderr).toBe(0)
    const files = readdirSync(join(d, 'b')).sort()
    expect(files).toHaveLength(2)
    expect(files[0]).toMatch(/^ai-memory-\d{4}-\d{2}-\d{2}T\d{6}Z\.db$/)
    const manifest = JSON.parse(readFileSync(join(d, 'b', files[1] as string), 'utf8')) as Record<string, unknown>
    expect(Object.keys(manifest)).toEqual(['snapshot', 'sha256', 'bytes', 'source_db', 'version', 'created_at'])
    expect(manifest).toMatchObject({ snapshot: files[0], source_db: join(d, 'm.db'), version: '0.6.0' })
  })

  it('refuses to overwrite a snapshot of the same second (one-second resolution)', () => {
    const d = tmp()
    const dir = join(d, 'b')
    mkdirSync(dir)
    // Every name the command could pick in the next seconds already exists: it must refuse, not overwrite.
    const now = Date.now()
    for (let s = -1; s <= 30; s++) writeFileSync(join(dir, `ai-memory-${new Date(now + s * 1000).toISOString().replace(/\.\d+Z$/, 'Z').replace(/:/g, '')}.db`), 'old')
    const r = aim(['--db', join(d, 'm.db'), 'backup', '--to', dir], { cwd: d })
    expect(r.code).toBe(1)
    expect(r.stderr).toMatch(/^Error: refusing to overwrite existing snapshot .*ai-memory-.*\.db\n$/)
  })
})

describe('config.toml (config.rs:455-690, main.rs:768-769)', () => {
  it('AI_MEMORY_NO_CONFIG set even to empty skips the file, but the default file is written on first run', () => {
    const d = tmp()
    const path = join(d, '.config', 'ai-memory', 'config.toml')
    const first = aim(['--version'], { cwd: d, env: { AI_MEMORY_NO_CONFIG: '' } })
    expect(first.stderr).not.toContain('loaded config')
    expect(readFileSync(path, 'utf8')).toMatch(/^# ai-memory configuration\n/)
    expect(aim(['--version'], { cwd: d, env: { AI_MEMORY_NO_CONFIG: '' } }).stderr).not.toContain('loaded config')
    expect(aim(['--version'], { cwd: d, env: { AI_MEMORY_NO_CONFIG: undefined } }).stderr).toBe(`ai-memory: loaded config from ${path}\n`)
  })

  it('a malformed file is reported and ignored whole', () => {
    const d = tmp()
    mkdirSync(join(d, '.config', 'ai-memory'), { recursive: true })
    const path = join(d, '.config', 'ai-memory', 'config.toml')
    writeFileSync(path, 'api_key = "k"\ntier = semantic\n')
    const r = aim(['--version'], { cwd: d, env: { AI_MEMORY_NO_CONFIG: undefined } })
    expect(r.stderr).toMatch(new RegExp(`^ai-memory: config parse error \\(${path.replace(/[.]/g, '\\.')}\\): TOML parse error at line 2`))
    expect(r.stderr).not.toContain('loaded config')
    expect(() => parseToml('[ttl]\nmid_ttl_secs = 5\n# c\nx = "a#b" # note')).not.toThrow()
  })
})

describe('bug switches', () => {
  it('every switch the self-test uses is known, with a one-line description', () => {
    for (const name of ['stats-zero', 'extra-snapshot', 'quorum-never-ok', 'forward-short', 'idempotent-dup', 'reverse-error']) {
      expect(BUG_SWITCHES[name as keyof typeof BUG_SWITCHES]).toMatch(/^[^\n]{10,}$/)
    }
    expect(parseBugs('forward-short=3,stats-zero')).toEqual({ 'forward-short': '3', 'stats-zero': 'on' })
    expect(() => parseBugs('no-such-bug')).toThrow(/unknown bug switch no-such-bug/)
  })

  it('stats-zero and extra-snapshot change what the phase-1 checks read', () => {
    const d = tmp()
    const env = { AI_MEMORY_SIM_BUGS: 'stats-zero,extra-snapshot' }
    aim(['--db', join(d, 'm.db'), 'store', '--title', 't', '--content', 'c', '--namespace', 'p'], { cwd: d, env })
    expect((JSON.parse(aim(['--db', join(d, 'm.db'), 'stats', '--json'], { cwd: d, env }).stdout) as { total: number }).total).toBe(0)
    expect((JSON.parse(aim(['--db', join(d, 'm.db'), 'stats', '--json'], { cwd: d }).stdout) as { total: number }).total).toBe(1)
    aim(['--db', join(d, 'm.db'), 'backup', '--to', join(d, 'b'), '--keep', '1'], { cwd: d, env })
    expect(readdirSync(join(d, 'b')).filter((f) => f.endsWith('.db'))).toHaveLength(2)
  })
})
