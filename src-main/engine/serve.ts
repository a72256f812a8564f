// Starting, checking and stopping `ai-memory serve` processes on a host, by their own pid: never a
// broad `pkill -f 'ai-memory serve'` that would take other runs' (or other users') servers down.
// A server is journaled before it starts (found by the pid file its start command writes), so a
// crash at any instant leaves an entry that stops it.
import { cmd, envPrefix, q } from '../transport/quote'
import type { HostHandle, PhaseContext } from './context'

export interface ServeSpec {
  /** Folder for the process's log and pid file. */
  dir: string
  /** The database; under the run's folder, so the command line names the run (`--db`). */
  db: string
  bind: string
  port: number
  quorumWrites?: number
  peers?: string[]
  quorumTimeoutMs?: number
  /** Start with an empty database (delete the file and its WAL first). */
  fresh?: boolean
  /** A command the server is started under. */
  wrapper?: string[]
  /** Extra environment of the server process (e.g. libfaketime's LD_PRELOAD). */
  env?: Record<string, string>
}

export type ProcessState = 'running' | 'stopped' | 'gone'

export interface ServeHandle {
  pid: number
  spec: ServeSpec
  /** The journal entry that stops this server if the run ends without doing so. */
  journalId: number
}

/** What `ps -o args=` shows of this server: identifies it before any signal is sent. */
export function serveMarker(spec: Pick<ServeSpec, 'bind' | 'port'>): string {
  return `serve --host ${spec.bind} --port ${spec.port}`
}

export function serveArgs(spec: ServeSpec): (string | number)[] {
  const quorum =
    spec.quorumWrites && spec.peers?.length
      ? ['--quorum-writes', spec.quorumWrites, '--quorum-peers', spec.peers.join(','), '--quorum-timeout-ms', spec.quorumTimeoutMs ?? 2000]
      : []
  return ['serve', '--host', spec.bind, '--port', spec.port, ...quorum]
}

/** Starts a server detached from the command's session; journaled first, so it is stopped whatever happens. */
export async function startServe(ctx: PhaseContext, host: HostHandle, spec: ServeSpec): Promise<ServeHandle> {
  const log = `${spec.dir}/serve-${spec.port}.log`
  const pidFile = `${spec.dir}/serve-${spec.port}.pid`
  const marker = serveMarker(spec)
  const journalId = ctx.journal.recordPendingServer(ctx.runId, host.role, pidFile, marker)
  const env = { ...ctx.aimEnv(host), ...spec.env }
  const fresh = spec.fresh ? `rm -f ${q(spec.db)} ${q(`${spec.db}-wal`)} ${q(`${spec.db}-shm`)} && ` : ''
  const argv = [...(spec.wrapper ?? []), ctx.campaign.ai_memory.binary, '--db', spec.db, ...serveArgs(spec)]
  // The pid file is written by the same shell right after the fork, before this command returns.
  const command = `mkdir -p ${q(spec.dir)} && cd ${q(spec.dir)} && rm -f ${q(pidFile)} && ${fresh}${envPrefix(env)}setsid nohup ${cmd(...argv)} > ${q(log)} 2>&1 < /dev/null & echo $! > ${q(pidFile)}; cat ${q(pidFile)}`
  const r = await ctx.run(host, command, { timeoutMs: 30_000 })
  const pid = Number(r.stdout.trim().split('\n').pop())
  if (r.exitCode !== 0 || !Number.isInteger(pid) || pid <= 1) throw new Error(`could not start ai-memory serve on ${host.name}:${spec.port}: ${r.stderr.trim() || r.stdout.trim()}`)
  ctx.journal.processStarted(journalId, pid, marker)
  return { pid, spec, journalId }
}

/**
 * Stops a server the run started (INT, KILL after 5 s); its journal entry is released only when it is proven gone.
 * SIGINT, because ai-memory v0.6.0 shuts down gracefully (checkpointing its WAL) only on ctrl_c (main.rs:1029-1036);
 * SIGTERM has no handler there and kills it outright.
 */
