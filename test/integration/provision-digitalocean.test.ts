// The built-in `digitalocean` provisioner against a local stand-in of the DigitalOcean API (a test
// double: the paid API cannot be reached from here). The droplets it "creates" are lab droplets:
// their SSH servers take the host key the provisioner sent in cloud-init, so the app's strict
// host-key check passes only if the key it pinned is the one the host really has.
import { execFileSync } from 'node:child_process'
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type Campaign, campaignSchema } from '@shared/campaign'
import { HOST_ROLES, type HostRole } from '@shared/domain'
import type { ProgressEvent } from '@shared/progress'
import { simulatorBinary } from '../../src-main/demo/demo'
import { DigitalOceanApi } from '../../src-main/provision/digitalocean-api'
import { DigitalOceanProvisioner } from '../../src-main/provision/digitalocean'
import { testServices } from '../helpers/services'
import { Store } from '../../src-main/store/store'
import { ROOT, shipgateAsync } from '../helpers/cli'
import { DoStandin, type StandinDroplet } from '../helpers/do-standin'
import { droplet, lab } from '../helpers/lab'
import { useTmp } from '../helpers/tmp'
import { filesContaining } from '../helpers/files'

const tmp = useTmp()
const TOKEN = `dop_v1_${'a7'.repeat(32)}`
const DROPLETS: Record<HostRole, number> = { 'node-a': 25, 'node-b': 26, 'node-c': 27, chaos: 28 }
const roleOf = (name: string) => HOST_ROLES.find((r) => name.endsWith(`-${r}`)) as HostRole

/** What cloud-init does with `ssh_keys`: install the host key, restart sshd. Here on the lab droplet. */
function bootWithHostKey(d: StandinDroplet): void {
  const n = DROPLETS[roleOf(d.name)]
  const priv = /ed25519_private: \|\n((?: {4}.*\n)+)/.exec(d.user_data)?.[1]?.replace(/^ {4}/gm, '')
  const pub = /ed25519_public: (.+)\n/.exec(d.user_data)?.[1]
  if (!priv || !pub) throw new Error(`droplet ${d.name} has no host key in its user data`)
  const keyFile = join(lab().dir, `d${n}`, 'host_ed25519')
  writeFileSync(keyFile, priv, { mode: 0o600 })
  writeFileSync(`${keyFile}.pub`, `${pub}\n`)
  hupSshd(n)
}

function hupSshd(n: number): void {
  const config = join(lab().dir, `d${n}`, 'sshd_config')
  // The listener retitles itself `sshd: /usr/sbin/sshd -D -f <config> … [listener]`.
  const pids = execFileSync('pgrep', ['-f', `^sshd: \\S+ -D -f ${config} `], { encoding: 'utf8' }).split('\n').filter(Boolean)
  if (pids.length !== 1) throw new Error(`expected one sshd for d${n}, found ${pids.length}`)
  // sshd re-executes itself on SIGHUP and loads the new host key.
  process.kill(Number(pids[0]), 'SIGHUP')
}

let standin: DoStandin
const saved = new Map<number, { priv: Buffer; pub: Buffer }>()

beforeAll(async () => {
  for (const n of Object.values(DROPLETS)) {
    const f = join(lab().dir, `d${n}`, 'host_ed25519')
    saved.set(n, { priv: readFileSync(f), pub: readFileSync(`${f}.pub`) })
  }
  standin = new DoStandin({
    token: TOKEN,
    addressFor: (name) => ({ public: droplet(DROPLETS[roleOf(name)]).address, private: droplet(DROPLETS[roleOf(name)]).address }),
    onBoot: bootWithHostKey,
    bootMs: 1200,
    deleteMs: 300,
    pageSize: 3,
    rateLimitEvery: 9,
  })
  await standin.start()
})

afterAll(async () => {
  await standin.stop()
  for (const [n, k] of saved) {
    const f = join(lab().dir, `d${n}`, 'host_ed25519')
    writeFileSync(f, k.priv, { mode: 0o600 })
    writeFileSync(`${f}.pub`, k.pub)
    hupSshd(n)
  }
})

