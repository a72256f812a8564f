// Phase 4: chaos. Per fault class, cycles of: fresh servers and databases, writes (source `chaos`)
// to node-0 in a fresh namespace, the fault injected at a write index and verified, writes while it
// is in force (counted), a verified heal, a settle that polls what the surviving peers hold of the
// acknowledged writes (by title) until they hold all or stop changing, a SIGKILL teardown proven by
// the process table, and one row kept. The bound is Σ min(held by node-1, held by node-2) / Σok
// (chaos.bound.acked-writes@3). Nothing here can pass vacuously: a class that cannot be injected,
// times out, or records fewer cycles than configured is an error with its reason; a cycle where no
// write met the fault, whose heal is unproven, or whose servers survived SIGKILL is an error too.
import { type ChaosCycle, type FaultClass, type HostRole, chaosCycleRow } from '@shared/domain'
import { faultBound } from '@shared/catalog'
import { effectiveThresholds } from '@shared/campaign'
import { errorMessage } from '../../lib/errors'
import { parseCycleRow } from '../../evidence/phases'
import type { HostHandle, PhaseContext } from '../context'
import { CancelledError } from '../context'
import { FAULTS, type FaultEnv, type FaultImpl, type Healed, type Injected, scrubCommand } from '../chaos/faults'
import { buildTopology, type Topology } from '../chaos/topology'
import { type ServeHandle, startServe, stopServe, waitHealthy } from '../serve'

export const CHAOS_METRIC = 'chaos.bound.acked-writes@3'
const POLL_MS = 250
const STABLE_POLLS = 4
/** A heal waits for a write to meet the fault, but not forever. */
const HEAL_WAIT_CAP_MS = 60_000

interface Row extends ChaosCycle {
  verifyDetail: string
}

function rowJson(r: Row): Record<string, unknown> {
  return { ...chaosCycleRow(r, 'ERR'), verify_detail: r.verifyDetail, status: r.status, ...(r.error ? { error: r.error } : {}) }
}

function newRow(fault: FaultClass, cycle: number, writes: number): Row {
  return {
    fault,
    cycle,
    writes,
    ok: 0,
    quorumNotMet: 0,
    fail: 0,
    counts: [null, null, null],
    ackedHeld: null,
    writesDuringFault: 0,
    faultAppliedAt: null,
    faultHealedAt: null,
    convergeMs: null,
    converged: false,
    verified: false,
    healVerified: null,
    verifyDetail: '',
    status: 'error',
  }
}

function writeTitle(cycle: number, i: number): string {
  return `c${cycle}-w${i}`
}

function writeBody(cycle: number, i: number): string {
  return JSON.stringify({ tier: 'mid', namespace: `chaos-c${cycle}`, title: writeTitle(cycle, i), content: `chaos test payload ${cycle} ${i} ${Date.now()}`, tags: [], priority: 5, confidence: 1.0, source: 'chaos', metadata: {} })
}

async function startNodes(ctx: PhaseContext, topo: Topology, impl: FaultImpl, fault: FaultClass, cycle: number): Promise<{ servers: ServeHandle[]; error?: string }> {
  const envBase = { ctx, topo, cycle, tag: `shipgate-${ctx.runId}` }
  await impl.prepare?.({ ...envBase, servers: [] })
  const servers = await Promise.all(topo.nodes.map((n) => startServe(ctx, n.host, topo.spec(n, fault, cycle, impl.serverEnv?.(envBase, n)))))
  const health = await Promise.all(servers.map((s, i) => waitHealthy(ctx, topo.nodes[i]!.host, s.spec, s.pid)))
  const bad = health.find((h) => !h.ok)
  return bad ? { servers, error: bad.error ?? 'a node did not become healthy' } : { servers }
}

/** SIGKILL, as run-chaos.sh since PR #312 (SIGTERM's graceful WAL checkpoint held the port); returns what survived. */
async function stopNodes(ctx: PhaseContext, topo: Topology, servers: ServeHandle[]): Promise<string[]> {
  const states = await Promise.all(servers.map((s, i) => stopServe(ctx, topo.nodes[i]!.host, s, 'KILL')))
  return states.flatMap((state, i) => (state === 'gone' ? [] : [`node-${i}'s server (pid ${servers[i]?.pid}) is still ${state} after SIGKILL`]))
}

/**
 * Polls until node-1 and node-2 hold every acknowledged write (matched by title), or their holdings
 * stop changing, or the deadline. Namespace counts are kept beside them as a diagnostic.
 */
async function settle(ctx: PhaseContext, topo: Topology, namespace: string, acked: Set<string>, deadlineMs: number) {
  const started = Date.now()
  let previous = ''
  let stable = 0
  for (;;) {
    const results = await Promise.all(topo.nodes.map((n) => ctx.listNamespace(topo.writer, n.url, namespace)))
    const counts = results.map((r) => r.count)
    const held = results.slice(1).map((r) => (r.count === null ? null : [...acked].filter((t) => r.titles.has(t)).length)) as [number | null, number | null]
    const converged = held.every((h) => h !== null && h >= acked.size)
    const key = JSON.stringify([counts, held])
    stable = key === previous ? stable + 1 : 0
    previous = key
    const elapsed = Date.now() - started
    if (converged || stable >= STABLE_POLLS || elapsed > deadlineMs) {
      return { counts, held, ms: elapsed, converged, errors: results.flatMap((r, i) => (r.error && i > 0 ? [r.error] : [])) }
    }
    await ctx.sleep(POLL_MS)
  }
}

/** A fault whose heal was not verified: the host stays faulted until its journal undo is verified. */
interface Unhealed {
  journalId: number
  host: HostHandle
  cycle: number
}

