// Phase 3: memories SQLite → PostgreSQL, the same migration again (idempotent), then PostgreSQL →
// SQLite, with counts on both ends (ship-gate phase3_migration.sh), on node-a, against a real
// PostgreSQL with pgvector: the campaign's server, a temporary cluster started from the host's own
// binaries, or the bundled PGlite server (the demo lab). ai-memory's Postgres store needs the
// `vector` extension (src/store/postgres_schema.sql, src/store/postgres.rs ~101): a server without
// it is an environment error that names the cause, never a product failure.
import type { HostHandle, PhaseContext } from '../context'
import { CancelledError } from '../context'
import { errorMessage } from '../../lib/errors'
import { pgrepPattern } from '../../lib/pgrep'
import { cmd, q } from '../../transport/quote'
import { ownVerdict } from '../../verdict/evaluate'
import { lastJsonObject } from '../../evidence/json-text'
import { startServeOnFreePort, stopServe } from '../serve'
import { gateInput } from '@shared/campaign'

interface ManagedPostgres {
  url: string
  stop: () => Promise<void>
  version: string
  /** psql next to the server, to check the extension directly. */
  psql: string | null
}

/** Starts a throwaway PostgreSQL cluster from the host's binaries (as an unprivileged user when run as root). */
export async function startManagedPostgres(ctx: PhaseContext, host: HostHandle, dir: string, preferredPort?: number): Promise<ManagedPostgres> {
  const pg = `${dir}/pg`
  const data = `${pg}/data`
  const prepare = [
    `set -e`,
    `BIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)`,
    `[ -n "$BIN" ] || BIN=$(dirname "$(command -v initdb 2>/dev/null || echo /nonexistent/initdb)")`,
    `[ -x "$BIN/initdb" ] || { echo "no PostgreSQL server binaries (initdb) on this host" >&2; exit 3; }`,
    `rm -rf ${q(pg)} && mkdir -p ${q(pg)}`,
    // initdb refuses to run as root: use the postgres account, else nobody.
    `RUNAS=""; if [ "$(id -u)" = 0 ]; then U=postgres; id -u postgres >/dev/null 2>&1 || U=nobody; chown -R "$U" ${q(pg)}; chmod 755 ${q(dir)}; RUNAS="runuser -u $U --"; fi`,
    `$RUNAS "$BIN/initdb" -D ${q(data)} -U shipgate --auth=trust -E UTF8 >/dev/null`,
    `echo "BIN=$BIN"; echo "RUNAS=$RUNAS"; "$BIN/postgres" --version`,
  ].join('\n')
  const r = await ctx.run(host, prepare, { timeoutMs: 120_000 })
  if (r.exitCode !== 0) throw new Error(`cannot prepare PostgreSQL on ${host.name}: ${r.stderr.trim() || `exit ${r.exitCode}`}`)
  const bin = /BIN=(.*)/.exec(r.stdout)?.[1]?.trim() ?? ''
  const runas = /RUNAS=(.*)/.exec(r.stdout)?.[1]?.trim() ?? ''
  const version = r.stdout.trim().split('\n').pop() ?? ''
  const pgCtl = `${runas ? `${runas} ` : ''}${q(`${bin}/pg_ctl`)} -D ${q(data)}`
  // Journaled before it starts; the undo stops the cluster and proves no process of it is left.
  const journalId = ctx.journal.record(
    ctx.runId,
    host.role,
    'process',
    `PostgreSQL cluster ${data}`,
    `${pgCtl} -m immediate -w stop >/dev/null 2>&1; if pgrep -f -- ${q(pgrepPattern(data))} >/dev/null; then echo "PostgreSQL of ${data} is still running" >&2; exit 1; fi; rm -rf ${q(pg)}`,
  )
  // The port may be taken by another cluster: try a few before giving up.
  const candidates = [preferredPort ?? 5433, ...Array.from({ length: 4 }, () => 20000 + Math.floor(Math.random() * 30000))]
  for (const port of candidates) {
    const start = await ctx.run(host, `${pgCtl} -o ${q(`-p ${port} -k ${pg} -c listen_addresses=127.0.0.1`)} -l ${q(`${pg}/postgres.log`)} -w -t 60 start`, { timeoutMs: 90_000 })
    if (start.exitCode === 0) {
      return {
        url: `postgres://shipgate@127.0.0.1:${port}/postgres`,
        version,
        psql: `${bin}/psql`,
        stop: async () => {
          const stop = await ctx.run(host, `${pgCtl} -m fast -w stop`, { timeoutMs: 60_000 })
          const left = await ctx.run(host, `pgrep -f -- ${q(pgrepPattern(data))} || true`, { timeoutMs: 15_000, quiet: true })
          if (stop.exitCode !== 0 || left.stdout.trim() !== '') throw new Error(`PostgreSQL of ${data} did not stop: ${stop.stderr.trim() || `pids ${left.stdout.trim()}`}`)
          ctx.journal.release(journalId, 'stopped with pg_ctl')
          await ctx.run(host, `rm -rf ${q(pg)}`, { timeoutMs: 60_000, quiet: true })
        },
      }
    }
    ctx.log(`PostgreSQL did not start on port ${port}; trying another`, host)
  }
  throw new Error(`PostgreSQL would not start on ${host.name} (see ${pg}/postgres.log)`)
}

