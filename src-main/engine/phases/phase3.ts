// Phase 3: memories SQLite → PostgreSQL, the same migration again (idempotent), then PostgreSQL →
// SQLite, with counts on both ends (ship-gate phase3_migration.sh), on node-a, against a real
// PostgreSQL: the campaign's server, or a temporary cluster started from the host's own binaries.
import type { HostHandle, PhaseContext } from '../context'
import { CancelledError } from '../context'
import { errorMessage } from '../../lib/errors'
import { cmd, q } from '../../transport/quote'
import { ownVerdict } from '../../verdict/evaluate'
import { lastJsonObject } from '../json-output'
import { startServeOnFreePort, stopServe } from '../serve'
import { gateInput } from './params'

interface ManagedPostgres {
  url: string
  stop: () => Promise<void>
  version: string
}

/** Starts a throwaway PostgreSQL cluster on the host (as an unprivileged user when run as root). */
export async function startManagedPostgres(ctx: PhaseContext, host: HostHandle, dir: string, preferredPort?: number): Promise<ManagedPostgres> {
  const pg = `${dir}/pg`
  const prepare = [
    `set -e`,
    `BIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)`,
    `[ -n "$BIN" ] || BIN=$(dirname "$(command -v initdb 2>/dev/null || echo /nonexistent/initdb)")`,
    `[ -x "$BIN/initdb" ] || { echo "no PostgreSQL server binaries (initdb) on this host" >&2; exit 3; }`,
    `rm -rf ${q(pg)} && mkdir -p ${q(pg)}`,
    // initdb refuses to run as root: use the postgres account, else nobody.
    `RUNAS=""; if [ "$(id -u)" = 0 ]; then U=postgres; id -u postgres >/dev/null 2>&1 || U=nobody; chown -R "$U" ${q(pg)}; chmod 755 ${q(dir)}; RUNAS="runuser -u $U --"; fi`,
    `$RUNAS "$BIN/initdb" -D ${q(`${pg}/data`)} -U shipgate --auth=trust -E UTF8 >/dev/null`,
    `echo "BIN=$BIN"; echo "RUNAS=$RUNAS"; "$BIN/postgres" --version`,
  ].join('\n')
  const r = await ctx.run(host, prepare, { timeoutMs: 120_000 })
  if (r.exitCode !== 0) throw new Error(`cannot prepare PostgreSQL on ${host.name}: ${r.stderr.trim() || `exit ${r.exitCode}`}`)
  const bin = /BIN=(.*)/.exec(r.stdout)?.[1]?.trim() ?? ''
  const runas = /RUNAS=(.*)/.exec(r.stdout)?.[1]?.trim() ?? ''
  const version = r.stdout.trim().split('\n').pop() ?? ''
  const pgCtl = `${runas ? `${runas} ` : ''}${q(`${bin}/pg_ctl`)} -D ${q(`${pg}/data`)}`
  // The port may be taken by another cluster: try a few before giving up.
  const candidates = [preferredPort ?? 5433, ...Array.from({ length: 4 }, () => 20000 + Math.floor(Math.random() * 30000))]
  for (const port of candidates) {
    const start = await ctx.run(host, `${pgCtl} -o ${q(`-p ${port} -k ${pg} -c listen_addresses=127.0.0.1`)} -l ${q(`${pg}/postgres.log`)} -w -t 60 start`, { timeoutMs: 90_000 })
    if (start.exitCode === 0) {
      return {
        url: `postgres://shipgate@127.0.0.1:${port}/postgres`,
        version,
        stop: async () => {
          await ctx.run(host, `${pgCtl} -m fast -w stop; rm -rf ${q(pg)}`, { timeoutMs: 60_000 })
        },
      }
    }
    ctx.log(`PostgreSQL did not start on port ${port}; trying another`, host)
  }
  throw new Error(`PostgreSQL would not start on ${host.name} (see ${pg}/postgres.log)`)
}

async function seed(ctx: PhaseContext, node: HostHandle, dir: string, src: string): Promise<void> {
  const p = ctx.campaign.parameters.phase3
  if (p.seed_via === 'cli') {
    // ship-gate's way: one `ai-memory store` per memory; $I is expanded by the remote shell.
    const store = `${ctx.aim(['store'], { env: { AI_MEMORY_DB: src } })} --title "migrate-test-$I" --content "row $I for migration test" --tier mid --namespace phase3`
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
    const r = await ctx.step(name, node, () => ctx.run(node, ctx.aim(['migrate', '--from', from, '--to', to, '--batch', p.batch, '--json'], { cwd: dir }), { timeoutMs: 600_000 }))
    return lastJsonObject(r.stdout) ?? { errors: [`no JSON report (exit ${r.exitCode}): ${r.stderr.trim().slice(-300)}`] }
  }
  const count = async (db: string) => {
    const r = await ctx.run(node, ctx.aim(['stats', '--json'], { cwd: dir, env: { AI_MEMORY_DB: db } }), { timeoutMs: 60_000 })
    const total = lastJsonObject(r.stdout)?.total
    return typeof total === 'number' ? total : 'ERR'
  }
  try {
    await ctx.run(node, `rm -rf ${q(dir)} && mkdir -p ${q(dir)}`)
    let url: string
    if ('url' in p.postgres) {
      url = p.postgres.url
      evidence.postgres = { mode: 'given' }
    } else {
      managed = await ctx.step('start PostgreSQL', node, () => startManagedPostgres(ctx, node, dir, 'port' in p.postgres ? p.postgres.port : undefined))
      url = managed.url
      evidence.postgres = { mode: 'managed', version: managed.version }
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
