// The SSH transport against real OpenSSH servers in network namespaces (test/lab).
// Droplets used here: d1–d3 (general), d4 (partition), d5 (jump host), d6 (reachable only via d5),
// d30 (an sshd of the test's own that accepts any environment variable).
import { execFileSync, spawn, spawnSync } from 'node:child_process'
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest'
import { SshConnection } from '../../src-main/transport/ssh/connection'
import { resolveEndpoint, type SshEndpoint } from '../../src-main/transport/ssh/endpoint'
import { HostKeyPolicy, type HostKeyPrompt } from '../../src-main/transport/ssh/host-keys'
import { SshPool } from '../../src-main/transport/ssh/pool'
import { cmd, q } from '../../src-main/transport/quote'
import { isTransportError, TransportError } from '../../src-main/transport/types'
import { Store } from '../../src-main/store/store'
import YAML from 'yaml'
import { labCampaignInput } from '../helpers/campaigns'
import { shipgate } from '../helpers/cli'
import { droplet, inNamespace, lab } from '../helpers/lab'
import { startSshd } from '../helpers/sshd'
import { useTmp } from '../helpers/tmp'

const tmp = useTmp()
const open: { dispose(): Promise<void> }[] = []
afterEach(async () => {
  for (const c of open.splice(0)) await c.dispose()
})

function endpoint(n: number, extra: Partial<Parameters<typeof resolveEndpoint>[0]> = {}): SshEndpoint {
  const h = droplet(n)
  return resolveEndpoint({ address: h.address, port: h.port, user: h.user, identityFile: lab().keys.ed25519, useAgent: false, ...extra }, { sshConfig: null })
}

function trustingLab(extra: ConstructorParameters<typeof HostKeyPolicy>[0] = {}): HostKeyPolicy {
  return new HostKeyPolicy({ knownHostsFiles: [lab().knownHosts], ...extra })
}

function connect(n: number, opts: { endpoint?: SshEndpoint; hostKeys?: HostKeyPolicy; timings?: ConstructorParameters<typeof SshConnection>[1]['timings'] } = {}): SshConnection {
  const c = new SshConnection(opts.endpoint ?? endpoint(n), { hostKeys: opts.hostKeys ?? trustingLab(), ...(opts.timings ? { timings: opts.timings } : {}), env: {} })
  open.push(c)
  return c
}

function processesOn(n: number, pattern: string): string[] {
  const r = spawnSync('ip', ['netns', 'exec', droplet(n).ns, 'ps', '-eo', 'stat=,args='], { encoding: 'utf8' })
  return r.stdout
    .split('\n')
    .map((l) => l.trim().split(/\s+/))
    .filter(([stat, ...args]) => stat && !stat.startsWith('Z') && args.join(' ').startsWith(pattern))
    .map((parts) => parts.join(' '))
}

