// Phase 4: chaos. Per fault class, cycles of: fresh servers and databases, writes (source `chaos`)
// to node-0 in a fresh namespace, the fault injected at a write index and verified, healed, a
// settle that polls paged counts until they stop changing, a SIGKILL teardown, and one row kept.
// The bound is Σ min(count_node1, count_node2) / Σok over the cycles (chaos.bound.surviving-peers@2).
// Nothing here can pass vacuously: a class that cannot be injected, times out, or records fewer
// cycles than configured is an error with its reason.
import type { ChaosCycle, FaultClass } from '@shared/domain'
import { effectiveThresholds } from '@shared/campaign'
import { errorMessage } from '../../lib/errors'
import type { PhaseContext } from '../context'
import { CancelledError } from '../context'
import { FAULTS, type FaultEnv, type FaultImpl, type Healed, type Injected, scrubCommand } from '../chaos/faults'
import { buildTopology, type Topology } from '../chaos/topology'
import { type ServeHandle, startServe, stopServe, waitHealthy } from '../serve'

export const CHAOS_METRIC = 'chaos.bound.surviving-peers@2'
const POLL_MS = 250
const STABLE_POLLS = 4

interface Row extends ChaosCycle {
  verifyDetail: string
}

function rowJson(r: Row): Record<string, unknown> {
  return {
    cycle: r.cycle,
    fault: r.fault,
    writes: r.writes,
    ok: r.ok,
    quorum_not_met: r.quorumNotMet,
    fail: r.fail,
    count_node0: r.counts[0] ?? 'ERR',
    count_node1: r.counts[1] ?? 'ERR',
    count_node2: r.counts[2] ?? 'ERR',
    fault_applied_at: r.faultAppliedAt,
    fault_healed_at: r.faultHealedAt,
    converge_ms: r.convergeMs,
    converged: r.converged,
    verified: r.verified,
    verify_detail: r.verifyDetail,
    status: r.status,
    ...(r.error ? { error: r.error } : {}),
  }
}

function writeBody(cycle: number, i: number): string {
  return JSON.stringify({ tier: 'mid', namespace: `chaos-c${cycle}`, title: `c${cycle}-w${i}`, content: `chaos test payload ${cycle} ${i} ${Date.now()}`, tags: [], priority: 5, confidence: 1.0, source: 'chaos', metadata: {} })
}

async function startNodes(ctx: PhaseContext, topo: Topology, impl: FaultImpl, fault: FaultClass, cycle: number): Promise<{ servers: ServeHandle[]; error?: string }> {
  const envBase = { ctx, topo, cycle, tag: `shipgate-${ctx.runId}` }
  await impl.prepare?.({ ...envBase, servers: [] })
  const servers = await Promise.all(topo.nodes.map((n) => startServe(ctx, n.host, topo.spec(n, fault, cycle, impl.serverEnv?.(envBase, n)))))
  const health = await Promise.all(servers.map((s, i) => waitHealthy(ctx, topo.nodes[i]!.host, s.spec, s.pid, 20_000)))
  const bad = health.find((h) => !h.ok)
  return bad ? { servers, error: bad.error ?? 'a node did not become healthy' } : { servers }
}

async function stopNodes(ctx: PhaseContext, topo: Topology, servers: ServeHandle[]): Promise<void> {
  // SIGKILL, as run-chaos.sh since PR #312: SIGTERM's graceful WAL checkpoint held the port.
  await Promise.all(servers.map((s, i) => stopServe(ctx, topo.nodes[i]!.host, s, 'KILL')))
}

/** Polls the three counts until node-1 and node-2 hold every acknowledged write, or stop changing. */
async function settle(ctx: PhaseContext, topo: Topology, namespace: string, ok: number, deadlineMs: number): Promise<{ counts: (number | null)[]; ms: number; converged: boolean; errors: string[] }> {
  const started = Date.now()
  let previous = ''
  let stable = 0
  for (;;) {
    const results = await Promise.all(topo.nodes.map((n) => ctx.countNamespace(topo.writer, n.url, namespace)))
    const counts = results.map((r) => r.count)
    const survivors = counts.slice(1)
    const converged = survivors.every((c) => c !== null && c >= ok)
    const key = JSON.stringify(counts)
    stable = key === previous ? stable + 1 : 0
    previous = key
    const elapsed = Date.now() - started
    if (converged || stable >= STABLE_POLLS || elapsed > deadlineMs) {
      return { counts, ms: elapsed, converged, errors: results.flatMap((r, i) => (r.error && i > 0 ? [r.error] : [])) }
    }
    await ctx.sleep(POLL_MS)
  }
}

