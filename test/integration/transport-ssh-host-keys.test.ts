// Host-key trust against real OpenSSH servers (test/lab). Droplets used here: d29 (its own sshd on
// port 22, and impostor sshds this file starts in d29's network namespace on ports 2222–2223).
import { execFileSync } from 'node:child_process'
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import YAML from 'yaml'
import { afterEach, describe, expect, it } from 'vitest'
import { HOST_ROLES } from '@shared/domain'
import { SshConnection } from '../../src-main/transport/ssh/connection'
import { resolveEndpoint, type SshEndpoint } from '../../src-main/transport/ssh/endpoint'
import { HostKeyPolicy, type HostKeyPrompt } from '../../src-main/transport/ssh/host-keys'
import { fingerprintOf } from '../../src-main/transport/ssh/known-hosts'
import { type TransportError, isTransportError } from '../../src-main/transport/types'
import { Store } from '../../src-main/store/store'
import { labCampaignInput } from '../helpers/campaigns'
import { shipgate } from '../helpers/cli'
import { droplet, lab } from '../helpers/lab'
import { type TestSshd, logSize, startSshd as startTestSshd, until } from '../helpers/sshd'
import { useTmp } from '../helpers/tmp'

const tmp = useTmp()
const D = 29
const cleanups: (() => Promise<void> | void)[] = []
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c()
})

/** `<type> <base64>` of one of d29's own host keys. */
function labHostKey(type: 'ed25519' | 'ecdsa'): string {
  return readFileSync(join(lab().dir, `d${D}`, `host_${type}.pub`), 'utf8').split(' ').slice(0, 2).join(' ')
}

function knownHostsFile(lines: string[]): string {
  const file = join(tmp(), 'known_hosts')
  writeFileSync(file, `${lines.join('\n')}\n`)
  return file
}

function endpointAt(port: number): SshEndpoint {
  const h = droplet(D)
  return resolveEndpoint({ address: h.address, port, user: h.user, identityFile: lab().keys.ed25519, useAgent: false }, { sshConfig: null })
}

function connection(port: number, hostKeys: HostKeyPolicy): SshConnection {
  const c = new SshConnection(endpointAt(port), { hostKeys, env: {}, timings: { connectTimeoutMs: 5000 } })
  cleanups.push(() => c.dispose())
  return c
}

/**
 * What sshd logged about the one connection made after `offset`, once that connection has ended.
 * sshd (LogLevel VERBOSE) names the client port on the first line and on the line that ends it.
 */
async function loggedConnection(log: string, offset: number): Promise<{ lines: string; end: string }> {
  const gw = lab().gateway.replaceAll('.', '\\.')
  return until(`the end of the connection in ${log}`, () => {
    const text = readFileSync(log, 'utf8').slice(offset)
    const port = new RegExp(`Connection from ${gw} port (\\d+)`).exec(text)?.[1]
    if (!port) return null
    const end = new RegExp(`^.*(?:Disconnected from|Connection closed by|Connection reset by|Unable to negotiate with).* ${gw} port ${port}\\b.*$`, 'm').exec(text)?.[0]
    return end ? { lines: text, end } : null
  })
}

/** Proof that sshd saw no authentication on the connection: the user name and key lines appear only once userauth starts. */
function expectNoAuthentication(logged: { lines: string; end: string }): void {
  expect(logged.end).not.toMatch(/authenticating user|invalid user/i)
  expect(logged.lines).not.toMatch(/publickey|Accepted|Failed|Postponed|userauth|authenticating user|Invalid user/i)
  expect(logged.lines.match(/Connection from /g)).toHaveLength(1)
}

/** An sshd of the test's own in d29's namespace, stopped after the test. */
async function startSshd(port: number, keyTypes: ('ed25519' | 'rsa' | 'ecdsa')[]): Promise<TestSshd> {
  const sshd = await startTestSshd(droplet(D), port, keyTypes)
  cleanups.push(() => sshd.stop())
  return sshd
}

/** Steers key exchange to ed25519: the client side of "the server presents a key of another type". */
class SteeredToEd25519 extends HostKeyPolicy {
  override knownKeyTypes(): string[] {
    return ['ssh-ed25519']
  }
}

function pinStore(): Store {
  const store = Store.open(join(tmp(), 'pins.sqlite'))
  cleanups.push(() => store.close())
  return store
}

