import { chmodSync, mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { type Campaign, type CampaignInput, campaignSchema } from '@shared/campaign'
import { simulatorBinary } from '../../src-main/demo/demo'
import { droplet, lab } from './lab'

export const ROOT = resolve(__dirname, '..', '..')

/** A campaign over SSH on lab droplets [node-a, node-b, node-c, chaos], with the simulated ai-memory. */
export function labCampaignInput(droplets: [number, number, number, number], overrides: Partial<CampaignInput> = {}): CampaignInput {
  const [a, b, c, x] = droplets.map(droplet)
  // The droplets share this machine's file system: each host gets a folder of its own, as on
  // separate machines (traversable by the account a managed PostgreSQL runs as).
  const base = mkdtempSync(join(tmpdir(), 'shipgate-lab-run-'))
  chmodSync(base, 0o755)
  const host = (h: NonNullable<typeof a>, role: string) => ({ address: h.address, user: h.user, key: lab().keys.ed25519, agent: false, name: `lab-${role}`, workdir: join(base, role) })
  return {
    name: 'lab',
    transport: 'ssh',
    ai_memory: { binary: simulatorBinary(ROOT), ref: 'simulated' },
    hosts: { 'node-a': host(a!, 'node-a'), 'node-b': host(b!, 'node-b'), 'node-c': host(c!, 'node-c'), chaos: host(x!, 'chaos') },
    parameters: {
      phase2: { writes_per_agent: 10, settle_deadline_s: 20 },
      phase3: { memories: 40, seed_via: 'cli' },
      phase4: { cycles: 2, writes_per_cycle: 12, settle_deadline_s: 5 },
    },
    ...overrides,
  }
}

export function labCampaign(droplets: [number, number, number, number], overrides: Partial<CampaignInput> = {}): Campaign {
  return campaignSchema.parse(labCampaignInput(droplets, overrides))
}