describe('commands over SSH', () => {
  it('streams stdout and stderr line by line and reports the exit code', async () => {
    const c = connect(1)
    const lines: string[] = []
    const started = performance.now()
    const times: number[] = []
    const r = await c.exec('for i in 1 2 3; do echo out-$i; echo err-$i >&2; sleep 0.2; done; hostname; exit 7', {
      onStdout: (l) => {
        lines.push(`out:${l}`)
        times.push(performance.now() - started)
      },
      onStderr: (l) => lines.push(`err:${l}`),
    })
    expect(r.exitCode).toBe(7)
    expect(r.stdout).toBe('out-1\nout-2\nout-3\ndroplet1\n')
    expect(r.stderr).toBe('err-1\nerr-2\nerr-3\n')
    expect(lines.filter((l) => l.startsWith('out:'))).toEqual(['out:out-1', 'out:out-2', 'out:out-3', 'out:droplet1'])
    // Streamed as produced, not at the end: the first line arrives well before the last.
    expect((times[2] ?? 0) - (times[0] ?? 0)).toBeGreaterThan(300)
  })

  it('reports a remote exit 255 as an exit code, never as a transport failure', async () => {
    const r = await connect(1).exec('exit 255')
    expect(r.exitCode).toBe(255)
    expect(r.timedOut).toBe(false)
  })

  it('reuses one connection for many commands and keeps stdin working', async () => {
    const c = connect(1)
    for (let i = 0; i < 5; i++) expect((await c.exec(`echo ${i}`)).stdout).toBe(`${i}\n`)
    expect((await c.exec('wc -c', { stdin: 'hello' })).stdout.trim()).toBe('5')
    expect(c.connects).toBe(1)
  })

  it('keeps hostile values inert through quoting', async () => {
    const c = connect(1)
    const hostile = [`'; touch /tmp/pwned; echo '`, '$(touch /tmp/pwned)', '`touch /tmp/pwned`', 'a\nb\tc "d" \\ e', '--help', '', 'ünïcødé ✓', '*']
    for (const s of hostile) {
      const r = await c.exec(`printf %s ${q(s)}`)
      expect(r.stdout).toBe(s)
    }
    expect((await c.exec(cmd('test', '-e', '/tmp/pwned'))).exitCode).toBe(1)
  })

  it('caps output and keeps the tail', async () => {
    const r = await connect(1).exec('i=0; while [ $i -lt 40000 ]; do echo "line $i ................................................"; i=$((i+1)); done; echo LAST', {
      maxOutputBytes: 64 * 1024,
    })
    expect(r.exitCode).toBe(0)
    expect(r.stdout.length).toBeLessThanOrEqual(64 * 1024)
    expect(r.stdout.endsWith('LAST\n')).toBe(true)
    expect(r.dropped.stdout).toBeGreaterThan(1_000_000)
  })

  it('times out a command and kills its whole process group on the host', async () => {
    const c = connect(2)
    const r = await c.exec('sh -c "sleep 311 & sleep 312"; echo never', { timeoutMs: 600 })
    expect(r.timedOut).toBe(true)
    expect(r.exitCode).toBeNull()
    expect(r.stdout).not.toContain('never')
    expect(processesOn(2, 'sleep 31')).toEqual([])
  })

  it('cancels a command: the remote process really stops', async () => {
    const c = connect(2)
    const ac = new AbortController()
    const pending = c.exec('sleep 321 & sleep 322; echo never', { signal: ac.signal })
    pending.catch(() => undefined)
    await vi.waitFor(() => expect(processesOn(2, 'sleep 32').length).toBe(2), { timeout: 10_000, interval: 50 })
    ac.abort()
    const r = await pending
    expect(r.cancelled).toBe(true)
    expect(processesOn(2, 'sleep 32')).toEqual([])
  })

  it('bounds concurrent channels on one connection', async () => {
    const c = connect(2, { timings: { maxChannels: 4 } })
    await c.exec('rm -rf /tmp/slots && mkdir -p /tmp/slots')
    const results = await Promise.all(
      Array.from({ length: 12 }, () => c.exec('mkdir /tmp/slots/$$; ls /tmp/slots | wc -l; sleep 0.2; rmdir /tmp/slots/$$')),
    )
    const seen = results.map((r) => Number(r.stdout.trim()))
    expect(results.every((r) => r.exitCode === 0)).toBe(true)
    expect(Math.max(...seen)).toBeLessThanOrEqual(3)
    expect(Math.max(...seen)).toBeGreaterThanOrEqual(2)
  })

  it('uploads and reads files over SFTP, refusing a file over the cap', async () => {
    const c = connect(2)
    const content = Buffer.from(`evidence ${'x'.repeat(100_000)}\n`)
    await c.upload(content, '/tmp/shipgate-upload/deep/file.json', 0o600)
    expect((await c.readFile('/tmp/shipgate-upload/deep/file.json')).equals(content)).toBe(true)
    expect((await c.exec('stat -c %a /tmp/shipgate-upload/deep/file.json')).stdout.trim()).toBe('600')
    await expect(c.readFile('/tmp/shipgate-upload/deep/file.json', 1000)).rejects.toThrow(/over the 1000-byte limit/)
  })
})