/** Starts the bundled PGlite server (PostgreSQL with pgvector, in WebAssembly) on the host: the demo lab's PostgreSQL. */
export async function startPglite(ctx: PhaseContext, host: HostHandle, dir: string, binary: string): Promise<ManagedPostgres> {
  const pg = `${dir}/pglite`
  const pidFile = `${pg}/server.pid`
  const log = `${pg}/server.log`
  const marker = `--data-dir ${pg}/data`
  const journalId = ctx.journal.recordPendingServer(ctx.runId, host.role, pidFile, marker)
  for (let attempt = 0; attempt < 4; attempt++) {
    const port = 20000 + Math.floor(Math.random() * 30000)
    const started = await ctx.run(
      host,
      // The folder first, on its own: `a && b && c & echo $!` would background the whole list and
      // write the pid file before the folder exists.
      `rm -rf ${q(pg)} && mkdir -p ${q(pg)} || exit 1; setsid nohup ${cmd(binary, '--host', '127.0.0.1', '--port', port, '--data-dir', `${pg}/data`)} > ${q(log)} 2>&1 < /dev/null & echo $! > ${q(pidFile)}; cat ${q(pidFile)}`,
      { timeoutMs: 30_000 },
    )
    const pid = Number(started.stdout.trim().split('\n').pop())
    if (!Number.isInteger(pid) || pid <= 1) throw new Error(`could not start the PGlite server on ${host.name}: ${started.stderr.trim()}`)
    ctx.journal.processStarted(journalId, pid, marker)
    const deadline = Date.now() + 120_000
    for (;;) {
      const r = await ctx.run(host, `grep -m1 '^ready ' ${q(log)} 2>/dev/null; ps -o stat= -p ${pid} >/dev/null 2>&1 || echo EXITED`, { timeoutMs: 15_000, quiet: true })
      const ready = /^ready (postgres\S+)/m.exec(r.stdout)
      if (ready?.[1]) {
        const server = { pid, spec: { dir: pg, db: '', bind: '127.0.0.1', port }, journalId }
        return { url: ready[1], version: 'PGlite (PostgreSQL with pgvector)', psql: null, stop: async () => void (await stopServe(ctx, host, server)) }
      }
      if (r.stdout.includes('EXITED') || Date.now() > deadline) break
      await ctx.sleep(250)
    }
    ctx.log(`the PGlite server did not get ready on port ${port}; trying another`, host)
  }
  throw new Error(`the PGlite server would not start on ${host.name} (see ${log})`)
}

/**
 * Whether the server can hold ai-memory's schema: `CREATE EXTENSION vector` through psql when one is
 * at hand, else ai-memory's own migrate on an empty source, classified by what it says.
 */
async function vectorProblem(ctx: PhaseContext, node: HostHandle, dir: string, url: string, psql: string | null): Promise<string | null> {
  const where = url.replace(/\/\/[^@/]*@/, '//')
  const fix = 'install pgvector for that PostgreSQL (Ubuntu: postgresql-16-pgvector) or point parameters.phase3.postgres.url at a server that has it'
  const viaPsql = psql ?? (await ctx.run(node, 'command -v psql || true', { timeoutMs: 15_000, quiet: true })).stdout.trim()
  if (viaPsql) {
    const r = await ctx.run(node, `${q(viaPsql)} -X -q -v ON_ERROR_STOP=1 ${q(url)} -c 'CREATE EXTENSION IF NOT EXISTS vector'`, { timeoutMs: 60_000 })
    if (r.exitCode === 0) return null
    const why = r.stderr.trim().split('\n').pop() ?? `exit ${r.exitCode}`
    return /vector/i.test(r.stderr) ? `PostgreSQL at ${where} has no pgvector (${why}): ${fix}` : `PostgreSQL at ${where} cannot be used (${why})`
  }
  const empty = `${dir}/vector-probe.db`
  const r = await ctx.run(node, ctx.aim(node, ['migrate', '--from', `sqlite://${empty}`, '--to', url, '--dry-run', '--json'], { cwd: dir }), { timeoutMs: 120_000 })
  if (r.exitCode !== 0 && /extension "?vector"?|pgvector|type "vector"/i.test(r.stderr)) return `PostgreSQL at ${where} has no pgvector (${r.stderr.trim().split('\n').pop()}): ${fix}`
  return null
}

