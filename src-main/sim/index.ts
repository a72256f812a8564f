// Shipgate Lab's simulated ai-memory: the subset of the ai-memory v0.6.0 command line and HTTP API
// that the four phases touch, faithful to its documented behaviour, for the demo lab and the tests.
// It is started through resources/bin/ai-memory. It never pretends to be the real binary: its
// version string says `+shipgate-sim`.
import { createHash } from 'node:crypto'
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { basename, join, resolve } from 'node:path'
import { parseBugs, type Bugs } from './bugs'
import { MCP_TOOLS_V060, runMcp } from './mcp'
import { migrate } from './migrate'
import { startServer } from './serve'
import { MemoryStore, validateNew } from './store'

export const SIM_VERSION = '0.6.0+shipgate-sim'

interface Args {
  positional: string[]
  flags: Map<string, string | true>
}

const BOOLEAN_FLAGS = new Set(['json', 'once', 'dry-run', 'daemon', 'version', 'help'])
const SHORT: Record<string, string> = { t: 'tier', n: 'namespace', T: 'title', c: 'content', p: 'priority', S: 'source', V: 'version', h: 'help' }

export function parseArgs(argv: string[]): Args {
  const positional: string[] = []
  const flags = new Map<string, string | true>()
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] as string
    if (a === '--') {
      positional.push(...argv.slice(i + 1))
      break
    }
    let name: string | null = null
    let value: string | undefined
    if (a.startsWith('--')) {
      const eq = a.indexOf('=')
      name = eq > 0 ? a.slice(2, eq) : a.slice(2)
      if (eq > 0) value = a.slice(eq + 1)
    } else if (/^-[A-Za-z]$/.test(a)) name = SHORT[a.slice(1)] ?? a.slice(1)
    if (name === null) {
      positional.push(a)
      continue
    }
    if (value === undefined && !BOOLEAN_FLAGS.has(name)) {
      const next = argv[i + 1]
      if (next === undefined) throw new UsageError(`--${name} needs a value`)
      value = next
      i++
    }
    flags.set(name, value ?? true)
  }
  return { positional, flags }
}

class UsageError extends Error {}

function str(args: Args, name: string): string | undefined {
  const v = args.flags.get(name)
  return typeof v === 'string' ? v : undefined
}

function num(args: Args, name: string, fallback: number): number {
  const v = str(args, name)
  if (v === undefined) return fallback
  const n = Number(v)
  if (!Number.isFinite(n)) throw new UsageError(`--${name}: not a number: ${v}`)
  return n
}

function out(value: unknown): void {
  process.stdout.write(`${typeof value === 'string' ? value : JSON.stringify(value, null, 2)}\n`)
}

function dbPath(args: Args): string {
  return resolve(str(args, 'db') ?? process.env.AI_MEMORY_DB ?? 'ai-memory.db')
}

/** Sortable and unique per process: `20260420T123240123Z-4711`. */
function timestamp(d = new Date()): string {
  return `${d.toISOString().replace(/[-:.]/g, '')}-${process.pid}`
}

