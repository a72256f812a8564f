// Host keys for hosts the app creates: generated here and installed by cloud-init, so the first SSH
// connection to a fresh droplet is already verified (no trust on first use).
import { utils } from 'ssh2'
import { fingerprintOf, keyTypeOf } from '../transport/ssh/known-hosts'
import type { HostKey } from './types'

export interface GeneratedHostKey extends HostKey {
  privateKey: string
  publicKey: string
}

/** Type and SHA256 fingerprint of an OpenSSH public key line (`ssh-ed25519 AAAA… comment`). */
export function hostKeyOfLine(line: string): HostKey | null {
  const blob = /^\s*(ssh-[a-z0-9-]+|ecdsa-[a-z0-9-]+)\s+([A-Za-z0-9+/=]+)/.exec(line)?.[2]
  if (!blob) return null
  const bytes = Buffer.from(blob, 'base64')
  const keyType = keyTypeOf(bytes)
  return keyType === 'unknown' ? null : { keyType, fingerprint: fingerprintOf(bytes) }
}

export function generateHostKey(comment: string): GeneratedHostKey {
  const pair = utils.generateKeyPairSync('ed25519', { comment })
  const key = hostKeyOfLine(pair.public)
  if (!key) throw new Error('ssh2 generated a host key that cannot be read back')
  return { ...key, privateKey: pair.private, publicKey: pair.public }
}

/** cloud-init user data that installs the host key (and nothing else: bootstrap does the rest over SSH). */
export function cloudInitWithHostKey(key: GeneratedHostKey): string {
  const indent = (text: string) =>
    text
      .trim()
      .split('\n')
      .map((l) => `    ${l}`)
      .join('\n')
  return `#cloud-config\nssh_deletekeys: true\nssh_genkeytypes: []\nssh_keys:\n  ed25519_private: |\n${indent(key.privateKey)}\n  ed25519_public: ${key.publicKey.trim()}\n`
}
