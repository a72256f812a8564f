// Phase 2: the three nodes become a W-of-3 federation, agents write a burst to node-a from the chaos
// client, every node must converge, then two quorum probes (ship-gate phase2_multiagent.sh).
// Better than the script: convergence is polled with a deadline (and the time recorded) instead of
// a fixed 90 s sleep; counts page through the list instead of reading one capped page; servers are
// stopped by their own pid; the peers the probes stop are restored afterwards.
import type { HostHandle, PhaseContext } from '../context'
import { CancelledError } from '../context'
import { errorMessage } from '../../lib/errors'
import { ownVerdict } from '../../verdict/evaluate'
import { type ServeHandle, type ServeSpec, startServe, stopServe, waitHealthy } from '../serve'
import { gateInput } from '@shared/campaign'

export const PHASE2_NAMESPACE = 'ship-gate-phase2'
const POLL_MS = 500

export interface FederationNode {
  node: HostHandle
  server: ServeHandle
}

export function nodeUrl(node: HostHandle): string {
  return `http://${node.peerAddress}:${node.config.api_port}`
}

export function federationSpec(ctx: PhaseContext, node: HostHandle, fresh: boolean): ServeSpec {
  const p = ctx.campaign.parameters.phase2
  const others = ctx.nodes.filter((n) => n.role !== node.role)
  return {
    dir: `${node.workdir}/phase2`,
    db: `${node.workdir}/phase2/phase2.db`,
    bind: p.bind_address,
    port: node.config.api_port,
    quorumWrites: p.quorum_writes,
    // The peers are the *other* nodes, by the address they are reachable at: never the node itself
    // (ship-gate run 9: self in the peer list made every write quorum_not_met).
    peers: others.map(nodeUrl),
    quorumTimeoutMs: p.quorum_timeout_ms,
    fresh,
  }
}

/** Starts a node's federated server and waits until it is healthy. */
export async function startFederationNode(ctx: PhaseContext, node: HostHandle, fresh: boolean): Promise<FederationNode & { healthy: boolean; error?: string }> {
  const server = await startServe(ctx, node, federationSpec(ctx, node, fresh))
  const health = await waitHealthy(ctx, node, server.spec, server.pid)
  return { node, server, healthy: health.ok, ...(health.error ? { error: health.error } : {}) }
}