export async function stopServe(ctx: PhaseContext, host: HostHandle, h: ServeHandle, signal: 'INT' | 'KILL' = 'INT'): Promise<ProcessState> {
  const state = await signalProcess(ctx, host, h.pid, signal)
  if (state === 'gone') ctx.journal.release(h.journalId, `stopped with SIG${signal}`)
  return state
}

export async function processState(ctx: PhaseContext, host: HostHandle, pid: number): Promise<ProcessState> {
  const r = await ctx.run(host, `ps -o stat= -p ${Math.floor(pid)} || true`, { timeoutMs: 15_000, quiet: true })
  const stat = r.stdout.trim()
  // A zombie has exited; PID 1 of the host may reap it late, so `kill -0` alone would lie.
  if (stat === '' || stat.startsWith('Z')) return 'gone'
  return stat.startsWith('T') ? 'stopped' : 'running'
}

/**
 * Polls the health endpoint on the host itself until it answers ok, the process dies, or the
 * deadline: the host's first server of the run gets the cold-start deadline (an embedder may load).
 */
export async function waitHealthy(ctx: PhaseContext, host: HostHandle, spec: Pick<ServeSpec, 'dir' | 'port'>, pid: number, deadlineMs = ctx.startDeadlineMs(host)): Promise<{ ok: boolean; ms: number; error?: string }> {
  const started = Date.now()
  const port = spec.port
  for (;;) {
    const res = await ctx.http(host, { method: 'GET', url: `http://127.0.0.1:${port}/api/v1/health`, timeoutMs: 2000 })
    if (res.status === 200 && res.body.includes('"ok"')) {
      host.warm = true
      return { ok: true, ms: Date.now() - started }
    }
    if ((await processState(ctx, host, pid)) === 'gone') {
      const tail = await ctx.run(host, `tail -n 5 ${q(`${spec.dir}/serve-${port}.log`)} 2>/dev/null || true`, { quiet: true, timeoutMs: 10_000 })
      return { ok: false, ms: Date.now() - started, error: `ai-memory serve on ${host.name}:${port} exited before it was healthy${tail.stdout.trim() ? `: ${tail.stdout.trim().split('\n').slice(-3).join(' | ')}` : ''}` }
    }
    if (Date.now() - started > deadlineMs) return { ok: false, ms: Date.now() - started, error: `ai-memory serve on ${host.name}:${port} not healthy after ${deadlineMs} ms${host.warm ? '' : ' (first start on this host: raise ai_memory.cold_start_deadline_s if an embedder is downloading)'}` }
    await ctx.sleep(150)
  }
}

/** Sends a signal and, for INT/TERM/KILL, waits until the process is really gone (KILL after 5 s). */
export async function signalProcess(ctx: PhaseContext, host: HostHandle, pid: number, signal: 'INT' | 'TERM' | 'KILL' | 'STOP' | 'CONT'): Promise<ProcessState> {
  await ctx.run(host, `kill -${signal} ${Math.floor(pid)} 2>/dev/null || true`, { timeoutMs: 15_000, quiet: true })
  if (signal === 'STOP' || signal === 'CONT') return processState(ctx, host, pid)
  const deadline = Date.now() + 5000
  for (;;) {
    const state = await processState(ctx, host, pid)
    if (state === 'gone') return state
    if (Date.now() > deadline) {
      await ctx.run(host, `kill -KILL ${Math.floor(pid)} 2>/dev/null || true`, { timeoutMs: 15_000, quiet: true })
      return processState(ctx, host, pid)
    }
    await ctx.sleep(50)
  }
}

/** Starts a non-federated server on a free port (tries a few random ones); resolves once healthy. */
export async function startServeOnFreePort(ctx: PhaseContext, host: HostHandle, base: Omit<ServeSpec, 'port'>): Promise<ServeHandle> {
  let lastError = ''
  for (let attempt = 0; attempt < 5; attempt++) {
    const spec = { ...base, port: 20000 + Math.floor(Math.random() * 30000) }
    const h = await startServe(ctx, host, spec)
    const health = await waitHealthy(ctx, host, spec, h.pid)
    if (health.ok) return h
    lastError = health.error ?? 'not healthy'
    await stopServe(ctx, host, h, 'KILL')
  }
  throw new Error(`could not start a temporary ai-memory serve on ${host.name}: ${lastError}`)
}
