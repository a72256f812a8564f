// The four fault classes. Each is journaled before it is applied (with its undo), verified to have
// taken effect (the process is really gone or stopped, the port really unreachable, the clock really
// skewed), and healed and verified again. A fault that cannot be injected on the target says why.
import type { FaultClass } from '@shared/domain'
import { cmd, q } from '../../transport/quote'
import type { HostHandle, PhaseContext } from '../context'
import { type ServeHandle, processState, stopServe } from '../serve'
import type { ChaosNode, Topology } from './topology'

export interface FaultEnv {
  ctx: PhaseContext
  topo: Topology
  servers: ServeHandle[]
  cycle: number
  /** iptables comment marking this run's rules, so a scrub removes exactly them. */
  tag: string
}

export interface Injected {
  verified: boolean
  detail: string
  /** The journal entry of the fault (with its verified undo) and the host it was applied on. */
  journalId: number | null
  host?: HostHandle
}

export interface Healed {
  verified: boolean
  detail: string
}

export interface FaultImpl {
  /** Why this fault cannot be injected on the target, or null. Checked once per fault class. */
  preflight(ctx: PhaseContext, topo: Topology): Promise<string | null>
  /** Per-cycle preparation before the servers start (clock skew needs its timestamp file). */
  prepare?(env: FaultEnv): Promise<void>
  /** Extra environment for a node's server. */
  serverEnv?(env: Omit<FaultEnv, 'servers'>, node: ChaosNode): Record<string, string> | undefined
  inject(env: FaultEnv): Promise<Injected>
  /** Faults with a window heal after `fault_duration_ms`; a killed primary stays down for the cycle. */
  heal?(env: FaultEnv, injected: Injected): Promise<Healed>
}

/** A request from `from` to a node's health endpoint with a short timeout: 0 when unreachable. */
async function healthStatus(ctx: PhaseContext, from: HostHandle, url: string): Promise<number> {
  return (await ctx.http(from, { method: 'GET', url: `${url}/api/v1/health`, timeoutMs: 1000 })).status
}

function server(env: FaultEnv, index: number): ServeHandle {
  const s = env.servers[index]
  if (!s) throw new Error(`no server for node ${index}`)
  return s
}

const killPrimary: FaultImpl = {
  preflight: async () => null,
  async inject(env) {
    const { ctx, topo } = env
    const primary = topo.nodes[0]
    await ctx.sleep(ctx.campaign.parameters.phase4.kill_delay_ms)
    const state = await stopServe(ctx, primary.host, server(env, 0), 'KILL')
    const status = await healthStatus(ctx, topo.writer, primary.url)
    const verified = state === 'gone' && status === 0
    return { verified, detail: `SIGKILL node-0 (pid ${server(env, 0).pid}): process ${state}, port ${status === 0 ? 'unreachable' : `answered ${status}`}`, journalId: null }
  },
}

function iptablesRules(topo: Topology, tag: string): string[] {
  // Drop what the primary sends to the two peers: its fan-out cannot reach them.
  return topo.nodes.slice(1).map((n) => `OUTPUT -p tcp -d ${n.target.address} --dport ${n.target.port} -m comment --comment ${q(tag)} -j DROP`)
}

/** Deletes every rule of this run, without proving anything (the scrub before the first cycle). */
export function scrubCommand(topo: Topology, tag: string): string {
  return iptablesRules(topo, tag)
    .map((r) => `while iptables -w -D ${r} 2>/dev/null; do :; done`)
    .join('; ')
    .concat('; true')
}

/** The partition's undo: delete the rules, then prove with `iptables -C` that none is left. */
export function partitionUndoCommand(topo: Topology, tag: string): string {
  const rules = iptablesRules(topo, tag)
  return [
    ...rules.map((r) => `while iptables -w -D ${r} 2>/dev/null; do :; done`),
    ...rules.map((r) => `if iptables -w -C ${r} 2>/dev/null; then echo ${q(`partition rule still in place: ${r}`)} >&2; exit 1; fi`),
  ].join('\n')
}

/** The stopped peer's undo: SIGCONT, then prove the process is not in state T. */
export function continueUndoCommand(pid: number): string {
  const p = Math.floor(pid)
  return `kill -CONT ${p} 2>/dev/null; s=$(ps -o stat= -p ${p} 2>/dev/null); case "$s" in T*) echo "process ${p} is still stopped" >&2; exit 1 ;; esac`
}

