// Where the three chaos nodes run. `harness`: three `ai-memory serve` on the chaos client, only
// node-0 federated, as packaging/chaos/run-chaos.sh does. `federation`: the real node droplets,
// node-a the primary, faults applied on them over SSH.
import type { CampaignHost } from '@shared/campaign'
import type { HostHandle, PhaseContext } from '../context'
import type { ServeSpec } from '../serve'

export interface ChaosNode {
  index: 0 | 1 | 2
  host: HostHandle
  port: number
  bind: string
  /** Base URL as the writer (the chaos client) reaches it. */
  url: string
  /** Address and port the primary's fan-out uses, for partitions applied on the primary's host. */
  target: { address: string; port: number }
}

export interface Topology {
  name: 'harness' | 'federation'
  nodes: [ChaosNode, ChaosNode, ChaosNode]
  writer: HostHandle
  spec(node: ChaosNode, fault: string, cycle: number, extraEnv?: Record<string, string>): ServeSpec
}

export function buildTopology(ctx: PhaseContext): Topology {
  const p = ctx.campaign.parameters.phase4
  const chaos = ctx.hosts.chaos
  if (p.topology === 'harness') {
    const nodes = p.harness_ports.map((port, index) => ({
      index,
      host: chaos,
      port,
      bind: '127.0.0.1',
      url: `http://127.0.0.1:${port}`,
      target: { address: '127.0.0.1', port },
    })) as [ChaosNode, ChaosNode, ChaosNode]
    return {
      name: 'harness',
      nodes,
      writer: chaos,
      spec: (node, fault, cycle, extraEnv) => ({
        dir: `${chaos.workdir}/phase4/${fault}`,
        db: `${chaos.workdir}/phase4/${fault}/c${cycle}-node-${node.index}.db`,
        bind: node.bind,
        port: node.port,
        fresh: true,
        // Only node-0 federates, to node-1 and node-2 (run-chaos.sh).
        ...(node.index === 0 ? { quorumWrites: 2, peers: [nodes[1].url, nodes[2].url], quorumTimeoutMs: p.quorum_timeout_ms } : {}),
        ...(extraEnv ? { env: extraEnv } : {}),
      }),
    }
  }
  const bind = ctx.campaign.parameters.phase2.bind_address
  const url = (h: HostHandle, c: CampaignHost) => `http://${h.peerAddress}:${c.api_port}`
  const nodes = ctx.nodes.map((host, index) => ({
    index,
    host,
    port: host.config.api_port,
    bind,
    url: url(host, host.config),
    target: { address: host.peerAddress, port: host.config.api_port },
  })) as [ChaosNode, ChaosNode, ChaosNode]
  return {
    name: 'federation',
    nodes,
    writer: chaos,
    spec: (node, fault, cycle, extraEnv) => ({
      dir: `${node.host.workdir}/phase4/${fault}`,
      db: `${node.host.workdir}/phase4/${fault}/c${cycle}.db`,
      bind,
      port: node.port,
      fresh: true,
      quorumWrites: 2,
      peers: nodes.filter((n) => n.index !== node.index).map((n) => n.url),
      quorumTimeoutMs: p.quorum_timeout_ms,
      ...(extraEnv ? { env: extraEnv } : {}),
    }),
  }
}
