import { execFileSync, spawnSync } from 'node:child_process'
import { createHmac, randomBytes } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { entryMatches, fingerprintOf, lookup, parseKnownHosts } from '../../src-main/transport/ssh/known-hosts'
import { HostKeyPolicy, hostKeyAlgorithms } from '../../src-main/transport/ssh/host-keys'
import { parseHop, resolveEndpoint } from '../../src-main/transport/ssh/endpoint'
import { assertHost, assertUser, cmd, envPrefix, isValidHost, isValidUser, q } from '../../src-main/transport/quote'
import { CappedStream } from '../../src-main/transport/output'

// A real ed25519 public key blob (generated for this test).
const KEY_A = 'AAAAC3NzaC1lZDI1NTE5AAAAIGy3SHNSaFwYAxAKoGUM05eaR1imo9micztPia3BGfeM'
const KEY_B = 'AAAAC3NzaC1lZDI1NTE5AAAAIFkpHh0rQffC4jHEKLlAqqMPZGKqCUZ+cwqW75XJqgt4'

function hashed(host: string): string {
  const salt = randomBytes(20)
  return `|1|${salt.toString('base64')}|${createHmac('sha1', salt).update(host).digest('base64')}`
}

describe('known_hosts', () => {
  it('matches plain, wildcard, negated, bracketed-port and hashed entries', () => {
    const text = [
      '# comment',
      `10.0.0.1,web.example ssh-ed25519 ${KEY_A}`,
      `*.lab,!bad.lab ssh-ed25519 ${KEY_A}`,
      `[10.0.0.2]:2222 ssh-ed25519 ${KEY_B}`,
      `${hashed('10.0.0.3')} ssh-ed25519 ${KEY_B}`,
      `@revoked 10.0.0.4 ssh-ed25519 ${KEY_B}`,
      'garbage line',
      `10.0.0.5 ssh-rsa ${KEY_A}`, // key type does not match the blob: ignored
    ].join('\n')
    const entries = parseKnownHosts(text)
    expect(entries).toHaveLength(5)
    expect(lookup(entries, '10.0.0.1', 22)).toHaveLength(1)
    expect(lookup(entries, 'WEB.example', 22)).toHaveLength(1)
    expect(lookup(entries, 'a.lab', 22)).toHaveLength(1)
    expect(lookup(entries, 'bad.lab', 22)).toHaveLength(0)
    expect(lookup(entries, '10.0.0.2', 2222)).toHaveLength(1)
    expect(lookup(entries, '10.0.0.2', 22)).toHaveLength(0)
    expect(lookup(entries, '10.0.0.3', 22)).toHaveLength(1)
    expect(lookup(entries, '10.0.0.3', 2200)).toHaveLength(0)
    expect(entryMatches(entries[3] as never, '10.0.0.9', 22)).toBe(false)
  })

  it('prints fingerprints the way ssh-keygen -l does', () => {
    const expected = execFileSync('ssh-keygen', ['-lf', '-'], { input: `ssh-ed25519 ${KEY_A}\n`, encoding: 'utf8' }).split(' ')[1]
    expect(fingerprintOf(Buffer.from(KEY_A, 'base64'))).toBe(expected)
  })

  it('decides trusted, unknown, changed and revoked', () => {
    const fpA = fingerprintOf(Buffer.from(KEY_A, 'base64'))
    const fpB = fingerprintOf(Buffer.from(KEY_B, 'base64'))
    const pins = [{ host: '10.0.0.9', port: 22, keyType: 'ssh-ed25519', fingerprint: fpA, firstSeenAt: 1 }]
    const policy = new HostKeyPolicy({ store: { pins: (h, p) => pins.filter((x) => x.host === h && x.port === p), pin: () => undefined } })
    expect(policy.decide('10.0.0.9', 22, 'ssh-ed25519', fpA).kind).toBe('trusted')
    expect(policy.decide('10.0.0.9', 22, 'ssh-ed25519', fpB).kind).toBe('mismatch')
    // A host known by any key is known: a key of another type is a mismatch, never a first meeting.
    expect(policy.decide('10.0.0.9', 22, 'ecdsa-sha2-nistp256', fpB)).toEqual({ kind: 'mismatch', expected: [{ keyType: 'ssh-ed25519', fingerprint: fpA, via: 'Shipgate Lab pin' }] })
    expect(policy.decide('10.0.0.9', 2222, 'ecdsa-sha2-nistp256', fpB).kind).toBe('unknown')
    expect(policy.decide('10.0.0.8', 22, 'ssh-ed25519', fpA).kind).toBe('unknown')
  })

  it('offers only the algorithms of the known key types, everything for an unknown host', () => {
    expect(hostKeyAlgorithms([])).toEqual(['ssh-ed25519', 'ecdsa-sha2-nistp256', 'ecdsa-sha2-nistp384', 'ecdsa-sha2-nistp521', 'rsa-sha2-512', 'rsa-sha2-256', 'ssh-rsa'])
    expect(hostKeyAlgorithms(['ecdsa-sha2-nistp256'])).toEqual(['ecdsa-sha2-nistp256'])
    expect(hostKeyAlgorithms(['ssh-rsa', 'ssh-ed25519'])).toEqual(['ssh-ed25519', 'rsa-sha2-512', 'rsa-sha2-256', 'ssh-rsa'])
    // Known only by types ssh2 cannot negotiate: nothing to offer (the connection refuses).
    expect(hostKeyAlgorithms(['ssh-dss', 'sk-ssh-ed25519@openssh.com'])).toEqual([])
  })
})

