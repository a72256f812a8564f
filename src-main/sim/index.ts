// Shipgate Lab's simulated ai-memory: the subset of the ai-memory v0.6.0 command line and HTTP API
// that the four phases touch, faithful to its documented behaviour, for the demo lab and the tests.
// It is started through resources/bin/ai-memory. It never pretends to be the real binary: its
// version string says `+shipgate-sim`.
import { createHash } from 'node:crypto'
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { hostname } from 'node:os'
import { basename, join, resolve } from 'node:path'
import { parseBugs, type Bugs } from './bugs'
import { loadConfig, loadEmbedder } from './config'
import { ClapError, parseInvocation, type ParsedValues } from './cli'
import { MemoryStore, validateNew } from './store'

export const SIM_VERSION = '0.6.0+shipgate-sim'

/**
 * Cargo features the simulated build has (AI_MEMORY_SIM_FEATURES, comma-separated; ship-gate builds
 * with `sal,sal-postgres`, the default). Without `sal` there is no `migrate` (main.rs:20-27,
 * 182-183); without `sal-postgres` a postgres:// URL is unrecognised (migrate.rs:85-94).
 */
export function simFeatures(env = process.env): Set<string> {
  const spec = env.AI_MEMORY_SIM_FEATURES ?? 'sal,sal-postgres'
  return new Set(spec.split(',').map((f) => f.trim()).filter(Boolean))
}

const MIGRATE_HELP = `v0.7: migrate memories between SAL backends

Usage: ai-memory migrate [OPTIONS] --from <FROM> --to <TO>

Options:
      --from <FROM>            Source store URL (sqlite:///path or postgres://...)
      --to <TO>                Destination store URL
      --batch <BATCH>          Batch size hint [default: 1000]
      --namespace <NAMESPACE>  Only this namespace
      --dry-run                Read only; write nothing
      --json                   Output as JSON (machine-parseable)
  -h, --help                   Print help
`

/** A value clap would refuse after parsing (a number that is not one): exit 2 like a ClapError. */
function invalidValue(name: string, value: string, why: string): ClapError {
  return new ClapError(`invalid value '${value}' for '--${name} <${name.toUpperCase().replace(/-/g, '_')}>': ${why}`)
}

/** Typed access to one subcommand's parsed options. */
class Args {
  constructor(
    private readonly values: ParsedValues,
    readonly positionals: string[],
  ) {}

  has(name: string): boolean {
    return this.values[name] === true
  }

  str(name: string): string | undefined {
    const v = this.values[name]
    return typeof v === 'string' ? v : undefined
  }

  /** A `value_delimiter = ','` option: every occurrence, split on commas. */
  list(name: string): string[] {
    const v = this.values[name]
    return (Array.isArray(v) ? v : []).flatMap((s) => s.split(',')).map((s) => s.trim()).filter(Boolean)
  }

  num(name: string, fallback: number): number {
    const v = this.str(name)
    if (v === undefined) return fallback
    const n = Number(v)
    if (v.trim() === '' || !Number.isFinite(n)) throw invalidValue(name, v, 'invalid digit found in string')
    return n
  }
}

function out(value: unknown): void {
  process.stdout.write(`${typeof value === 'string' ? value : JSON.stringify(value, null, 2)}\n`)
}

function dbPath(args: Args): string {
  return resolve(args.str('db') ?? process.env.AI_MEMORY_DB ?? 'ai-memory.db')
}