describe('a host already known by one key type', () => {
  it('refuses a key of another type as a mismatch, before authentication, even when new keys are approved', async () => {
    const h = droplet(D)
    const store = pinStore()
    const prompts: HostKeyPrompt[] = []
    const policy = new SteeredToEd25519({ knownHostsFiles: [knownHostsFile([`${h.address} ${labHostKey('ecdsa')}`])], store: store.knownHosts, approve: async (p) => (prompts.push(p), true) })
    const offset = logSize(h.sshdLog)
    const err = await connection(22, policy)
      .exec('true')
      .catch((e: unknown) => e)
    expect(isTransportError(err) && err.code).toBe('HOST_KEY_MISMATCH')
    const msg = (err as TransportError).message
    expect(msg).toContain(`ssh-ed25519 ${h.hostKeys['ssh-ed25519']}`)
    expect(msg).toMatch(/known key types?: ecdsa-sha2-nistp256\b/)
    expect(msg).toMatch(/before any credential was sent/)
    expect(prompts).toEqual([])
    expect(store.knownHosts.all()).toEqual([])
    expectNoAuthentication(await loggedConnection(h.sshdLog, offset))
  })

  it.each(['known_hosts', 'hashed known_hosts', 'app pin'])(
    'offers only the known key type: an impostor without it fails key exchange and sees no credential (known from %s)',
    async (source) => {
      const h = droplet(D)
      const impostor = await startSshd(2222, ['ed25519'])
      const store = pinStore()
      const line = `[${h.address}]:2222 ${labHostKey('ecdsa')}`
      const files: string[] = []
      if (source === 'known_hosts') files.push(knownHostsFile([line]))
      if (source === 'hashed known_hosts') {
        const file = knownHostsFile([line])
        execFileSync('ssh-keygen', ['-q', '-H', '-f', file])
        expect(readFileSync(file, 'utf8')).not.toContain(h.address)
        files.push(file)
      }
      if (source === 'app pin') store.knownHosts.pin({ host: h.address, port: 2222, keyType: 'ecdsa-sha2-nistp256', fingerprint: h.hostKeys['ecdsa-sha2-nistp256'] ?? '', firstSeenAt: 1 })
      const pinsBefore = store.knownHosts.all()
      const prompts: HostKeyPrompt[] = []
      const policy = new HostKeyPolicy({ knownHostsFiles: files, store: store.knownHosts, approve: async (p) => (prompts.push(p), true) })
      const offset = logSize(impostor.log)
      const err = await connection(2222, policy)
        .exec('true')
        .catch((e: unknown) => e)
      expect(isTransportError(err) && err.code).toBe('HOST_KEY_MISMATCH')
      expect((err as TransportError).message).toMatch(/known key types?: ecdsa-sha2-nistp256\b/)
      expect((err as TransportError).message).toMatch(/before any credential was sent/)
      expect(prompts).toEqual([])
      expect(store.knownHosts.all()).toEqual(pinsBefore)
      const logged = await loggedConnection(impostor.log, offset)
      // sshd names what the client offered: only the type the host is known by.
      expect(logged.end).toMatch(/no matching host key type found\. Their offer: ecdsa-sha2-nistp256 \[preauth\]$/)
      expectNoAuthentication(logged)
    },
  )

  it('negotiates the RSA key of a host known only by its RSA key (rsa-sha2-*), not another type', async () => {
    const server = await startSshd(2223, ['ed25519', 'rsa'])
    const known = knownHostsFile([`[${droplet(D).address}]:2223 ${server.keys.rsa}`])
    const policy = new HostKeyPolicy({ knownHostsFiles: [known], approve: async () => expect.fail('asked to approve a key of a known host') })
    const r = await connection(2223, policy).exec('echo in')
    expect(r.stdout).toBe('in\n')
  })

  it('still trusts on first use a host with no known key at all, and pins what was approved', async () => {
    const server = await startSshd(2222, ['ed25519'])
    const store = pinStore()
    const prompts: HostKeyPrompt[] = []
    const policy = new HostKeyPolicy({ knownHostsFiles: [knownHostsFile([`${droplet(D).address} ${labHostKey('ecdsa')}`])], store: store.knownHosts, approve: async (p) => (prompts.push(p), true) })
    expect((await connection(2222, policy).exec('echo in')).stdout).toBe('in\n')
    const fingerprint = fingerprintOf(Buffer.from(server.keys.ed25519?.split(' ')[1] ?? '', 'base64'))
    expect(prompts).toEqual([{ host: droplet(D).address, port: 2222, keyType: 'ssh-ed25519', fingerprint }])
    expect(store.knownHosts.all().map((p) => [p.port, p.keyType, p.fingerprint])).toEqual([[2222, 'ssh-ed25519', fingerprint]])
  })

  it('shipgate check --accept-new-host-key: an impostor answering for a known host is refused, nothing is pinned', async () => {
    const impostor = await startSshd(2222, ['ed25519'])
    const dir = tmp()
    const home = join(dir, 'home')
    mkdirSync(home)
    const input = labCampaignInput([D, D, D, D])
    const hosts = Object.fromEntries(Object.entries(input.hosts ?? {}).map(([role, h]) => [role, { ...h, port: 2222 }]))
    const file = join(dir, 'campaign.yaml')
    writeFileSync(file, YAML.stringify({ ...input, hosts }))
    const db = join(dir, 'history.sqlite')
    const offset = logSize(impostor.log)
    const r = shipgate(['--db', db, 'check', file, '--accept-new-host-key'], { HOME: home, SHIPGATE_KNOWN_HOSTS: knownHostsFile([`[${droplet(D).address}]:2222 ${labHostKey('ecdsa')}`]) })
    expect(r.code).toBe(1)
    for (const role of HOST_ROLES) expect(r.stdout).toMatch(new RegExp(`✗ ${role} .*known key types?: ecdsa-sha2-nistp256`))
    expect(r.stderr).not.toMatch(/trusting the new host key/)
    const raw = new Database(db, { readonly: true })
    try {
      expect(raw.prepare('SELECT * FROM known_hosts').all()).toEqual([])
    } finally {
      raw.close()
    }
    expectNoAuthentication(await loggedConnection(impostor.log, offset))
  })
})
