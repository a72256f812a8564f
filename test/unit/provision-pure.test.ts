// The pure parts of provisioning: campaign validation, output mapping, host keys, tags, costs,
// and masking of tokens.
import { readdirSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import { campaignSchema } from '@shared/campaign'
import { fmtUsd } from '@shared/money'
import { redact, registerSecret } from '../../src-main/lib/redact'
import { campaignOf, deadlineOf } from '../../src-main/provision/digitalocean'
import { cloudInitWithHostKey, generateHostKey, hostKeyOfLine } from '../../src-main/provision/host-key'
import { outputAt } from '../../src-main/provision/terraform'
import { campaignTag } from '../../src-main/provision/types'
import { costOf } from '../../src-main/provision/lifecycle'
import { loadCampaignFile } from '../../src-main/services/campaign-service'

const EXAMPLES = resolve(__dirname, '..', '..', 'examples')

describe('provisioning, pure parts', () => {
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

  it('reads Terraform outputs by path, and nothing but strings', () => {
    const out = { peer_nodes: { value: { 'node-a': { public: '203.0.113.1', private: '10.250.0.2' } } }, chaos_client: { value: '203.0.113.4' }, n: { value: 5 } }
    expect(outputAt(out, 'peer_nodes.node-a.public')).toBe('203.0.113.1')
    expect(outputAt(out, 'chaos_client')).toBe('203.0.113.4')
    expect(outputAt(out, 'peer_nodes.node-z.public')).toBeNull()
    expect(outputAt(out, 'n')).toBeNull()
    expect(outputAt(out, 'missing.x')).toBeNull()
  })

  it('generates host keys whose fingerprint matches the key cloud-init installs', () => {
    const key = generateHostKey('shipgate-x-node-a')
    expect(key.keyType).toBe('ssh-ed25519')
    expect(hostKeyOfLine(key.publicKey)).toEqual({ keyType: 'ssh-ed25519', fingerprint: key.fingerprint })
    const userData = cloudInitWithHostKey(key)
    expect(userData.startsWith('#cloud-config\n')).toBe(true)
    expect(userData).toContain(`ed25519_public: ${key.publicKey.trim()}`)
    expect(userData).toContain('    -----BEGIN OPENSSH PRIVATE KEY-----')
    expect(hostKeyOfLine('not a key')).toBeNull()
    expect(hostKeyOfLine('ssh-ed25519 AAAA')).toBeNull()
  })

  it('names campaigns and reads tags the way teardown and reconcile need', () => {
    expect(campaignTag('v0.6.0.0-final-r17')).toBe('v0-6-0-0-final-r17')
    expect(campaignTag('Weird/Name__r2')).toBe('weird-name-r2')
    expect(campaignOf({ tags: ['shipgate', 'campaign-v0-6-0-r3'], name: 'whatever' })).toBe('v0-6-0-r3')
    expect(campaignOf({ tags: [], name: 'shipgate-v0-6-0-r3' })).toBe('v0-6-0-r3')
    expect(campaignOf({ tags: [], name: 'shipgate-v0-6-0-r3-node-b' })).toBe('v0-6-0-r3')
    expect(campaignOf({ tags: [], name: 'someone-elses' })).toBeNull()
    expect(deadlineOf(['shipgate', 'shipgate-deadline-1800000000'])).toBe(1_800_000_000_000)
    expect(deadlineOf(['shipgate'])).toBeNull()
  })

  it('meters cost as hourly price times time held', () => {
    expect(costOf(0.125, 0, 3_600_000)).toBe(0.125)
    expect(costOf(0.12499, 0, 90 * 60_000)).toBeCloseTo(0.1875, 4)
    expect(costOf(1, 10, 5)).toBe(0)
    expect(fmtUsd(0.00042)).toBe('$0.0004')
    expect(fmtUsd(12.345)).toBe('$12.35')
  })

  it('masks DigitalOcean tokens and registered secrets wherever text is kept', () => {
    expect(redact(`curl -H "Authorization: Bearer dop_v1_${'ab'.repeat(32)}"`)).toBe('curl -H "Authorization: Bearer [token]"')
    registerSecret('s3cret-value-from-keychain')
    expect(redact('token is s3cret-value-from-keychain, twice: s3cret-value-from-keychain')).toBe('token is [secret], twice: [secret]')
    registerSecret('short')
    expect(redact('short')).toBe('short')
  })
})
