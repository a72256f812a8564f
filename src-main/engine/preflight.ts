// Host preflight, before any phase: what the hosts must have for the phases to test the product at
// all. Each problem names its cause and its fix and stops only the phases it concerns, as an error
// (never a product failure): a binary that does not answer, nodes on different versions, a build
// without `migrate` or Postgres support (src/main.rs: `migrate` needs the `sal` feature, Postgres
// needs `sal-postgres`), a managed PostgreSQL without pgvector.
import { HOST_ROLES, type HostRole, NODE_ROLES, type PhaseNumber, PHASES } from '@shared/domain'
import { q } from '../transport/quote'
import type { HostHandle, PhaseContext } from './context'

export interface PreflightProblem {
  phases: PhaseNumber[]
  host: string
  message: string
  fix: string
}

export interface PreflightReport {
  phase: 0
  versions: Partial<Record<HostRole, string>>
  problems: PreflightProblem[]
}

/** The roles whose ai-memory a campaign's phases run. */
function rolesUsed(ctx: PhaseContext): HostRole[] {
  const p = ctx.campaign.phases
  const roles = new Set<HostRole>()
  if (p.includes(1) || p.includes(2)) for (const r of NODE_ROLES) roles.add(r)
  if (p.includes(3)) roles.add('node-a')
  if (p.includes(4)) {
    if (ctx.campaign.parameters.phase4.topology === 'harness') roles.add('chaos')
    else for (const r of NODE_ROLES) roles.add(r)
  }
  return HOST_ROLES.filter((r) => roles.has(r))
}

async function versionOf(ctx: PhaseContext, h: HostHandle): Promise<{ version: string | null; error: string | null }> {
  const r = await ctx.run(h, ctx.aim(h, ['--version']), { timeoutMs: 60_000 })
  const line = r.stdout.trim().split('\n')[0]?.trim() ?? ''
  if (r.exitCode === 0 && line) return { version: line, error: null }
  const why = r.stderr.trim().split('\n').pop() || (r.timedOut ? 'timed out' : `exit ${r.exitCode}`)
  return { version: null, error: why }
}

export async function runPreflight(ctx: PhaseContext): Promise<PreflightReport> {
  const a = ctx.campaign.ai_memory
  const roles = rolesUsed(ctx)
  const problems: PreflightProblem[] = []
  const versions: Partial<Record<HostRole, string>> = {}
  const all = [...PHASES]
  await Promise.all(
    roles.map(async (role) => {
      const h = ctx.hosts[role]
      const v = await versionOf(ctx, h)
      if (v.version) versions[role] = v.version
      else problems.push({ phases: all, host: h.name, message: `${a.binary} --version failed on ${h.name}: ${v.error}`, fix: `install ai-memory at ${a.binary} on ${h.name} (or set ai_memory.upload / ai_memory.url to let the bootstrap do it)` })
    }),
  )
  const distinct = [...new Set(Object.values(versions))]
  if (distinct.length > 1) {
    problems.push({ phases: all, host: roles.join(', '), message: `the hosts run different ai-memory builds: ${roles.map((r) => `${ctx.hosts[r].name} ${versions[r] ?? '?'}`).join('; ')}`, fix: 'install the same build on every host' })
  }
  if (a.version) {
    for (const role of roles) {
      const v = versions[role]
      if (v && !v.includes(a.version)) problems.push({ phases: all, host: ctx.hosts[role].name, message: `${ctx.hosts[role].name} runs ${v}, but the campaign expects ${a.version}`, fix: `install ai-memory ${a.version}, or change ai_memory.version` })
    }
  }
  if (ctx.campaign.phases.includes(3) && versions['node-a']) problems.push(...(await migrateSupport(ctx, ctx.hosts['node-a'])))
  return { phase: 0, versions, problems }
}

/** `migrate` and Postgres support are compiled in, and a managed PostgreSQL can have pgvector. */
async function migrateSupport(ctx: PhaseContext, node: HostHandle): Promise<PreflightProblem[]> {
  const build = 'build ai-memory with `cargo build --release --features sal,sal-postgres` (ship-gate does)'
  const help = await ctx.run(node, ctx.aim(node, ['migrate', '--help']), { timeoutMs: 60_000 })
  if (help.exitCode !== 0) {
    return [{ phases: [3], host: node.name, message: `ai-memory on ${node.name} has no \`migrate\` command (the \`sal\` feature is not compiled in): ${clapError(help.stderr)}`, fix: build }]
  }
  // A Postgres URL whose port is not a number: a build with Postgres support fails at once parsing it
  // (`parse url: error with configuration: invalid port number`), one without says `unrecognised store
  // URL` (migrate.rs:85-94). Neither connects anywhere nor writes the destination; a closed port instead
  // would keep sqlx retrying for its 30 s acquire timeout (postgres.rs:64).
  const probe = await ctx.run(node, ctx.aim(node, ['migrate', '--from', 'postgres://p@127.0.0.1:0x/p', '--to', 'sqlite:///nonexistent/x.db', '--dry-run', '--json']), { timeoutMs: 60_000 })
  const said = `${probe.stdout}\n${probe.stderr}`
  if (/unrecognised store URL/i.test(said) && !/invalid port number/i.test(said)) {
    return [{ phases: [3], host: node.name, message: `ai-memory on ${node.name} has \`migrate\` but no Postgres support (the \`sal-postgres\` feature is not compiled in): ${said.trim().split('\n').find((l) => /unrecognised store URL/i.test(l))?.trim() ?? ''}`, fix: build }]
  }
  const pg = ctx.campaign.parameters.phase3.postgres
  if ('managed' in pg && pg.server === 'system') {
    // Each answer on a labelled line: a missing vector.control prints nothing, and must not shift the bin line up.
    const r = await ctx.run(node, `echo "control=$(ls /usr/share/postgresql/*/extension/vector.control 2>/dev/null | head -n 1)"; echo "bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | head -n 1)"`, { timeoutMs: 30_000, quiet: true })
    const control = /^control=(.*)$/m.exec(r.stdout)?.[1]?.trim() ?? ''
    const bin = /^bin=(.*)$/m.exec(r.stdout)?.[1]?.trim() ?? ''
    if (!bin) return [{ phases: [3], host: node.name, message: `no PostgreSQL server binaries on ${node.name} for the managed PostgreSQL`, fix: 'apt-get install postgresql postgresql-16-pgvector (the bootstrap does it), or give parameters.phase3.postgres.url' }]
    if (!control.endsWith('vector.control')) {
      return [{ phases: [3], host: node.name, message: `the PostgreSQL on ${node.name} has no pgvector extension (${q('vector.control')} not found): ai-memory's Postgres store runs CREATE EXTENSION vector`, fix: 'apt-get install postgresql-16-pgvector (the bootstrap does it on Ubuntu 24.04), or give parameters.phase3.postgres.url of a server with pgvector' }]
    }
  }
  return []
}

/** clap's own line (`error: unrecognized subcommand 'migrate'`), not its closing hint to try --help. */
function clapError(stderr: string): string {
  const lines = stderr.trim().split('\n').map((l) => l.trim()).filter(Boolean)
  return lines.find((l) => l.startsWith('error:')) ?? lines.at(-1) ?? ''
}