async function runCycle(ctx: PhaseContext, topo: Topology, fault: FaultClass, impl: FaultImpl, cycle: number): Promise<Row> {
  const p = ctx.campaign.parameters.phase4
  const row: Row = {
    fault,
    cycle,
    writes: p.writes_per_cycle,
    ok: 0,
    quorumNotMet: 0,
    fail: 0,
    counts: [null, null, null],
    faultAppliedAt: null,
    faultHealedAt: null,
    convergeMs: null,
    converged: false,
    verified: false,
    verifyDetail: '',
    status: 'error',
  }
  const { servers, error } = await startNodes(ctx, topo, impl, fault, cycle)
  try {
    if (error) {
      row.error = error
      return row
    }
    const env: FaultEnv = { ctx, topo, servers, cycle, tag: `shipgate-${ctx.runId}` }
    const url = `${topo.nodes[0].url}/api/v1/memories`
    const requests = Array.from({ length: p.writes_per_cycle }, (_, i) => ({ url, headers: { 'Content-Type': 'application/json' }, body: writeBody(cycle, i) }))
    const at = Math.min(p.fault_at_write, requests.length)
    const timeout = (n: number) => n * 16_000 + 30_000
    const before = at > 0 ? await ctx.postBatch(topo.writer, `c${cycle}-a`, requests.slice(0, at), timeout(at)) : { codes: [] }
    let injected: Injected
    try {
      injected = await impl.inject(env)
    } catch (err) {
      if (err instanceof CancelledError) throw err
      injected = { verified: false, detail: `injection failed: ${errorMessage(err)}`, journalId: null }
    }
    row.faultAppliedAt = Date.now()
    const injectedAtPerf = performance.now()
    let healed: Healed | null = null
    const healing = impl.heal
      ? (async () => {
          const remaining = p.fault_duration_ms - (performance.now() - injectedAtPerf)
          if (remaining > 0) await ctx.sleep(remaining)
          healed = await impl.heal!(env, injected)
          row.faultHealedAt = Date.now()
        })()
      : Promise.resolve()
    const [after] = await Promise.all([
      at < requests.length ? ctx.postBatch(topo.writer, `c${cycle}-b`, requests.slice(at), timeout(requests.length - at)) : Promise.resolve({ codes: [] as string[] }),
      healing,
    ])
    const codes = [...before.codes, ...after.codes]
    row.ok = codes.filter((c) => c === '201').length
    row.quorumNotMet = codes.filter((c) => c === '503').length
    row.fail = codes.length - row.ok - row.quorumNotMet
    const heal = healed as Healed | null
    row.verified = injected.verified && (heal === null || heal.verified)
    row.verifyDetail = `${injected.detail}${heal ? `; ${heal.detail}` : ''}`
    const s = await settle(ctx, topo, `chaos-c${cycle}`, row.ok, p.settle_deadline_s * 1000)
    row.counts = s.counts
    row.convergeMs = s.ms
    row.converged = s.converged
    if (!row.verified) row.error = `fault not verified: ${row.verifyDetail}`
    else if (s.counts.slice(1).some((c) => c === null)) row.error = `count query failed: ${s.errors.join('; ')}`
    else row.status = 'ok'
    return row
  } finally {
    await stopNodes(ctx, topo, servers)
  }
}

