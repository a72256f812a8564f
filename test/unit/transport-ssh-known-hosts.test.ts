// src-main/transport/ssh/known-hosts.ts and host-keys.ts: OpenSSH's known_hosts as ssh reads it, and the host-key policy.

import { execFileSync } from 'node:child_process'
import { createHmac, randomBytes } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { entryMatches, fingerprintOf, lookup, parseKnownHosts } from '../../src-main/transport/ssh/known-hosts'
import { HostKeyPolicy, hostKeyAlgorithms } from '../../src-main/transport/ssh/host-keys'

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
