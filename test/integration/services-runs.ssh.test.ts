// Whole campaigns over SSH against the lab droplets (real sshd, real iptables, real PostgreSQL).
// Droplets: d7–d10 (harness topology), d11–d14 (federation topology); d15–d18 belong to cli-launch.
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import type { PhaseResult } from '@shared/domain'
import type { RunService } from '../../src-main/services/runs'
import type { Store } from '../../src-main/store/store'
import type { Services } from '../../src-main/services/container'
import { defaultKnownHostsFiles } from '../../src-main/engine/transports'
import { pgliteServer } from '../../src-main/demo/demo'
import { testServices } from '../helpers/services'
import { labCampaign } from '../helpers/campaigns'
import { droplet, inNamespace, lab } from '../helpers/lab'
import { useTmp } from '../helpers/tmp'
import { SshConnection } from '../../src-main/transport/ssh/connection'
import { resolveEndpoint } from '../../src-main/transport/ssh/endpoint'
import { HostKeyPolicy } from '../../src-main/transport/ssh/host-keys'

const tmp = useTmp()
const opened: Services[] = []
afterAll(() => opened.forEach((s) => s.close()))

function service(): { store: Store; runs: RunService } {
  const s = testServices(join(tmp(), 'h.sqlite'), { knownHostsFiles: [...defaultKnownHostsFiles(), lab().knownHosts] })
  opened.push(s)
  return { store: s.store, runs: s.runs }
}

const connections: SshConnection[] = []
afterAll(async () => {
  for (const c of connections) await c.dispose()
})

function sshTo(n: number): SshConnection {
  const h = droplet(n)
  const c = new SshConnection(resolveEndpoint({ address: h.address, user: h.user, identityFile: lab().keys.ed25519, useAgent: false }, { sshConfig: null }), {
    hostKeys: new HostKeyPolicy({ knownHostsFiles: [lab().knownHosts] }),
    env: {},
  })
  connections.push(c)
  return c
}

function phase(phases: PhaseResult[], n: number): PhaseResult {
  const p = phases.find((x) => x.phase === n)
  if (!p) throw new Error(`phase ${n} missing`)
  return p
}

describe('a campaign over SSH on the lab', { timeout: 240_000 }, () => {
  it('passes phases 1–4 in the harness topology, with every fault class verified on a real host', async () => {
    const { store, runs } = service()
    const campaign = labCampaign([7, 8, 9, 10], {
      parameters: {
        phase2: { writes_per_agent: 10, settle_deadline_s: 20 },
        // Debian's PostgreSQL has no pgvector, which ai-memory's Postgres store needs (engine-preflight.test shows
        // that refusal); the droplets share this machine's files, so they run the bundled PGlite with pgvector.
        phase3: { memories: 40, seed_via: 'cli', postgres: { managed: true, server: 'pglite', pglite: pgliteServer() } },
        phase4: { topology: 'harness', cycles: 2, writes_per_cycle: 12, settle_deadline_s: 5, faults: ['kill_primary_mid_write', 'partition_minority', 'drop_random_acks', 'clock_skew_peer'] },
      },
    })
    const cycles: number[] = []
    const outcome = await runs.start(campaign, { onEvent: (e) => e.type === 'cycle' && cycles.push(e.cycle.cycle) })
    const e = outcome.evaluation
    expect(e.phases.map((p) => [p.phase, p.status, p.summary])).toEqual([
      [1, 'pass', 'all 22 checks hold'],
      [2, 'pass', 'all 6 checks hold'],
      [3, 'pass', 'all 6 checks hold'],
      [4, 'pass', 'all 19 checks hold'],
    ])
    expect(e.verdict).toBe('pass')
    expect(cycles).toHaveLength(8)
    const p4 = phase(e.phases, 4)
    for (const f of ['kill_primary_mid_write', 'partition_minority', 'drop_random_acks', 'clock_skew_peer']) {
      expect(p4.checks.find((c) => c.id === 'p4.bound' && c.subject === f)?.measured, f).toBe(1)
      expect(p4.checks.find((c) => c.id === 'p4.verified' && c.subject === f)?.value, f).toBe('2/2 verified')
    }
    // Phase 1 ran on three different hosts; the chaos host's iptables holds nothing of ours.
    const p1 = store.artifacts.all(outcome.runId).filter((a) => a.name.startsWith('phase1-')).map((a) => JSON.parse(a.bytes.toString()).host)
    expect(p1).toEqual(['lab-node-a', 'lab-node-b', 'lab-node-c'])
    expect(inNamespace(droplet(10), ['iptables', '-S', 'OUTPUT'])).not.toContain('shipgate-')
    expect(runs.journal.pending(outcome.runId)).toEqual([])
  })

  it('runs phase 4 in the federation topology: faults on the node droplets themselves', async () => {
    const { runs } = service()
    const campaign = labCampaign([11, 12, 13, 14], {
      phases: [4],
      parameters: { phase4: { topology: 'federation', cycles: 2, writes_per_cycle: 12, settle_deadline_s: 5, faults: ['partition_minority', 'kill_primary_mid_write', 'drop_random_acks'] } },
    })
    const outcome = await runs.start(campaign)
    const p4 = phase(outcome.evaluation.phases, 4)
    expect(p4.status, p4.summary).toBe('pass')
    const partition = p4.checks.find((c) => c.id === 'p4.bound' && c.subject === 'partition_minority')
    expect(partition?.value).toMatch(/^1 \(Σmin=\d+ \/ Σok=\d+\)$/)
    // The partition was applied on node-a's own host (d11), and healed there.
    expect(inNamespace(droplet(11), ['iptables', '-S', 'OUTPUT'])).not.toContain('shipgate-')
  })

  it('reports a fault that cannot be injected as an error with the reason, never a silent no-op', async () => {
    const { runs } = service()
    // Without libfaketime visible to the peer, clock skew cannot be injected: hide it with a bind mount.
    const campaign = labCampaign([11, 12, 13, 14], {
      phases: [4],
      ai_memory: { binary: join(__dirname, '..', '..', 'resources', 'bin', 'ai-memory'), env: {} },
      parameters: { phase4: { topology: 'federation', cycles: 1, writes_per_cycle: 6, faults: ['clock_skew_peer'] } },
    })
    // Mounted over SSH, so the bind mount lands in the droplet's own mount namespace.
    const onPeer = (command: string) => sshTo(12).exec(command)
    expect((await onPeer('mkdir -p /tmp/empty-ft && for d in /usr/lib/*/faketime; do mount --bind /tmp/empty-ft "$d"; done')).exitCode).toBe(0)
    try {
      const p4 = phase((await runs.start(campaign)).evaluation.phases, 4)
      expect(p4.status).toBe('error')
      const bound = p4.checks.find((c) => c.id === 'p4.bound')
      expect(bound?.status).toBe('error')
      expect(bound?.value).toMatch(/libfaketime is not installed on lab-node-b/)
    } finally {
      await onPeer('for d in /usr/lib/*/faketime; do umount "$d"; done')
    }
  })
})