async function runCycle(ctx: PhaseContext, topo: Topology, fault: FaultClass, impl: FaultImpl, cycle: number, unhealed: Map<HostRole, Unhealed>): Promise<Row> {
  const p = ctx.campaign.parameters.phase4
  const row = newRow(fault, cycle, p.writes_per_cycle)
  // A host left faulted by an earlier cycle is healed (and proven healed) first, or this cycle is void.
  for (const [role, u] of [...unhealed]) {
    const retry = await ctx.journal.undoOne(u.journalId, u.host.transport)
    if (retry.ok) unhealed.delete(role)
    else {
      row.error = `${u.host.name} is still faulted since cycle ${u.cycle}: heal not verified (${retry.detail})`
      return row
    }
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
    const at = Math.min(p.fault_at_write, requests.length - 1)
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
    // When each write of the second batch ended (this clock): write i started when write i-1 ended.
    const ended: number[] = []
    let firstEnded: () => void = () => undefined
    const firstWrite = new Promise<void>((resolve) => (firstEnded = resolve))
    let healStartedAt = Number.POSITIVE_INFINITY
    let healed: Healed | null = null
    const after =
      at < requests.length
        ? ctx.postBatch(topo.writer, `c${cycle}-b`, requests.slice(at), timeout(requests.length - at), (i, _code, atMs) => {
            ended[i] = atMs
            firstEnded()
          })
        : Promise.resolve({ codes: [] as string[], kept: null })
    // Both outcomes release the heal; a rejection (a cancel) is handled where `after` is awaited below.
    after.then(firstEnded, firstEnded)
    const healing = impl.heal
      ? (async () => {
          // The fault lasts its window, and at least until one write has met it (a partition makes
          // each write wait for the quorum timeout), so every cycle tests what it claims to.
          const remaining = p.fault_duration_ms - (performance.now() - injectedAtPerf)
          if (remaining > 0) await ctx.sleep(remaining)
          await Promise.race([firstWrite, ctx.sleep(HEAL_WAIT_CAP_MS)])
          healStartedAt = Date.now()
          healed = await impl.heal!(env, injected)
          row.faultHealedAt = Date.now()
        })()
      : Promise.resolve()
    const [afterResult] = await Promise.all([after, healing])
    // Conservative: write 0 counts if it also ended before the heal began; write i ≥ 1 if write i-1 ended before it.
    row.writesDuringFault = afterResult.codes.filter((_c, i) => {
      const start = i === 0 ? ended[0] : ended[i - 1]
      // At the same millisecond counts: the heal command itself takes a round trip, the fault holds until it lands.
      return start !== undefined && start <= healStartedAt
    }).length
    const codes = [...before.codes, ...afterResult.codes]
    const acked = new Set(codes.flatMap((c, i) => (c === '201' ? [writeTitle(cycle, i)] : [])))
    row.ok = acked.size
    row.quorumNotMet = codes.filter((c) => c === '503').length
    row.fail = codes.length - row.ok - row.quorumNotMet
    const heal = healed as Healed | null
    row.verified = injected.verified
    row.healVerified = heal === null ? null : heal.verified
    row.verifyDetail = `${injected.detail}${heal ? `; ${heal.detail}` : ''}`
    if (heal && !heal.verified && injected.journalId !== null && injected.host) {
      unhealed.set(injected.host.role, { journalId: injected.journalId, host: injected.host, cycle })
    }
    const s = await settle(ctx, topo, `chaos-c${cycle}`, acked, p.settle_deadline_s * 1000)
    row.counts = s.counts
    row.ackedHeld = s.held
    row.convergeMs = s.ms
    row.converged = s.converged
    if (!row.verified) row.error = `fault not verified: ${row.verifyDetail}`
    else if (row.healVerified === false) row.error = `heal not verified: ${heal?.detail ?? ''}`
    else if (row.writesDuringFault < 1) row.error = 'no write was attempted while the fault was in force'
    else if (s.held.some((h) => h === null)) row.error = `count query failed: ${s.errors.join('; ')}`
    else row.status = 'ok'
    return row
  } finally {
    const survivors = await stopNodes(ctx, topo, servers)
    if (survivors.length > 0) {
      // The servers stay journaled: the run's teardown (or recovery) tries again and records the outcome.
      row.status = 'error'
      row.error = `${row.error ? `${row.error}; ` : ''}${survivors.join('; ')}`
    }
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
  const unhealed = new Map<HostRole, Unhealed>()

  const evidence = (final: boolean): Record<string, unknown> => {
    const byFault: Record<string, Row[]> = {}
    for (const r of rows) (byFault[r.fault] ??= []).push(r)
    const convergence: Record<string, number | null> = {}
    const totals: Record<string, unknown> = {}
    for (const fault of p.faults) {
      const list = byFault[fault] ?? []
      // The same rule the verdict applies to the stored rows (one definition of the bound).
      const parsed = list.map((r) => parseCycleRow(rowJson(r))).filter((r) => r !== null)
      const figures = faultBound({ cycles: parsed, definition: CHAOS_METRIC, bound: null, totals: null })
      convergence[fault] = figures.bound
      totals[fault] = {
        cycles: list.length,
        writes: list.reduce((n, r) => n + (r.writes ?? 0), 0),
        ok: figures.sumOk,
        quorum_not_met: list.reduce((n, r) => n + (r.quorumNotMet ?? 0), 0),
        fail: list.reduce((n, r) => n + (r.fail ?? 0), 0),
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
          row = await runCycle(ctx, topo, fault, impl, cycle, unhealed)
        } catch (err) {
          if (err instanceof CancelledError) throw err
          row = { ...newRow(fault, cycle, p.writes_per_cycle), error: errorMessage(err) }
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