export async function runPhase2(ctx: PhaseContext): Promise<void> {
  const p = ctx.campaign.parameters.phase2
  const chaos = ctx.hosts.chaos
  const [a, b, c] = ctx.nodes
  const started = Date.now()
  const evidence: Record<string, unknown> = { phase: 2, count_method: 'p2.count.paged@2', quorum_writes: p.quorum_writes, agents: p.agents }
  try {
    // 1. Reconfigure the three nodes into the federation.
    const nodes = await ctx.step('start the federation', undefined, () => Promise.all(ctx.nodes.map((n) => startFederationNode(ctx, n, true))))
    evidence.reconfigure = Object.fromEntries(nodes.map((n) => [n.node.role, { pid: n.server.pid, healthy: n.healthy, ...(n.error ? { error: n.error } : {}) }]))
    for (const n of nodes) if (!n.healthy) ctx.log(n.error ?? `${n.node.name} is not healthy`, n.node)

    // 2. The burst: agents × writes to node-a, in parallel agents, sequential writes.
    const total = p.agents.length * p.writes_per_agent
    const codes: Record<string, number> = {}
    const url = `${nodeUrl(a)}/api/v1/memories`
    // Agents write concurrently; each agent's writes are sequential, as ship-gate's burst.
    const batches = await ctx.step('burst', chaos, () =>
      Promise.all(
        p.agents.map((agent, k) =>
          ctx.postBatch(
            chaos,
            `burst-${k}`,
            Array.from({ length: p.writes_per_agent }, (_, i) => ({
              url,
              headers: { 'Content-Type': 'application/json', 'X-Agent-Id': agent },
              body: JSON.stringify({ tier: 'mid', namespace: PHASE2_NAMESPACE, title: `${agent}-w${i}`, content: `multi-agent write ${agent} seq ${i}`, priority: 5, confidence: 1.0, source: 'api', metadata: {} }),
              keepBody: k === 0 && i === 0,
            })),
            p.writes_per_agent * 16_000 + 60_000,
          ),
        ),
      ),
    )
    for (const b of batches) for (const code of b.codes) codes[code] = (codes[code] ?? 0) + 1
    const firstBody = batches[0]?.kept ?? null
    const seen = batches.reduce((n, b) => n + b.codes.length, 0)
    const ok = codes['201'] ?? 0
    const qnm = codes['503'] ?? 0
    Object.assign(evidence, { total_writes: total, ok, quorum_not_met: qnm, fail: total - ok - qnm, codes, writes_reported: seen, first_response: firstBody })
    ctx.log(`burst: ${ok}/${total} returned 201, ${qnm} quorum_not_met, ${total - ok - qnm} other (${JSON.stringify(codes)})`)

    // 3. Convergence: poll every node until each holds every acknowledged write, or the deadline.
    const deadline = Date.now() + p.settle_deadline_s * 1000
    const settleStart = Date.now()
    let counts: (number | null)[] = [null, null, null]
    let errors: (string | undefined)[] = []
    await ctx.step('settle', chaos, async () => {
      for (;;) {
        const results = await Promise.all(ctx.nodes.map((n) => ctx.listNamespace(chaos, nodeUrl(n), PHASE2_NAMESPACE)))
        counts = results.map((r) => r.count)
        errors = results.map((r) => r.error)
        if (counts.every((n) => n !== null && n >= ok) || Date.now() > deadline) return
        await ctx.sleep(POLL_MS)
      }
    })
    const converged = counts.every((n) => n !== null && n >= ok)
    evidence.counts = { a: counts[0] ?? 'ERR', b: counts[1] ?? 'ERR', c: counts[2] ?? 'ERR' }
    Object.assign(evidence, { converged, settle_ms: Date.now() - settleStart, settle_deadline_ms: p.settle_deadline_s * 1000, count_errors: errors.filter(Boolean) })
    ctx.log(`convergence ${converged ? 'reached' : 'NOT reached'} in ${Date.now() - settleStart} ms: a=${counts[0]} b=${counts[1]} c=${counts[2]} (ok=${ok})`)

    // 4. Probes: one peer down must still meet the quorum; both down must not.
    const probe = async (ns: string) => {
      const res = await ctx.http(chaos, {
        method: 'POST',
        url: `${nodeUrl(a)}/api/v1/memories`,
        headers: { 'Content-Type': 'application/json', 'X-Agent-Id': 'ai:probe' },
        body: JSON.stringify({ tier: 'mid', namespace: ns, title: `${ns}-write`, content: 'quorum probe', priority: 5, confidence: 1.0, source: 'api', metadata: {} }),
        timeoutMs: p.quorum_timeout_ms + 10_000,
      })
      return res.status === 0 ? '000' : String(res.status)
    }
    const [na, nb, nc] = nodes
    if (!na || !nb || !nc) throw new Error('federation nodes missing')
    evidence.probe1_single_peer_down = await ctx.step('probe 1: node-b down', chaos, async () => {
      const state = await stopServe(ctx, b, nb.server)
      if (state !== 'gone') throw new Error(`node-b's server (pid ${nb.server.pid}) is still ${state} after SIGINT and SIGKILL`)
      return probe(`${PHASE2_NAMESPACE}-probe1`)
    })
    evidence.probe2_both_peers_down = await ctx.step('probe 2: node-b and node-c down', chaos, async () => {
      const state = await stopServe(ctx, c, nc.server)
      if (state !== 'gone') throw new Error(`node-c's server (pid ${nc.server.pid}) is still ${state} after SIGINT and SIGKILL`)
      return probe(`${PHASE2_NAMESPACE}-probe2`)
    })
    // 5. Leave the federation as it was found: restart the stopped peers on their databases.
    const restored = await ctx.step('restore node-b and node-c', undefined, () => Promise.all([b, c].map((n) => startFederationNode(ctx, n, false))))
    evidence.restored = Object.fromEntries(restored.map((r) => [r.node.role, r.healthy]))
  } catch (err) {
    if (err instanceof CancelledError) throw err
    evidence.error = errorMessage(err)
  } finally {
    evidence.duration_ms = Date.now() - started
    const own = ownVerdict(2, evidence, gateInput(ctx.campaign))
    ctx.artifact('phase2.json', { ...evidence, pass: own.pass, reasons: own.reasons })
  }
}