describe('authentication', () => {
  it('accepts ecdsa and rsa keys', async () => {
    for (const key of [lab().keys.ecdsa, lab().keys.rsa]) {
      const r = await connect(3, { endpoint: endpoint(3, { identityFile: key }) }).exec('whoami')
      expect(r.stdout.trim()).toBe(droplet(3).user)
    }
  })

  it('asks for the passphrase of a protected key and never repeats it in errors', async () => {
    const asked: string[] = []
    const ok = new SshConnection(endpoint(3, { identityFile: lab().keys.ed25519Encrypted }), {
      hostKeys: trustingLab(),
      askPassphrase: async (path) => {
        asked.push(path)
        return lab().encryptedKeyPassphrase
      },
      env: {},
    })
    open.push(ok)
    expect((await ok.exec('echo ok')).stdout).toBe('ok\n')
    expect(asked).toEqual([lab().keys.ed25519Encrypted])

    const wrong = new SshConnection(endpoint(3, { identityFile: lab().keys.ed25519Encrypted }), {
      hostKeys: trustingLab(),
      askPassphrase: async () => 'not the passphrase 123',
      env: {},
    })
    open.push(wrong)
    const err = await wrong.exec('echo no').catch((e: unknown) => e)
    expect(isTransportError(err) && err.code).toBe('SSH_AUTH')
    expect(String((err as Error).message)).toMatch(/wrong passphrase/)
    expect(JSON.stringify(err) + String((err as Error).message) + String((err as Error).stack)).not.toContain('not the passphrase 123')
  })

  it('a wrong passphrase is reported as not decrypting the key, a missing one as missing, and neither is printed', async () => {
    const key = lab().keys.ed25519Encrypted
    const wrongPassphrase = 'not-the-lab-passphrase-9931'
    // As the CLI asks without a terminal: SHIPGATE_SSH_PASSPHRASE once, then nothing more to give.
    const onceThenNothing = (passphrase: string | null) => async (_path: string, attempt: number) => (attempt === 1 ? passphrase : null)
    const failure = async (ask: (path: string, attempt: number) => Promise<string | null>) => {
      const c = new SshConnection(endpoint(3, { identityFile: key }), { hostKeys: trustingLab(), askPassphrase: ask, env: {} })
      open.push(c)
      return (await c.exec('true').catch((e: unknown) => e)) as TransportError
    }
    const wrong = await failure(onceThenNothing(wrongPassphrase))
    expect(wrong.code).toBe('SSH_AUTH')
    expect(wrong.message).toMatch(/did not decrypt the (private )?key/)
    expect(wrong.message).toContain(key)
    expect(wrong.message).not.toMatch(/none was given/)
    expect(`${wrong.message}${wrong.stack ?? ''}${JSON.stringify(wrong)}`).not.toContain(wrongPassphrase)

    const missing = await failure(onceThenNothing(null))
    expect(missing.code).toBe('SSH_AUTH')
    expect(missing.message).toMatch(/none was given/)
    expect(missing.message).not.toMatch(/did not decrypt/)
  })

  it('shipgate check with a wrong SHIPGATE_SSH_PASSPHRASE says it did not decrypt the key, without printing it', () => {
    const dir = tmp()
    const home = join(dir, 'home')
    mkdirSync(home)
    const input = labCampaignInput([3, 3, 3, 3])
    const hosts = Object.fromEntries(Object.entries(input.hosts ?? {}).map(([role, h]) => [role, { ...h, key: lab().keys.ed25519Encrypted }]))
    const file = join(dir, 'campaign.yaml')
    writeFileSync(file, YAML.stringify({ ...input, hosts }))
    const wrongPassphrase = 'not-the-lab-passphrase-4410'
    const env = { HOME: home, SHIPGATE_KNOWN_HOSTS: lab().knownHosts }
    const wrong = shipgate(['--db', join(dir, 'h.sqlite'), 'check', file], { ...env, SHIPGATE_SSH_PASSPHRASE: wrongPassphrase })
    expect(wrong.code).toBe(1)
    expect(wrong.stdout).toMatch(/✗ node-a .*did not decrypt the (private )?key/)
    expect(wrong.stdout + wrong.stderr).not.toMatch(/none was given/)
    expect(wrong.stdout + wrong.stderr).not.toContain(wrongPassphrase)
    const right = shipgate(['--db', join(dir, 'h.sqlite'), 'check', file], { ...env, SHIPGATE_SSH_PASSPHRASE: lab().encryptedKeyPassphrase })
    expect(right.stdout).toMatch(/✓ node-a .*droplet3/)
  })

  it('authenticates through ssh-agent (SSH_AUTH_SOCK)', async () => {
    const dir = tmp()
    const sock = join(dir, 'agent.sock')
    const agent = spawn('ssh-agent', ['-D', '-a', sock], { stdio: 'ignore' })
    try {
      for (let i = 0; i < 50 && spawnSync('test', ['-S', sock]).status !== 0; i++) await new Promise((r) => setTimeout(r, 50))
      execFileSync('ssh-add', [lab().keys.rsa], { env: { ...process.env, SSH_AUTH_SOCK: sock }, stdio: 'ignore' })
      const h = droplet(3)
      const e = resolveEndpoint({ address: h.address, user: h.user, identityFile: join(dir, 'no-such-key'), useAgent: true }, { sshConfig: null })
      const c = new SshConnection({ ...e, identityFiles: [], explicitIdentity: false }, { hostKeys: trustingLab(), env: { SSH_AUTH_SOCK: sock } })
      open.push(c)
      expect((await c.exec('hostname')).stdout).toBe('droplet3\n')
    } finally {
      agent.kill()
    }
  })

  it('fails cleanly with a key the host does not accept', async () => {
    const dir = tmp()
    const stranger = join(dir, 'stranger')
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', stranger])
    const err = await connect(3, { endpoint: endpoint(3, { identityFile: stranger }) })
      .exec('true')
      .catch((e: unknown) => e)
    expect(err).toBeInstanceOf(TransportError)
    expect((err as TransportError).code).toBe('SSH_AUTH')
  })
})

