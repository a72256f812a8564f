// src-main/provision/host-key.ts: host keys made before the droplet exists, so the first SSH connection is already strict.

import { describe, expect, it } from 'vitest'
import { cloudInitWithHostKey, generateHostKey, hostKeyOfLine } from '../../src-main/provision/host-key'

describe('hostkey: generates host keys ', () => {
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
})