/** The clock skew's undo: offset back to 0, then prove the server's clock is within 2 s when it answers. */
export function skewUndoCommand(file: string, url: string): string {
  return [
    `echo +0 > ${q(file)} && [ "$(cat ${q(file)})" = "+0" ] || { echo 'cannot reset the faketime offset' >&2; exit 1; }`,
    `n=0; while :; do`,
    `  d=$(curl -sSI --max-time 2 ${q(`${url}/api/v1/health`)} 2>/dev/null | tr -d '\\r' | sed -n 's/^[Dd]ate: //p')`,
    `  [ -z "$d" ] && exit 0`,
    `  off=$(( $(date -u -d "$d" +%s) - $(date -u +%s) )); [ "\${off#-}" -le 2 ] && exit 0`,
    `  n=$((n+1)); [ $n -ge 6 ] && { echo "the clock is still \${off}s off" >&2; exit 1; }; sleep 0.5`,
    `done`,
  ].join('\n')
}

const partitionMinority: FaultImpl = {
  async preflight(ctx, topo) {
    const host = topo.nodes[0].host
    const probe = `OUTPUT -p tcp -d 127.0.0.1 --dport 9 -m comment --comment shipgate-preflight -j DROP`
    const r = await ctx.run(host, `command -v iptables >/dev/null || { echo "iptables is not installed" >&2; exit 3; }; iptables -w -I ${probe} && iptables -w -D ${probe}`, { timeoutMs: 30_000 })
    if (r.exitCode === 0) return null
    return `iptables cannot be used on ${host.name}: ${r.stderr.trim().split('\n').pop() || `exit ${r.exitCode}`} (partition_minority needs iptables and root or CAP_NET_ADMIN)`
  },
  async inject(env) {
    const { ctx, topo, tag } = env
    const host = topo.nodes[0].host
    const journalId = ctx.journal.record(ctx.runId, host.role, 'fault', `partition_minority (cycle ${env.cycle}): DROP from node-0 to node-1 and node-2`, partitionUndoCommand(topo, tag))
    const apply = iptablesRules(topo, tag).map((r) => `iptables -w -I ${r}`).join(' && ')
    const r = await ctx.run(host, apply, { timeoutMs: 30_000 })
    if (r.exitCode !== 0) return { verified: false, detail: `iptables failed: ${r.stderr.trim()}`, journalId, host }
    const statuses = await Promise.all(topo.nodes.slice(1).map((n) => healthStatus(ctx, host, n.url)))
    const verified = statuses.every((s) => s === 0)
    return { verified, detail: `DROP ${topo.nodes.slice(1).map((n) => `${n.target.address}:${n.target.port}`).join(', ')} from ${host.name}: peers ${statuses.map((s) => (s === 0 ? 'unreachable' : `answered ${s}`)).join(', ')}`, journalId, host }
  },
  async heal(env, injected) {
    const { ctx, topo, tag } = env
    const host = topo.nodes[0].host
    const undo = await ctx.run(host, partitionUndoCommand(topo, tag), { timeoutMs: 30_000 })
    const statuses = await Promise.all(topo.nodes.slice(1).map((n) => healthStatus(ctx, host, n.url)))
    const verified = undo.exitCode === 0 && statuses.every((s) => s === 200)
    if (verified && injected.journalId !== null) ctx.journal.release(injected.journalId, 'healed: no rule left (iptables -C), peers reachable')
    return { verified, detail: `${undo.exitCode === 0 ? 'no rule left' : `rules NOT removed: ${undo.stderr.trim()}`}; peers ${statuses.map((s) => (s === 200 ? 'reachable' : `status ${s}`)).join(', ')}` }
  },
}

const dropRandomAcks: FaultImpl = {
  preflight: async () => null,
  async inject(env) {
    const { ctx, topo } = env
    const peer = topo.nodes[1]
    const s = server(env, 1)
    const journalId = ctx.journal.record(ctx.runId, peer.host.role, 'fault', `drop_random_acks (cycle ${env.cycle}): SIGSTOP node-1 (pid ${s.pid})`, continueUndoCommand(s.pid))
    await ctx.run(peer.host, `kill -STOP ${s.pid}`, { timeoutMs: 15_000, quiet: true })
    const state = await processState(ctx, peer.host, s.pid)
    return { verified: state === 'stopped', detail: `SIGSTOP node-1 (pid ${s.pid}): process ${state}`, journalId, host: peer.host }
  },
  async heal(env, injected) {
    const { ctx, topo } = env
    const peer = topo.nodes[1]
    const s = server(env, 1)
    const undo = await ctx.run(peer.host, continueUndoCommand(s.pid), { timeoutMs: 15_000, quiet: true })
    const state = await processState(ctx, peer.host, s.pid)
    const verified = undo.exitCode === 0 && state === 'running'
    if (verified && injected.journalId !== null) ctx.journal.release(injected.journalId, 'healed: SIGCONT, process running')
    return { verified, detail: `SIGCONT node-1: process ${state}` }
  },
}

const LIBFAKETIME = '/usr/lib/*/faketime/libfaketime.so.1 /usr/lib/faketime/libfaketime.so.1 /usr/local/lib/faketime/libfaketime.so.1'

