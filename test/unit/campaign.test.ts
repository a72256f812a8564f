// src-shared/campaign.ts (and the file loader of services/campaign-service.ts): the campaign schema refuses campaigns that would test nothing or mean something else on a host.
import { readdirSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import { campaignSchema, campaignWarnings, describeIssues } from '@shared/campaign'
import { loadCampaignFile } from '../../src-main/services/campaign-service'

const EXAMPLES = resolve(__dirname, '..', '..', 'examples')

const hosts = { 'node-a': { address: 'a' }, 'node-b': { address: 'b' }, 'node-c': { address: 'c' }, chaos: { address: 'd' } }

function issues(input: Record<string, unknown>): string[] {
  const r = campaignSchema.safeParse({ name: 'c', hosts, ...input })
  return r.success ? [] : describeIssues(r.error)
}

describe('the campaign schema', () => {
  it('refuses a fault injected after every write, naming both fields', () => {
    expect(issues({ parameters: { phase4: { writes_per_cycle: 10, fault_at_write: 10 } } })).toEqual([
      'parameters.phase4.fault_at_write: must be below parameters.phase4.writes_per_cycle (10): with fault_at_write 10 every write lands before the fault',
    ])
    expect(issues({ parameters: { phase4: { writes_per_cycle: 10, fault_at_write: 9 } } })).toEqual([])
  })

  it('refuses relative paths and control characters in paths', () => {
    expect(issues({ hosts: { ...hosts, 'node-a': { address: 'a', workdir: 'tmp/shipgate' } } })).toEqual(['hosts.node-a.workdir: must be an absolute path (start with /)'])
    expect(issues({ hosts: { ...hosts, 'node-b': { address: 'b', workdir: '/tmp/ship\ngate' } } })).toEqual(['hosts.node-b.workdir: must not contain control characters (newline, tab, NUL …)'])
    expect(issues({ ai_memory: { binary: '/usr/local/bin/ai-memory\t' } })).toEqual(['ai_memory.binary: must not contain control characters (newline, tab, NUL …)'])
  })

  it('isolates ai-memory from the host config and pins the tier by default', () => {
    const c = campaignSchema.parse({ name: 'c', hosts })
    expect(c.ai_memory.config).toBe('shipgate')
    expect(c.ai_memory.tier).toBe('keyword')
  })

  it('warns about a run whose failure is known in advance', () => {
    const c = campaignSchema.parse({ name: 'c', hosts, parameters: { phase3: { memories: 1500 } } })
    expect(campaignWarnings(c)[0]).toMatch(/phase3\.memories is 1500: ai-memory v0\.6\.0 clamps a Postgres list to 1000 rows/)
    expect(campaignWarnings(campaignSchema.parse({ name: 'c', hosts }))).toEqual([])
  })
})

describe('the campaign schema: provisioned hosts', () => {
  it('loads every example campaign file', () => {
    const files = readdirSync(EXAMPLES).filter((f) => f.endsWith('.yaml'))
    expect(files).toEqual(expect.arrayContaining(['digitalocean.yaml', 'terraform.yaml', 'droplets.yaml']))
    for (const f of files) expect(() => loadCampaignFile(join(EXAMPLES, f)), f).not.toThrow()
  })

  it('asks for host addresses only when no provisioner creates the hosts', () => {
    const bare = { name: 'x', hosts: {} }
    const r = campaignSchema.safeParse(bare)
    expect(r.success).toBe(false)
    expect(r.error?.issues.map((i) => i.path.join('.'))).toEqual(['hosts.node-a.address', 'hosts.node-b.address', 'hosts.node-c.address', 'hosts.chaos.address'])
    expect(campaignSchema.safeParse({ name: 'x', provisioner: { kind: 'digitalocean', ssh_key_fingerprint: 'aa:bb', ssh_from: ['203.0.113.7/32'] } }).success).toBe(true)
  })

  it('never opens SSH to everyone by default: ssh_from must be given', () => {
    const r = campaignSchema.safeParse({ name: 'x', provisioner: { kind: 'digitalocean', ssh_key_fingerprint: 'aa:bb' } })
    expect(r.error?.issues.map((i) => [i.path.join('.'), i.message])).toEqual([['provisioner.ssh_from', expect.stringMatching(/^required: the addresses SSH may come from/)]])
  })

  it('refuses secrets in Terraform variables and hostile values in DigitalOcean settings', () => {
    const tf = campaignSchema.safeParse({ name: 'x', provisioner: { kind: 'terraform', module: '/m', variables: { do_token: 'dop_v1_x' } } })
    expect(tf.error?.issues[0]?.message).toMatch(/looks like a secret/)
    const region = campaignSchema.safeParse({ name: 'x', provisioner: { kind: 'digitalocean', ssh_key_fingerprint: 'a', ssh_from: ['203.0.113.7/32'], region: 'nyc3; rm -rf /' } })
    expect(region.success).toBe(false)
    const cidr = campaignSchema.safeParse({ name: 'x', provisioner: { kind: 'digitalocean', ssh_key_fingerprint: 'a', ssh_from: ['anywhere'] } })
    expect(cidr.error?.issues[0]?.message).toMatch(/a CIDR such as/)
  })
})