async function run(argv: string[], bugs: Bugs): Promise<number> {
  const args = parseArgs(argv)
  const command = args.positional.shift()
  if (args.flags.has('version') && !command) {
    out(`ai-memory ${SIM_VERSION}`)
    return 0
  }
  switch (command) {
    case 'store': {
      const store = new MemoryStore(dbPath(args))
      const m = {
        tier: str(args, 'tier') ?? 'mid',
        namespace: str(args, 'namespace') ?? 'global',
        title: str(args, 'title') ?? '',
        content: str(args, 'content') ?? '',
        tags: (str(args, 'tags') ?? '').split(',').map((t) => t.trim()).filter(Boolean),
        priority: num(args, 'priority', 5),
        confidence: num(args, 'confidence', 1),
        source: str(args, 'source') ?? 'cli',
      }
      const problem = validateNew(m, [])
      if (problem) throw new UsageError(problem)
      const row = store.create(m)
      store.close()
      out(args.flags.has('json') ? row : `stored ${row.id} [${row.tier}] ${row.namespace}: ${row.title}`)
      return 0
    }
    case 'recall': {
      const store = new MemoryStore(dbPath(args))
      const memories = bugs['recall-empty'] ? [] : store.recall(args.positional.join(' '), { namespace: str(args, 'namespace'), limit: num(args, 'limit', 10) })
      store.close()
      if (args.flags.has('json')) out({ memories, count: memories.length, mode: 'keyword', tokens_used: memories.reduce((n, m) => n + Math.ceil(m.content.length / 4), 0) })
      else for (const m of memories) out(`${m.id} ${m.title}`)
      return 0
    }
    case 'list': {
      const store = new MemoryStore(dbPath(args))
      const memories = store.list({ namespace: str(args, 'namespace'), tier: str(args, 'tier'), limit: num(args, 'limit', 20), offset: num(args, 'offset', 0) })
      store.close()
      out(args.flags.has('json') ? { memories, count: memories.length } : memories.map((m) => `${m.id} ${m.title}`).join('\n'))
      return 0
    }
    case 'stats': {
      const store = new MemoryStore(dbPath(args))
      const stats = store.stats()
      store.close()
      out(args.flags.has('json') ? stats : `total: ${String(stats.total)}`)
      return 0
    }
    case 'backup': {
      const dir = resolve(str(args, 'to') ?? './backups')
      const keep = num(args, 'keep', 48)
      mkdirSync(dir, { recursive: true })
      const store = new MemoryStore(dbPath(args))
      const name = `ai-memory-${timestamp()}`
      const snapshot = join(dir, `${name}.db`)
      store.db.prepare('VACUUM INTO ?').run(snapshot)
      store.close()
      const bytes = readFileSync(snapshot)
      if (!bugs['no-manifest']) {
        writeFileSync(join(dir, `${name}.manifest.json`), JSON.stringify({ snapshot: basename(snapshot), sha256: createHash('sha256').update(bytes).digest('hex'), size_bytes: bytes.length, version: SIM_VERSION, created_at: new Date().toISOString() }, null, 2))
      }
      if (keep > 0) {
        const snapshots = readdirSync(dir).filter((f) => /^ai-memory-.*\.db$/.test(f)).sort()
        for (const old of snapshots.slice(0, Math.max(0, snapshots.length - keep))) {
          rmSync(join(dir, old), { force: true })
          rmSync(join(dir, old.replace(/\.db$/, '.manifest.json')), { force: true })
        }
      }
      out(`backup written: ${snapshot}`)
      return 0
    }
    case 'curator': {
      const store = new MemoryStore(dbPath(args))
      const total = store.stats().total as number
      store.close()
      const started = new Date().toISOString()
      const errors = ['no LLM client configured', ...(bugs['curator-error'] ? ['curator panicked: index out of range'] : [])]
      const report = {
        started_at: started,
        completed_at: new Date().toISOString(),
        cycle_duration_ms: 0,
        memories_scanned: total,
        memories_eligible: total,
        auto_tagged: 0,
        contradictions_found: 0,
        operations_attempted: 0,
        operations_skipped_cap: 0,
        autonomy: { clusters_formed: 0, memories_consolidated: 0, memories_forgotten: 0, priority_adjustments: 0, rollback_entries_written: 0, errors: [] },
        errors,
        dry_run: args.flags.has('dry-run'),
      }
      out(args.flags.has('json') ? report : `curator: ${errors.join('; ')}`)
      return 0
    }
    case 'mcp': {
      await runMcp(SIM_VERSION, bugs['mcp-tools'] ? Number(bugs['mcp-tools']) : MCP_TOOLS_V060.length, process.stdin, process.stdout)
      return 0
    }
    case 'migrate': {
      const from = str(args, 'from')
      const to = str(args, 'to')
      if (!from || !to) throw new UsageError('migrate needs --from and --to')
      const report = await migrate({ from, to, batch: num(args, 'batch', 1000), namespace: str(args, 'namespace'), dryRun: args.flags.has('dry-run') }, bugs)
      out(args.flags.has('json') ? report : `migrated ${report.memories_written}/${report.memories_read} in ${report.batches} batch(es)`)
      return report.errors.length ? 1 : 0
    }
    case 'serve': {
      if (bugs['crash-on-start']) {
        process.stderr.write('Error: failed to open database: simulated crash on start\n')
        return 1
      }
      const store = new MemoryStore(dbPath(args))
      const peers = (str(args, 'quorum-peers') ?? '').split(',').map((p) => p.trim()).filter(Boolean)
      const normalized = peers.map((p) => p.replace(/\/+$/, '').toLowerCase())
      if (new Set(normalized).size !== normalized.length) throw new UsageError('duplicate peer URL in --quorum-peers')
      const host = str(args, 'host') ?? '127.0.0.1'
      const port = num(args, 'port', 9077)
      const server = await startServer(
        store,
        {
          host,
          port,
          quorumWrites: num(args, 'quorum-writes', 0),
          quorumPeers: peers,
          quorumTimeoutMs: num(args, 'quorum-timeout-ms', 2000),
          agentId: str(args, 'agent-id') ?? process.env.AI_MEMORY_AGENT_ID ?? `ai-memory@${host}:${port}`,
          version: SIM_VERSION,
        },
        bugs,
      )
      process.stderr.write(`ai-memory ${SIM_VERSION} listening on ${host}:${port}${peers.length ? ` (quorum ${num(args, 'quorum-writes', 0)} of ${peers.length + 1})` : ''}\n`)
      await new Promise<void>((resolveStop) => {
        const stop = () => server.close(() => resolveStop())
        process.once('SIGTERM', stop)
        process.once('SIGINT', stop)
      })
      store.close()
      return 0
    }
    case undefined:
      throw new UsageError('a subcommand is required (store, recall, list, stats, backup, curator, mcp, migrate, serve)')
    default:
      throw new UsageError(`unknown subcommand ${command}`)
  }
}

export function simMain(argv: string[]): void {
  let bugs: Bugs
  try {
    bugs = parseBugs(process.env.AI_MEMORY_SIM_BUGS)
  } catch (err) {
    process.stderr.write(`Error: ${(err as Error).message}\n`)
    process.exit(2)
  }
  run(argv, bugs).then(
    (code) => {
      process.exitCode = code
    },
    (err: unknown) => {
      process.stderr.write(`Error: ${err instanceof Error ? err.message : String(err)}\n`)
      process.exitCode = err instanceof UsageError ? 2 : 1
    },
  )
}
