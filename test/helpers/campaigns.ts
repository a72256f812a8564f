import { chmodSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { type Campaign, type CampaignInput, campaignSchema } from '@shared/campaign'
import { HOST_ROLES } from '@shared/domain'
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

export const TERRAFORM_MODULE = resolve(ROOT, 'test', 'fixtures', 'terraform', 'lab-module')

/** A build of ai-memory to upload: a script that runs the simulator (the lab shares this file system). */
export function fakeBuild(dir: string): string {
  const file = join(dir, 'ai-memory-build')
  writeFileSync(file, `#!/bin/sh\nexec ${resolve(ROOT, 'resources', 'bin', 'ai-memory')} "$@"\n`)
  chmodSync(file, 0o755)
  return file
}

/**
 * A campaign whose hosts come from the test Terraform module: each "host" is a marker file in
 * `<dir>/markers`, its address a lab droplet. The binary is uploaded by the bootstrap.
 */
export function terraformCampaignInput(dir: string, droplets: [number, number, number, number], name: string, options: { phases?: number[]; settleS?: number; outputs?: Record<string, unknown> } = {}): CampaignInput {
  chmodSync(dir, 0o755)
  mkdirSync(join(dir, 'markers'), { recursive: true })
  const hosts = Object.fromEntries(HOST_ROLES.map((role, i) => [role, { user: droplet(droplets[i] as number).user, key: lab().keys.ed25519, agent: false, name: `${name}-${role}`, workdir: join(dir, 'hosts', role) }]))
  const addresses = Object.fromEntries(HOST_ROLES.map((role, i) => [role, droplet(droplets[i] as number).address]))
  return {
    name,
    transport: 'ssh',
    ai_memory: { binary: join(dir, 'bin', 'ai-memory'), upload: fakeBuild(dir), ref: 'simulated' },
    hosts,
    phases: (options.phases ?? [1]) as CampaignInput['phases'],
    parameters: { phase2: { writes_per_agent: 5, settle_deadline_s: 20 } },
    provisioner: { kind: 'terraform', module: TERRAFORM_MODULE, variables: { addresses, marker_dir: join(dir, 'markers'), settle_s: options.settleS ?? 0 }, outputs: options.outputs ?? {}, hourly_usd: 0.125, dead_man_hours: 2 },
  }
}