async function seed(ctx: PhaseContext, node: HostHandle, dir: string, src: string): Promise<void> {
  const p = ctx.campaign.parameters.phase3
  if (p.seed_via === 'cli') {
    // ship-gate's way: one `ai-memory store` per memory; $I is expanded by the remote shell.
    const store = `${ctx.aim(node, ['--db', src, 'store'])} --title "migrate-test-$I" --content "row $I for migration test" --tier mid --namespace phase3`
    const loop = `I=1; while [ "$I" -le ${p.memories} ]; do ${store} >/dev/null || exit 1; I=$((I+1)); done`
    const r = await ctx.run(node, `cd ${q(dir)} && ${loop}`, { timeoutMs: p.memories * 5000 + 60_000, show: `seed ${p.memories} memories with ai-memory store` })
    if (r.exitCode !== 0) throw new Error(`seeding failed (exit ${r.exitCode}): ${r.stderr.trim().slice(-500)}`)
    return
  }
  // `http`: the same memories POSTed to a temporary server on the source database.
  const server = await startServeOnFreePort(ctx, node, { dir, db: src, bind: '127.0.0.1' })
  const port = server.spec.port
  try {
    const requests = Array.from({ length: p.memories }, (_, k) => ({
      url: `http://127.0.0.1:${port}/api/v1/memories`,
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ tier: 'mid', namespace: 'phase3', title: `migrate-test-${k + 1}`, content: `row ${k + 1} for migration test`, source: 'cli' }),
    }))
    const { codes } = await ctx.postBatch(node, 'seed', requests, p.memories * 16_000 + 60_000)
    const failed = codes.filter((c) => c !== '201').length
    if (failed > 0) throw new Error(`seeding failed: ${failed} of ${p.memories} writes did not return 201 (${[...new Set(codes.filter((c) => c !== '201'))].join(', ')})`)
  } finally {
    await stopServe(ctx, node, server)
  }
}

export async function runPhase3(ctx: PhaseContext): Promise<void> {
  const p = ctx.campaign.parameters.phase3
  const node = ctx.hosts['node-a']
  const dir = `${node.workdir}/phase3`
  const src = `${dir}/phase3-source.db`
  const dst = `${dir}/phase3-roundtrip.db`
  const started = Date.now()
  const evidence: Record<string, unknown> = { phase: 3, seed_via: p.seed_via, memories: p.memories }
  let managed: ManagedPostgres | null = null
  const migrate = async (name: string, from: string, to: string) => {
    const r = await ctx.step(name, node, () => ctx.run(node, ctx.aim(node, ['migrate', '--from', from, '--to', to, '--batch', p.batch, '--json'], { cwd: dir }), { timeoutMs: 600_000 }))
    return lastJsonObject(r.stdout) ?? { errors: [`no JSON report (exit ${r.exitCode}): ${r.stderr.trim().slice(-300)}`] }
  }
  const count = async (db: string) => {
    const r = await ctx.run(node, ctx.aim(node, ['--db', db, 'stats', '--json'], { cwd: dir }), { timeoutMs: 60_000 })
    const total = lastJsonObject(r.stdout)?.total
    return typeof total === 'number' ? total : 'ERR'
  }
  try {
    await ctx.run(node, `rm -rf ${q(dir)} && mkdir -p ${q(dir)}`)
    let url: string
    const pg = p.postgres
    if ('url' in pg) {
      url = pg.url
      evidence.postgres = { mode: 'given' }
    } else {
      managed = await ctx.step('start PostgreSQL', node, () =>
        pg.server === 'pglite' ? startPglite(ctx, node, dir, pg.pglite as string) : startManagedPostgres(ctx, node, dir, pg.port),
      )
      url = managed.url
      evidence.postgres = { mode: 'managed', server: pg.server, version: managed.version }
    }
    const problem = await ctx.step('check pgvector', node, () => vectorProblem(ctx, node, dir, url, managed?.psql ?? null))
    if (problem) {
      evidence.environment_error = problem
      ctx.log(`phase 3 cannot test the product here: ${problem}`, node)
      return
    }
    await ctx.step(`seed ${p.memories} memories`, node, () => seed(ctx, node, dir, src))
    const sqliteSrc = `sqlite://${src}`
    evidence.report_forward = await migrate('migrate SQLite → Postgres', sqliteSrc, url)
    evidence.report_idempotent = await migrate('migrate again (idempotent)', sqliteSrc, url)
    await ctx.run(node, cmd('rm', '-f', dst))
    evidence.report_reverse = await migrate('migrate Postgres → SQLite', url, `sqlite://${dst}`)
    evidence.src_count = await count(src)
    evidence.dst_count = await count(dst)
  } catch (err) {
    if (err instanceof CancelledError) throw err
    evidence.error = errorMessage(err)
  } finally {
    if (managed) {
      const m = managed
      await ctx.step('stop PostgreSQL', node, () => m.stop()).catch((err: unknown) => ctx.log(`could not stop PostgreSQL: ${errorMessage(err)}`, node))
    }
    evidence.duration_ms = Date.now() - started
    const own = ownVerdict(3, evidence, gateInput(ctx.campaign))
    ctx.artifact('phase3.json', { ...evidence, pass: own.pass, reasons: own.reasons })
  }
}