describe('host keys', () => {
  it('trusts keys listed in known_hosts, hashed entries too', async () => {
    for (const file of [lab().knownHosts, lab().knownHostsHashed]) {
      const c = connect(1, { hostKeys: new HostKeyPolicy({ knownHostsFiles: [file] }) })
      expect((await c.exec('hostname')).stdout).toBe('droplet1\n')
    }
  })

  it('never accepts an unknown key silently; an approved key is pinned in the store', async () => {
    const store = Store.open(join(tmp(), 'pins.sqlite'))
    try {
      const refused = connect(1, { hostKeys: new HostKeyPolicy({ store: store.knownHosts }) })
      const err = await refused.exec('true').catch((e: unknown) => e)
      expect((err as TransportError).code).toBe('HOST_KEY_UNKNOWN')
      expect((err as Error).message).toContain(droplet(1).hostKeys['ssh-ed25519'])
      expect(store.knownHosts.all()).toEqual([])

      const prompts: HostKeyPrompt[] = []
      const approving = new HostKeyPolicy({ store: store.knownHosts, approve: async (p) => (prompts.push(p), true) })
      expect((await connect(1, { hostKeys: approving }).exec('hostname')).stdout).toBe('droplet1\n')
      expect(prompts).toEqual([{ host: droplet(1).address, port: 22, keyType: 'ssh-ed25519', fingerprint: droplet(1).hostKeys['ssh-ed25519'] }])
      expect(store.knownHosts.all().map((p) => p.fingerprint)).toEqual([droplet(1).hostKeys['ssh-ed25519']])

      const noPrompt = new HostKeyPolicy({ store: store.knownHosts, approve: async () => expect.fail('asked again for a pinned key') })
      expect((await connect(1, { hostKeys: noPrompt }).exec('hostname')).stdout).toBe('droplet1\n')
    } finally {
      store.close()
    }
  })

  it('refuses a changed key before any credential is sent, showing both fingerprints', async () => {
    const h = droplet(3)
    // A known_hosts that claims d3 has d2's ed25519 key: what a rebuilt or impersonated host looks like.
    const fake = join(tmp(), 'known_hosts')
    const d2Key = readFileSync(join(lab().dir, 'd2', 'host_ed25519.pub'), 'utf8').split(' ').slice(0, 2).join(' ')
    writeFileSync(fake, `${h.address} ${d2Key}\n`)
    const before = readFileSync(h.sshdLog, 'utf8').length
    const asked: string[] = []
    const c = connect(3, { hostKeys: new HostKeyPolicy({ knownHostsFiles: [fake], approve: async () => (asked.push('x'), true) }) })
    const err = await c.exec('true').catch((e: unknown) => e)
    expect((err as TransportError).code).toBe('HOST_KEY_MISMATCH')
    const msg = (err as Error).message
    expect(msg).toContain(droplet(2).hostKeys['ssh-ed25519'])
    expect(msg).toContain(h.hostKeys['ssh-ed25519'])
    expect(msg).toMatch(/before any credential was sent/)
    expect(asked).toEqual([])
    // sshd logs the connection's end a moment after the client gave up on it.
    const log = await vi.waitFor(
      () => {
        const text = readFileSync(h.sshdLog, 'utf8').slice(before)
        expect(text).toMatch(/Connection (closed|reset) by 10\.\d+\.0\.1|Disconnected from|kex_exchange_identification|\[preauth\]/)
        return text
      },
      { timeout: 10_000, interval: 50 },
    )
    expect(log).not.toMatch(/publickey/i)
  })
})