export async function runPhase4(ctx: PhaseContext): Promise<void> {
  const p = ctx.campaign.parameters.phase4
  const topo = buildTopology(ctx)
  const started = Date.now()
  const rows: Row[] = []
  const faultErrors: Record<string, string> = {}
  const recorded: Record<string, number> = {}
  const tag = `shipgate-${ctx.runId}`

  const evidence = (final: boolean): Record<string, unknown> => {
    const byFault: Record<string, Row[]> = {}
    for (const r of rows) (byFault[r.fault] ??= []).push(r)
    const convergence: Record<string, number | null> = {}
    const totals: Record<string, unknown> = {}
    for (const fault of p.faults) {
      const list = (byFault[fault] ?? []).filter((r) => r.status === 'ok')
      const sumOk = list.reduce((n, r) => n + r.ok, 0)
      const sumMin = list.reduce((n, r) => n + Math.min(r.counts[1] ?? 0, r.counts[2] ?? 0), 0)
      convergence[fault] = sumOk > 0 ? sumMin / sumOk : null
      totals[fault] = {
        cycles: (byFault[fault] ?? []).length,
        writes: (byFault[fault] ?? []).reduce((n, r) => n + r.writes, 0),
        ok: sumOk,
        quorum_not_met: (byFault[fault] ?? []).reduce((n, r) => n + r.quorumNotMet, 0),
        fail: (byFault[fault] ?? []).reduce((n, r) => n + r.fail, 0),
      }
    }
    return {
      phase: 4,
      topology: topo.name,
      metric_definition: CHAOS_METRIC,
      cycles_per_fault: p.cycles,
      writes_per_cycle: p.writes_per_cycle,
      fault_at_write: p.fault_at_write,
      fault_duration_ms: p.fault_duration_ms,
      convergence_by_fault: convergence,
      totals_by_fault: totals,
      cycles_recorded_by_fault: Object.fromEntries(p.faults.map((f) => [f, recorded[f] ?? 0])),
      fault_errors: faultErrors,
      cycles_by_fault: Object.fromEntries(Object.entries(byFault).map(([f, list]) => [f, list.map(rowJson)])),
      duration_ms: Date.now() - started,
      // Until the phase ends normally, the artifact says it did not finish: a crash leaves an error.
      ...(final ? {} : { error: 'phase 4 did not finish (the runner stopped during the chaos cycles)' }),
    }
  }
  const save = (final: boolean) => {
    ctx.artifact('phase4-cycles.jsonl', rows.map((r) => JSON.stringify(rowJson(r))).join('\n') + (rows.length ? '\n' : ''))
    const e = evidence(final)
    const min = effectiveThresholds(ctx.campaign).p4BoundMin
    const reasons = [
      ...Object.entries(faultErrors).map(([f, why]) => `${f}: ${why}`),
      ...Object.entries(e.convergence_by_fault as Record<string, number | null>)
        .filter(([f, b]) => !faultErrors[f] && (b === null || b < min))
        .map(([f, b]) => `${f}: ${b ?? 'no bound'} < ${min}`),
    ]
    ctx.artifact('phase4.json', { ...e, pass: final && reasons.length === 0 && rows.every((r) => r.status === 'ok'), reasons })
  }

  save(false)
  try {
    // Rules left by an earlier, crashed cycle of this run must not leak into this one.
    await ctx.run(topo.nodes[0].host, `command -v iptables >/dev/null && { ${scrubCommand(topo, tag)}; } || true`, { timeoutMs: 30_000, quiet: true })
    for (const fault of p.faults) {
      const impl = FAULTS[fault]()
      const classDeadline = Date.now() + p.fault_class_deadline_s * 1000
      recorded[fault] = 0
      const why = await ctx.step(`${fault}: preflight`, topo.nodes[0].host, () => impl.preflight(ctx, topo))
      if (why) {
        faultErrors[fault] = why
        ctx.log(`${fault} cannot be injected: ${why}`)
        save(false)
        continue
      }
      for (let cycle = 1; cycle <= p.cycles; cycle++) {
        if (Date.now() > classDeadline) {
          faultErrors[fault] = `fault-class deadline of ${p.fault_class_deadline_s} s passed after ${cycle - 1} of ${p.cycles} cycles`
          break
        }
        let row: Row
        try {
          row = await runCycle(ctx, topo, fault, impl, cycle)
        } catch (err) {
          if (err instanceof CancelledError) throw err
          row = { fault, cycle, writes: p.writes_per_cycle, ok: 0, quorumNotMet: 0, fail: 0, counts: [null, null, null], faultAppliedAt: null, faultHealedAt: null, convergeMs: null, converged: false, verified: false, verifyDetail: '', status: 'error', error: errorMessage(err) }
        }
        rows.push(row)
        recorded[fault] = (recorded[fault] ?? 0) + 1
        const { verifyDetail: _detail, ...cycleEvent } = row
        ctx.emitCycle(cycleEvent, p.cycles)
        save(false)
      }
    }
    save(true)
  } catch (err) {
    if (err instanceof CancelledError) {
      save(false)
      throw err
    }
    const e = evidence(false)
    ctx.artifact('phase4.json', { ...e, error: errorMessage(err), pass: false, reasons: [errorMessage(err)] })
  }
}