function doCampaign(dir: string, name: string, overrides: Record<string, unknown> = {}): Campaign {
  return campaignSchema.parse({
    name,
    transport: 'ssh',
    ai_memory: { binary: simulatorBinary(ROOT), ref: 'simulated' },
    hosts: Object.fromEntries(HOST_ROLES.map((r) => [r, { user: droplet(DROPLETS[r]).user, agent: false, name: `do-${r}`, workdir: join(dir, 'hosts', r) }])),
    phases: [1],
    provisioner: { kind: 'digitalocean', api_url: standin.url, ssh_key_fingerprint: 'aa:bb:cc:dd', ssh_private_key: lab().keys.ed25519, ssh_from: ['203.0.113.7/32'], ...overrides },
  })
}

function services(dir: string, token: string | null = TOKEN) {
  // No known_hosts files and no approval: only the keys the provisioner pinned can be trusted.
  const s = testServices(join(dir, 'data', 'h.sqlite'), { digitalOceanToken: () => token, provision: { verifyEveryMs: 200, verifyForMs: 3000, costEveryMs: 300, digitalocean: { vpcWaitMs: 2000 } } })
  return { store: s.store, runs: s.runs }
}

describe('provisioner: digitalocean (API stand-in)', { timeout: 240_000 }, () => {
  it('creates a VPC, tagged droplets and a firewall, runs on them with pinned host keys, destroys and proves it', async () => {
    const dir = tmp()
    const { store, runs } = services(dir)
    const events: ProgressEvent[] = []
    const outcome = await runs.start(doCampaign(dir, 'do'), { onEvent: (e) => events.push(e) })

    const setup = events.filter((e) => e.type === 'setup' && e.status === 'done').map((e) => (e.type === 'setup' ? `${e.host} ${e.step}` : ''))
    expect(setup).toEqual(
      expect.arrayContaining([
        'provisioner read prices',
        'provisioner create VPC',
        'provisioner create droplets',
        'provisioner wait for droplets to be active',
        'provisioner create firewall',
        'provisioner wait for SSH',
        'do-node-a packages',
        'do-chaos ai-memory binary',
        'provisioner delete droplets',
        'provisioner delete VPC',
        'provisioner verify teardown',
      ]),
    )
    expect(events.some((e) => e.type === 'setup' && e.status === 'failed')).toBe(false)
    expect(outcome.evaluation.phases[0]?.status).toBe('pass')

    // What the API was asked for: a VPC on the first free range, tagged droplets, the firewall rules.
    expect(standin.createdDroplets.filter((x) => x.name.startsWith('shipgate-do-r1-')).map((x) => [x.name, x.size_slug])).toEqual([
      ['shipgate-do-r1-node-a', 's-2vcpu-4gb'],
      ['shipgate-do-r1-node-b', 's-2vcpu-4gb'],
      ['shipgate-do-r1-node-c', 's-2vcpu-4gb'],
      ['shipgate-do-r1-chaos', 's-1vcpu-2gb'],
    ])
    const hosts = events.find((e) => e.type === 'hosts')
    expect(hosts?.type === 'hosts' && hosts.hosts.map((h) => h.address)).toEqual(HOST_ROLES.map((r) => droplet(DROPLETS[r]).address))
    const fw = standin.createdFirewalls.at(-1) as { name: string; inbound_rules: { protocol: string; ports?: string; sources: { addresses: string[] } }[] }
    expect(fw.name).toBe('shipgate-do-r1')
    expect(fw.inbound_rules).toEqual([
      { protocol: 'tcp', ports: '22', sources: { addresses: ['203.0.113.7/32'] } },
      { protocol: 'tcp', ports: '9077', sources: { addresses: ['10.250.1.0/24'] } },
      { protocol: 'icmp', sources: { addresses: ['10.250.1.0/24'] } },
    ])
    const d = standin.createdDroplets.find((x) => x.name === 'shipgate-do-r1-node-a') as StandinDroplet
    expect(d.tags.slice(0, 2)).toEqual(['shipgate', 'campaign-do-r1'])
    expect(d.tags[2]).toMatch(/^shipgate-deadline-\d{10}$/)
    expect(Number(d.tags[2]?.slice(-10)) * 1000 - Date.now()).toBeGreaterThan(7.9 * 3600_000)
    expect(d.ssh_keys).toEqual(['aa:bb:cc:dd'])
    // The service's manners: it was rate limited and paginated, and the run went through anyway.
    expect(standin.served429).toBeGreaterThan(0)
    expect(standin.pagesServed).toBeGreaterThan(0)

    // Everything is gone, the run says so, and it has a cost: 3 × $0.03571 + $0.01786 per hour.
    expect(standin.droplets).toEqual([])
    expect(standin.vpcs.map((v) => v.name)).toEqual(['default-nyc3'])
    expect(standin.firewalls).toEqual([])
    const teardown = events.find((e) => e.type === 'teardown' && e.action === 'destroy digitalocean hosts')
    expect(teardown).toMatchObject({ ok: true, detail: 'teardown verified: nothing tagged campaign-do-r1 is left' })
    const final = events.find((e) => e.type === 'cost' && e.final)
    expect(final?.type === 'cost' && final.hourlyUsd).toBeCloseTo(0.12499, 5)
    const run = store.runs.get(outcome.runId)
    expect(run?.costUsd).toBeGreaterThan(0)
    expect(run?.costUsd).toBeLessThan(0.01)
    expect(store.provisions.forRun(outcome.runId).map((p) => [p.state, p.teardownVerified])).toEqual([['destroyed', true]])
    expect(store.knownHosts.all()).toEqual([])
    store.close()
    expect(filesContaining(join(dir, 'data'), TOKEN)).toEqual([])
  })

  it('catches a droplet that survived deletion; reconcile lists it and destroys it once it can', async () => {
    const dir = tmp()
    const { store, runs } = services(dir)
    standin.sticky.add('shipgate-sticky-r1-node-b')
    const outcome = await runs.start(doCampaign(dir, 'sticky'))
    const warning = outcome.evaluation.warnings.find((w) => w.code === 'cloud_teardown')
    expect(warning?.message).toMatch(/teardown NOT verified: \d resource\(s\) still exist: droplet shipgate-sticky-r1-node-b/)
    expect(store.provisions.forRun(outcome.runId).map((p) => [p.state, p.teardownVerified])).toEqual([['failed', false]])
    store.close()

    const env = { DIGITALOCEAN_TOKEN: TOKEN, SHIPGATE_DIGITALOCEAN_API: standin.url }
    const db = join(dir, 'data', 'h.sqlite')
    const list = await shipgateAsync(['--db', db, 'reconcile'], env)
    expect(list.code).toBe(1)
    expect(list.stdout).toMatch(/digitalocean\s+sticky-r1 \(run sticky-r1\) · age [^·]+ · \$0\.\d{4} so far at \$0\.0357\/h · deadline /)
    expect(list.stdout).toMatch(/droplet shipgate-sticky-r1-node-b/)
    expect(list.stdout).toMatch(/vpc shipgate-sticky-r1/)
    // --expired leaves campaigns within their deadline alone.
    const expired = await shipgateAsync(['--db', db, 'reconcile', '--expired', '--yes'], env)
    expect(expired.code).toBe(1)
    expect(standin.droplets.map((x) => x.name)).toEqual(['shipgate-sticky-r1-node-b'])

    standin.sticky.clear()
    const yes = await shipgateAsync(['--db', db, 'reconcile', '--yes'], env)
    expect(yes.code, yes.stdout + yes.stderr).toBe(0)
    expect(yes.stdout).toMatch(/✓ sticky-r1: teardown verified/)
    expect(standin.droplets).toEqual([])
    expect(standin.vpcs.map((v) => v.name)).toEqual(['default-nyc3'])
    const again = await shipgateAsync(['--db', db, 'reconcile'], env)
    expect(again.stdout).toBe('nothing left behind\n')
    expect(again.code).toBe(0)
    // A listing that fails (here a revoked token) is never reported as a clean slate.
    const refused = await shipgateAsync(['--db', db, 'reconcile'], { ...env, DIGITALOCEAN_TOKEN: 'dop_v1_revoked' })
    expect(refused.code).toBe(1)
    expect(refused.stdout).toBe('nothing left behind in what could be listed\n')
    expect(refused.stderr).toMatch(/cannot list digitalocean: GET \/v2\/droplets\S*: DigitalOcean answered 401/)
    expect(refused.stderr).not.toContain('dop_v1_revoked')
    const check = Store.open(db)
    expect(check.provisions.forRun('sticky-r1').map((p) => [p.state, p.teardownVerified])).toEqual([['destroyed', true]])
    expect(check.runs.get('sticky-r1')?.evaluation.warnings.some((w) => w.code === 'cloud_teardown')).toBe(false)
    check.close()
    expect(filesContaining(join(dir, 'data'), TOKEN)).toEqual([])
  })

  it('gives two campaigns at once VPC ranges of their own', async () => {
    const io = { log: () => undefined, step: <T>(_n: string, w: () => Promise<T>) => w() }
    const api = new DigitalOceanApi(TOKEN, { baseUrl: standin.url })
    const make = (tag: string) => new DigitalOceanProvisioner(tag, doCampaign(tmp(), tag).provisioner as never, doCampaign(tmp(), tag), Date.now() + 3600_000, { api })
    const [a, b] = [make('par-a'), make('par-b')]
    const [ra, rb] = await Promise.all([a.provision(io), b.provision(io)])
    const ranges = standin.vpcs.filter((v) => v.name.startsWith('shipgate-par-')).map((v) => v.ip_range)
    expect(new Set(ranges)).toEqual(new Set(['10.250.1.0/24', '10.250.2.0/24']))
    expect(ra.hourlyUsd).toBeCloseTo(0.12499, 5)
    expect(rb.resources.filter((r) => r.kind === 'droplet')).toHaveLength(4)
    await Promise.all([a.destroy(io), b.destroy(io)])
    expect(await a.remaining()).toEqual([])
    expect(await b.remaining()).toEqual([])
  })

  it('reports API errors clearly, never with the token, and leaves nothing behind', async () => {
    const dir = tmp()
    const bad = services(dir, 'dop_v1_wrong')
    const failed = await bad.runs.start(doCampaign(dir, 'badtoken'))
    const logs = bad.store.logs.list(failed.runId, 0, 500).map((l) => l.line).join('\n')
    expect(logs).toMatch(/GET \/v2\/sizes: DigitalOcean answered 401: Unauthorized: Unable to authenticate you/)
    expect(failed.evaluation.verdict).not.toBe('pass')
    bad.store.close()

    const { store, runs } = services(tmp())
    const wrongSize = await runs.start(doCampaign(dir, 'badsize', { peer_size: 's-99vcpu' }))
    expect(store.logs.list(wrongSize.runId, 0, 500).map((l) => l.line).join('\n')).toMatch(/DigitalOcean has no droplet size s-99vcpu/)
    // A server error mid-way: retried, then the run goes on.
    standin.failures.push({ match: /^POST \/v2\/firewalls$/, status: 503, body: { id: 'service_unavailable', message: 'try again' } })
    const retried = await runs.start(doCampaign(dir, 'retry'))
    expect(retried.evaluation.phases[0]?.status).toBe('pass')
    expect(standin.failures).toEqual([])
    expect(standin.droplets).toEqual([])
    store.close()
  })

  it('stops a run at its dead-man deadline and destroys its hosts', async () => {
    const dir = tmp()
    const { store, runs } = services(dir)
    // 0.001 h = 3.6 s: the deadline passes while the run is still going.
    const campaign = { ...doCampaign(dir, 'deadman', { dead_man_hours: 0.001 }), phases: [1, 2] as Campaign['phases'] }
    const outcome = await runs.start(campaign)
    expect(outcome.state).toBe('cancelled')
    expect(outcome.evaluation.warnings.map((w) => w.message).join('\n')).toMatch(/the dead-man deadline \(0\.001 h\) passed: the run stops and its hosts are destroyed/)
    expect(standin.droplets).toEqual([])
    expect(store.provisions.forRun(outcome.runId).map((p) => p.teardownVerified)).toEqual([true])
    store.close()
  })
})