describe('what reaches the host', () => {
  it('sends none of the app\'s environment, even to a server that accepts every variable; no agent forwarding', async () => {
    const secrets = { SHIPGATE_SSH_PASSPHRASE: 'passphrase-of-the-operator-5521', DIGITALOCEAN_TOKEN: `dop_v1_${'7a'.repeat(32)}`, LC_SHIPGATE_PROBE: 'locale-like-probe' }
    Object.assign(process.env, secrets)
    const sshd = await startSshd(droplet(30), 2222, ['ed25519'], ['AcceptEnv *', 'AllowAgentForwarding yes'])
    open.push({ dispose: () => sshd.stop() })
    const dir = tmp()
    const sock = join(dir, 'agent.sock')
    const agent = spawn('ssh-agent', ['-D', '-a', sock], { stdio: 'ignore' })
    try {
      for (let i = 0; i < 50 && spawnSync('test', ['-S', sock]).status !== 0; i++) await new Promise((r) => setTimeout(r, 50))
      execFileSync('ssh-add', [lab().keys.rsa], { env: { ...process.env, SSH_AUTH_SOCK: sock }, stdio: 'ignore' })
      const h = droplet(30)
      const known = join(dir, 'known_hosts')
      writeFileSync(known, `[${h.address}]:2222 ${sshd.keys.ed25519}\n`)
      const e = resolveEndpoint({ address: h.address, port: 2222, user: h.user, identityFile: lab().keys.ed25519, useAgent: true }, { sshConfig: null })
      const c = new SshConnection(e, { hostKeys: new HostKeyPolicy({ knownHostsFiles: [known] }), env: { ...process.env, SSH_AUTH_SOCK: sock } })
      open.push(c)
      const r = await c.exec('cat /proc/$$/environ | tr "\\0" "\\n"; echo "agent=${SSH_AUTH_SOCK:-none}"')
      expect(r.exitCode).toBe(0)
      for (const [name, value] of Object.entries(secrets)) {
        expect(r.stdout, name).not.toContain(name)
        expect(r.stdout, name).not.toContain(value)
      }
      expect(r.stdout).toContain('agent=none\n')
    } finally {
      agent.kill()
      for (const name of Object.keys(secrets)) delete process.env[name]
    }
  })
})

describe('jump hosts and partitions', () => {
  afterAll(() => {
    spawnSync('ip', ['netns', 'exec', droplet(4).ns, 'iptables', '-F'])
    spawnSync('ip', ['netns', 'exec', droplet(6).ns, 'iptables', '-F'])
  })

  it('reaches a host only through its jump host (ProxyJump)', async () => {
    const target = droplet(6)
    const jump = droplet(5)
    // d6 refuses SSH from this machine; only d5 may reach it.
    inNamespace(target, ['iptables', '-A', 'INPUT', '-p', 'tcp', '--dport', '22', '-s', lab().gateway, '-j', 'DROP'])
    const direct = connect(6, { timings: { connectTimeoutMs: 1500 } })
    const err = await direct.exec('true').catch((e: unknown) => e)
    expect(isTransportError(err)).toBe(true)

    const config = `Host bastion\n  HostName ${jump.address}\n  User ${jump.user}\n  IdentityFile ${lab().keys.ed25519}\nHost behind\n  HostName ${target.address}\n  User ${target.user}\n  IdentityFile ${lab().keys.ecdsa}\n  ProxyJump bastion\n`
    const e = resolveEndpoint({ address: 'behind', useAgent: false }, { sshConfig: config })
    expect(e.jump?.host).toBe(jump.address)
    const pool = new SshPool({ hostKeys: trustingLab(), env: {} })
    open.push(pool)
    const c = pool.get(e)
    expect((await c.exec('hostname')).stdout).toBe('droplet6\n')
    expect((await c.exec('echo again')).stdout).toBe('again\n')
  })

  it('surfaces a partition as a transport error within the keepalive window, then reconnects after heal', async () => {
    const h = droplet(4)
    const c = connect(4, { timings: { keepaliveIntervalMs: 300, keepaliveCountMax: 2, connectTimeoutMs: 1500 } })
    expect((await c.exec('hostname')).stdout).toBe('droplet4\n')
    const pending = c.exec('sleep 20; echo done', { timeoutMs: 60_000 })
    await vi.waitFor(() => expect(processesOn(4, 'sleep 20').length).toBe(1), { timeout: 10_000, interval: 50 })
    const t0 = performance.now()
    inNamespace(h, ['iptables', '-I', 'INPUT', '-i', 'eth0', '-j', 'DROP'])
    inNamespace(h, ['iptables', '-I', 'OUTPUT', '-o', 'eth0', '-j', 'DROP'])
    const err = await pending.catch((e: unknown) => e)
    const detectedMs = performance.now() - t0
    expect(isTransportError(err)).toBe(true)
    expect((err as TransportError).code).toBe('SSH_TIMEOUT')
    expect(detectedMs).toBeLessThan(3000)
    // While partitioned, a new command fails as a transport error too (no silent hang).
    const during = await c.exec('true').catch((e: unknown) => e)
    expect(isTransportError(during)).toBe(true)
    inNamespace(h, ['iptables', '-F'])
    expect((await c.exec('hostname')).stdout).toBe('droplet4\n')
    expect(c.connects).toBe(2)
  })
})