function skewFile(env: Pick<FaultEnv, 'topo' | 'cycle'>): string {
  return `${env.topo.nodes[1].host.workdir}/phase4/clock_skew_peer/faketime-c${env.cycle}`
}

/** Seconds the node's clock is ahead of the writer's, read from its HTTP Date header. */
async function measureSkew(ctx: PhaseContext, writer: HostHandle, url: string): Promise<number | null> {
  const r = await ctx.run(writer, `${cmd('curl', '-sS', '-I', '--max-time', '2', `${url}/api/v1/health`)} | tr -d '\\r' | grep -i '^date:'; date -u +%s`, { timeoutMs: 15_000, quiet: true })
  const lines = r.stdout.trim().split('\n')
  const header = lines.find((l) => /^date:/i.test(l))
  const local = Number(lines[lines.length - 1])
  const remote = header ? Date.parse(header.slice(5).trim()) / 1000 : Number.NaN
  return Number.isFinite(remote) && Number.isFinite(local) ? remote - local : null
}

function clockSkewPeer(): FaultImpl {
  let lib: string | null = null
  return {
  async preflight(ctx, topo) {
    const host = topo.nodes[1].host
    const r = await ctx.run(host, `for f in ${LIBFAKETIME}; do [ -f "$f" ] && { echo "$f"; exit 0; }; done; exit 3`, { timeoutMs: 15_000, quiet: true })
    const path = r.stdout.trim()
    if (r.exitCode !== 0 || !path) {
      return `libfaketime is not installed on ${host.name} (apt-get install faketime). Without it a peer's clock can only be moved with CAP_SYS_TIME, which moves the whole host's clock: clock_skew_peer cannot be injected there.`
    }
    lib = path
    return null
  },
  async prepare(env) {
    const file = skewFile(env)
    await env.ctx.run(env.topo.nodes[1].host, `mkdir -p "$(dirname ${q(file)})" && echo +0 > ${q(file)}`, { timeoutMs: 15_000, quiet: true })
  },
  serverEnv(env, node) {
    if (node.index !== 1 || !lib) return undefined
    // The offset is read from a file on every clock call, so it can change while the server runs.
    return { LD_PRELOAD: lib, FAKETIME_TIMESTAMP_FILE: skewFile(env), FAKETIME_NO_CACHE: '1', FAKETIME_DONT_FAKE_MONOTONIC: '1' }
  },
  async inject(env) {
    const { ctx, topo } = env
    const peer = topo.nodes[1]
    const skew = ctx.campaign.parameters.phase4.clock_skew_s
    const file = skewFile(env)
    const journalId = ctx.journal.record(ctx.runId, peer.host.role, 'fault', `clock_skew_peer (cycle ${env.cycle}): node-1 clock +${skew}s`, skewUndoCommand(file, peer.url))
    await ctx.run(peer.host, `echo +${skew} > ${q(file)}`, { timeoutMs: 15_000, quiet: true })
    // The Date header has a one-second resolution and is refreshed once a second.
    let measured: number | null = null
    for (let i = 0; i < 8; i++) {
      measured = await measureSkew(ctx, topo.writer, peer.url)
      if (measured !== null && measured >= skew - 2) break
      await ctx.sleep(250)
    }
    const verified = measured !== null && measured >= skew - 2
    return { verified, detail: `node-1 clock set +${skew}s; measured ${measured === null ? 'nothing (no Date header)' : `${measured}s`} ahead`, journalId, host: peer.host }
  },
  async heal(env, injected) {
    const { ctx, topo } = env
    const reset = await ctx.run(topo.nodes[1].host, `echo +0 > ${q(skewFile(env))}`, { timeoutMs: 15_000, quiet: true })
    if (reset.exitCode !== 0) return { verified: false, detail: `cannot reset the offset: ${reset.stderr.trim()}` }
    let measured: number | null = null
    for (let i = 0; i < 8; i++) {
      measured = await measureSkew(ctx, topo.writer, topo.nodes[1].url)
      if (measured !== null && Math.abs(measured) <= 2) break
      await ctx.sleep(250)
    }
    const verified = measured !== null && Math.abs(measured) <= 2
    if (verified && injected.journalId !== null) ctx.journal.release(injected.journalId, 'healed: clock offset 0')
    return { verified, detail: `offset reset; measured ${measured ?? '?'}s` }
  },
  }
}

/** A fresh implementation per fault class (some keep what their preflight found). */
export const FAULTS: Record<FaultClass, () => FaultImpl> = {
  kill_primary_mid_write: () => killPrimary,
  partition_minority: () => partitionMinority,
  drop_random_acks: () => dropRandomAcks,
  clock_skew_peer: clockSkewPeer,
}