async function run(argv: string[], bugs: Bugs): Promise<number> {
  // Loaded before the command line is parsed, as main.rs:768-769 does (so even --version reports it).
  const config = loadConfig()
  const features = simFeatures()
  const invocation = parseInvocation(argv, (name) => name !== 'migrate' || features.has('sal'))
  if (invocation.kind === 'version') {
    out(`ai-memory ${SIM_VERSION}`)
    return 0
  }
  if (invocation.kind === 'help') {
    out(invocation.command === 'migrate' ? MIGRATE_HELP.trimEnd() : invocation.command ? `Usage: ai-memory ${invocation.command} [OPTIONS]` : 'Usage: ai-memory [OPTIONS] <COMMAND>')
    return 0
  }
  if (invocation.kind === 'unsimulated') {
    process.stderr.write(`Error: \`${invocation.command}\` is an ai-memory v0.6.0 command that Shipgate Lab's simulator does not simulate\n`)
    return 1
  }
  const { command } = invocation
  const args = new Args(invocation.values, invocation.positionals)
  switch (command) {
    case 'store': {
      const store = new MemoryStore(dbPath(args))
      const m = {
        tier: args.str('tier') ?? 'mid',
        // Without --namespace ai-memory names the project: the git remote, else the folder (main.rs); never `global`.
        namespace: args.str('namespace') ?? config.default_namespace ?? (basename(process.cwd()) || 'global'),
        title: args.str('title') ?? '',
        content: args.str('content') ?? '',
        tags: (args.str('tags') ?? '').split(',').map((t) => t.trim()).filter(Boolean),
        priority: args.num('priority', 5),
        confidence: args.num('confidence', 1),
        source: args.str('source') ?? 'cli',
        ...(args.str('expires-at') !== undefined ? { expires_at: args.str('expires-at') } : {}),
      }
      const problem = validateNew(m, [])
      // main.rs:1504-1512: a validation error is an anyhow error, exit 1.
      if (problem) throw new Error(problem)
      const row = store.create(m)
      store.close()
      out(args.has('json') ? row : `stored ${row.id} [${row.tier}] ${row.namespace}: ${row.title}`)
      return 0
    }
    case 'recall': {
      await loadEmbedder(args.str('tier') ?? config.tier ?? 'semantic')
      const store = new MemoryStore(dbPath(args))
      const memories = bugs['recall-empty'] ? [] : store.recall(args.positionals[0] ?? '', { namespace: args.str('namespace'), limit: args.num('limit', 10) })
      store.close()
      if (args.has('json')) out({ memories, count: memories.length, mode: 'keyword', tokens_used: memories.reduce((n, m) => n + Math.ceil(m.content.length / 4), 0) })
      else for (const m of memories) out(`${m.id} ${m.title}`)
      return 0
    }
    case 'list': {
      const store = new MemoryStore(dbPath(args))
      const memories = store.list({ namespace: args.str('namespace'), tier: args.str('tier'), limit: args.num('limit', 20), offset: args.num('offset', 0) })
      store.close()
      out(args.has('json') ? { memories, count: memories.length } : memories.map((m) => `${m.id} ${m.title}`).join('\n'))
      return 0
    }
    case 'stats': {
      const store = new MemoryStore(dbPath(args))
      const stats = store.stats()
      store.close()
      if (bugs['stats-zero']) stats.total = 0
      out(args.has('json') ? stats : `total: ${String(stats.total)}`)
      return 0
    }
    case 'backup': {
      // main.rs:3846-3957: one snapshot per second (ai-memory-%Y-%m-%dT%H%M%SZ.db, never overwritten),
      // its manifest, then rotation newest-first down to --keep.
      const dir = resolve(args.str('to') ?? './backups')
      const keep = args.num('keep', 48)
      mkdirSync(dir, { recursive: true })
      const source = dbPath(args)
      const ts = new Date().toISOString().replace(/\.\d+Z$/, 'Z').replace(/:/g, '')
      const name = `ai-memory-${ts}`
      const snapshot = join(dir, `${name}.db`)
      if (existsSync(snapshot)) throw new Error(`refusing to overwrite existing snapshot ${snapshot}`)
      const store = new MemoryStore(source)
      store.db.prepare('VACUUM INTO ?').run(snapshot)
      store.close()
      const bytes = readFileSync(snapshot)
      const manifest = { snapshot: basename(snapshot), sha256: createHash('sha256').update(bytes).digest('hex'), bytes: bytes.length, source_db: args.str('db') ?? process.env.AI_MEMORY_DB ?? 'ai-memory.db', version: '0.6.0', created_at: new Date().toISOString().replace('Z', '+00:00') }
      const manifestPath = join(dir, `${name}.manifest.json`)
      if (!bugs['no-manifest']) writeFileSync(manifestPath, JSON.stringify(manifest, null, 2))
      // Bug switch extra-snapshot: a stray second snapshot that rotation never removes.
      if (bugs['extra-snapshot']) writeFileSync(join(dir, `${name}-extra.db`), bytes)
      if (keep > 0) {
        const snapshots = readdirSync(dir).filter((f) => /^ai-memory-.*\.db$/i.test(f) && !f.endsWith('-extra.db')).sort().reverse()
        for (const old of snapshots.slice(keep)) {
          rmSync(join(dir, old), { force: true })
          rmSync(join(dir, old.replace(/\.db$/i, '.manifest.json')), { force: true })
        }
      }
      if (args.has('json')) process.stdout.write(`${JSON.stringify(manifest)}\n`)
      else out(`Snapshot: ${snapshot}\nManifest: ${manifestPath}\nSHA-256 : ${manifest.sha256}\nBytes   : ${manifest.bytes}`)
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
        dry_run: args.has('dry-run'),
      }
      out(args.has('json') ? report : `curator: ${errors.join('; ')}`)
      return 0
    }
    case 'mcp': {
      // mcp's tier is its own flag, default semantic (main.rs ~103); the embedder loads before the first answer (mcp.rs:2735).
      await loadEmbedder(args.str('tier') ?? 'semantic')
      // Loaded only by the command that needs it: ship-gate's phase 3 starts the binary 1000 times.
      const { MCP_TOOLS_V060, runMcp } = await import('./mcp')
      await runMcp(SIM_VERSION, bugs['mcp-tools'] ? Number(bugs['mcp-tools']) : MCP_TOOLS_V060.length, process.stdin, process.stdout)
      return 0
    }
    case 'migrate': {
      // Both required: parseInvocation refused their absence as clap does.
      const from = args.str('from') as string
      const to = args.str('to') as string
      const { ChainError, migrate } = await import('./migrate')
      let report
      try {
        report = await migrate({ from, to, namespace: args.str('namespace'), dryRun: args.has('dry-run'), features }, bugs)
      } catch (err) {
        // main.rs:4236-4242: an adapter that does not open ends the command with nothing on stdout.
        if (err instanceof ChainError) {
          process.stderr.write(err.render())
          return 1
        }
        throw err
      }
      out(
        args.has('json')
          ? report
          : `migration report\n  from:              ${from}\n  to:                ${to}\n  memories_read:     ${report.memories_read}\n  memories_written:  ${report.memories_written}\n  batches:           ${report.batches}\n  dry_run:           ${report.dry_run}\n  errors:            ${report.errors.length}${report.errors.map((e) => `\n    - ${e}`).join('')}`,
      )
      // main.rs:4271-4273: the report first, then the failure.
      if (report.errors.length) {
        process.stderr.write(`Error: migration completed with ${report.errors.length} error(s)\n`)
        return 1
      }
      return 0
    }
    case 'serve': {
      if (bugs['crash-on-start']) {
        process.stderr.write('Error: failed to open database: simulated crash on start\n')
        return 1
      }
      const store = new MemoryStore(dbPath(args))
      // value_delimiter = ',' (main.rs:415); federation.rs:74-108 takes the list as given, duplicates and all.
      const peers = args.list('quorum-peers')
      const host = args.str('host') ?? '127.0.0.1'
      const port = args.num('port', 9077)
      // The embedder loads before the listener binds (main.rs:899-933): a cold start delays the port.
      // serve has no --tier (main.rs:372-428): only the config's tier applies.
      await loadEmbedder(config.tier ?? 'semantic')
      const { startServer } = await import('./serve')
      const server = await startServer(
        store,
        {
          host,
          port,
          quorumWrites: args.num('quorum-writes', 0),
          quorumPeers: peers,
          quorumTimeoutMs: args.num('quorum-timeout-ms', 2000),
          // The fan-out's sender is the host, whatever --agent-id says (main.rs:953-960).
          agentId: `host:${hostname()}`,
          version: SIM_VERSION,
          apiKey: config.api_key ?? null,
        },
        bugs,
      )
      process.stderr.write(`ai-memory ${SIM_VERSION} listening on ${host}:${port}${peers.length ? ` (quorum ${args.num('quorum-writes', 0)} of ${peers.length + 1})` : ''}\n`)
      // main.rs:1014-1019: ctrl-c (SIGINT) is a graceful shutdown; SIGTERM has no handler, so the
      // process dies of the signal, exactly as the real binary does.
      await new Promise<void>((resolveStop) => {
        process.once('SIGINT', () => {
          server.closeAllConnections()
          server.close(() => resolveStop())
        })
      })
      store.close()
      return 0
    }
    default:
      throw new ClapError(`unrecognized subcommand '${command}'`)
  }
}

export function simMain(argv: string[]): void {
  // Shown by ps and pgrep -f as the real binary is (`ai-memory --db … serve --host … --port …`), not as node.
  process.title = ['ai-memory', ...argv].join(' ')
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
      if (err instanceof ClapError) {
        process.stderr.write(err.render())
        process.exitCode = 2
        return
      }
      process.stderr.write(`Error: ${err instanceof Error ? err.message : String(err)}\n`)
      process.exitCode = 1
    },
  )
}