describe('quoting', () => {
  function roundTrip(s: string): string {
    return spawnSync('/bin/sh', ['-c', `printf %s ${q(s)}`], { encoding: 'utf8' }).stdout
  }

  it('returns every string unchanged through a real shell', () => {
    const samples = ["it's", '"$HOME"', '`id`', '$(id)', 'a;b|c&d', '\\', "''", 'new\nline', ' lead', 'trail ', '*?[]{}', '~root', '', '-n', '#x', '!', 'é✓']
    for (const s of samples) expect(roundTrip(s)).toBe(s)
    for (let i = 0; i < 200; i++) {
      const s = Array.from(randomBytes(24))
        .map((b) => String.fromCharCode(1 + (b % 126)))
        .join('')
      expect(roundTrip(s)).toBe(s)
    }
  })

  it('refuses NUL and bad environment names', () => {
    expect(() => q('a\0b')).toThrow(/NUL/)
    expect(() => envPrefix({ 'A B': '1' })).toThrow(/invalid environment variable/)
    expect(envPrefix({ AI_MEMORY_DB: "/tmp/x y'z" })).toBe(`export AI_MEMORY_DB='/tmp/x y'\\''z'; `)
    expect(cmd('ai-memory', 'store', '--title', 'a b')).toBe("ai-memory store --title 'a b'")
  })

  it('validates host and user names', () => {
    for (const h of ['10.77.0.11', 'node-a.example.com', 'localhost', '::1', 'fe80::1']) expect(isValidHost(h), h).toBe(true)
    for (const h of ['-oProxyCommand=x', 'a b', 'a;b', '', 'a'.repeat(300), '$(id)']) expect(isValidHost(h), h).toBe(false)
    for (const u of ['root', 'ubuntu', 'ci_user', 'svc-1']) expect(isValidUser(u), u).toBe(true)
    for (const u of ['-l', 'a b', 'root;id', '']) expect(isValidUser(u), u).toBe(false)
    expect(() => assertHost('-oProxyCommand=touch /tmp/x')).toThrow(/invalid host/)
    expect(() => assertUser('root id')).toThrow(/invalid user/)
  })
})

describe('ssh config resolution', () => {
  const config = [
    'Host node-*',
    '  User root',
    '  IdentityFile ~/.ssh/campaign_%n',
    'Host node-a',
    '  HostName 10.1.0.11',
    '  Port 2222',
    '  ProxyJump ops@bastion:2200',
    'Host bastion',
    '  HostName 10.1.0.1',
    '  IdentityFile ~/.ssh/bastion',
  ].join('\n')

  it('applies HostName, User, Port, IdentityFile and ProxyJump, first match wins', () => {
    const e = resolveEndpoint({ address: 'node-a' }, { sshConfig: config, home: '/home/eng' })
    expect(e).toMatchObject({ host: '10.1.0.11', port: 2222, user: 'root', identityFiles: ['/home/eng/.ssh/campaign_node-a'], explicitIdentity: true })
    expect(e.jump).toMatchObject({ host: '10.1.0.1', port: 2200, user: 'ops', identityFiles: ['/home/eng/.ssh/bastion'] })
  })

  it('lets the campaign override the config and falls back to the default keys', () => {
    const e = resolveEndpoint({ address: '10.9.9.9', user: 'ubuntu', port: 22 }, { sshConfig: null, home: '/h' })
    expect(e.identityFiles).toEqual(['/h/.ssh/id_ed25519', '/h/.ssh/id_ecdsa', '/h/.ssh/id_rsa'])
    expect(e.explicitIdentity).toBe(false)
    expect(e.jump).toBeNull()
    expect(() => resolveEndpoint({ address: 'x;rm -rf' }, { sshConfig: null })).toThrow(/invalid host/)
  })

  it('parses ProxyJump hops', () => {
    expect(parseHop('ops@10.0.0.1:2200')).toEqual({ user: 'ops', host: '10.0.0.1', port: 2200 })
    expect(parseHop('[fe80::1]:22')).toEqual({ host: 'fe80::1', port: 22 })
    expect(parseHop('bastion')).toEqual({ host: 'bastion' })
  })
})

describe('output cap', () => {
  it('keeps the tail and splits lines across chunks', () => {
    const lines: string[] = []
    const s = new CappedStream(10, (l) => lines.push(l))
    s.push('abc\ndef')
    s.push('ghi\r\njkl')
    s.push(Buffer.from('mno\n'))
    s.end()
    expect(lines).toEqual(['abc', 'defghi', 'jklmno'])
    expect(s.text()).toBe('i\r\njklmno\n')
    expect(s.dropped).toBe(9)
  })
})
