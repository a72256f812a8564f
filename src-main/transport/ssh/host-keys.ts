// Host-key trust. OpenSSH known_hosts files (hashed entries too) and the app's own pins are both
// consulted; an unknown key is accepted only when the caller approves it, and a changed key is
// refused during key exchange, before any credential is sent. A host known by any key is known:
// a key of another type is refused like a changed key (StrictHostKeyChecking), and key exchange
// offers only the known types, so an impostor cannot steer it to a type we cannot check.
import { readFileSync } from 'node:fs'
import { fingerprintOf, keyTypeOf, lookup, parseKnownHosts, type KnownHostEntry } from './known-hosts'
import type { ServerHostKeyAlgorithm } from 'ssh2'
import { TransportError } from '../types'

export interface HostKeyPin {
  host: string
  port: number
  keyType: string
  fingerprint: string
  firstSeenAt: number
}

export interface HostKeyStore {
  pins(host: string, port: number): HostKeyPin[]
  pin(pin: HostKeyPin): void
}

export interface HostKeyPrompt {
  host: string
  port: number
  keyType: string
  fingerprint: string
}

/** Asks the user (the UI shows the fingerprint; the CLI answers from --accept-new-host-key). */
export type ApproveHostKey = (prompt: HostKeyPrompt) => Promise<boolean>

export interface KnownHostKey {
  keyType: string
  fingerprint: string
  /** Where it is known from: `file:line` or the app's pin. */
  via: string
}

export type HostKeyDecision =
  | { kind: 'trusted'; via: string }
  | { kind: 'unknown' }
  | { kind: 'mismatch'; expected: KnownHostKey[] }
  | { kind: 'revoked'; via: string }

/** Host-key algorithms in order of preference, and which ones can present a key of each type. */
const HOST_KEY_ALGORITHMS: readonly ServerHostKeyAlgorithm[] = ['ssh-ed25519', 'ecdsa-sha2-nistp256', 'ecdsa-sha2-nistp384', 'ecdsa-sha2-nistp521', 'rsa-sha2-512', 'rsa-sha2-256', 'ssh-rsa']
const ALGORITHMS_OF_KEY_TYPE: Record<string, readonly ServerHostKeyAlgorithm[]> = {
  'ssh-ed25519': ['ssh-ed25519'],
  'ecdsa-sha2-nistp256': ['ecdsa-sha2-nistp256'],
  'ecdsa-sha2-nistp384': ['ecdsa-sha2-nistp384'],
  'ecdsa-sha2-nistp521': ['ecdsa-sha2-nistp521'],
  // An RSA key (`ssh-rsa` in known_hosts) is presented with SHA-2 signatures by current servers.
  'ssh-rsa': ['rsa-sha2-512', 'rsa-sha2-256', 'ssh-rsa'],
}

/**
 * What to offer in key exchange: everything for a host with no known key; for a known host only the
 * algorithms of its known key types (empty when none of them can be negotiated).
 */
export function hostKeyAlgorithms(knownKeyTypes: string[]): ServerHostKeyAlgorithm[] {
  if (knownKeyTypes.length === 0) return [...HOST_KEY_ALGORITHMS]
  return HOST_KEY_ALGORITHMS.filter((a) => knownKeyTypes.some((t) => ALGORITHMS_OF_KEY_TYPE[t]?.includes(a)))
}

export interface HostKeyPolicyOptions {
  knownHostsFiles?: string[]
  store?: HostKeyStore
  approve?: ApproveHostKey
  now?: () => number
}

export class HostKeyPolicy {
  private readonly entries: KnownHostEntry[]

  constructor(private readonly options: HostKeyPolicyOptions = {}) {
    this.entries = (options.knownHostsFiles ?? []).flatMap((file) => {
      try {
        return parseKnownHosts(readFileSync(file, 'utf8'), file)
      } catch {
        return [] // a missing known_hosts file is simply empty
      }
    })
  }

  /** Every key host:port is known by, from the known_hosts files and the app's pins. */
  knownKeys(host: string, port: number): KnownHostKey[] {
    return [
      ...lookup(this.entries, host, port)
        .filter((e) => e.marker === null)
        .map((e) => ({ keyType: e.keyType, fingerprint: e.fingerprint, via: e.source })),
      ...(this.options.store?.pins(host, port) ?? []).map((p) => ({ keyType: p.keyType, fingerprint: p.fingerprint, via: 'Shipgate Lab pin' })),
    ]
  }

  decide(host: string, port: number, keyType: string, fingerprint: string): HostKeyDecision {
    const revoked = lookup(this.entries, host, port).find((e) => e.marker === '@revoked' && e.fingerprint === fingerprint)
    if (revoked) return { kind: 'revoked', via: revoked.source }
    const known = this.knownKeys(host, port)
    const match = known.find((k) => k.fingerprint === fingerprint && k.keyType === keyType)
    if (match) return { kind: 'trusted', via: match.via }
    // Any known key makes the host known: a key of another type is not a first meeting.
    if (known.length > 0) return { kind: 'mismatch', expected: known }
    return { kind: 'unknown' }
  }

  /** Key types this host is known by: key exchange offers only these (see hostKeyAlgorithms). */
  knownKeyTypes(host: string, port: number): string[] {
    return [...new Set(this.knownKeys(host, port).map((k) => k.keyType))]
  }

  async verify(host: string, port: number, keyBlob: Uint8Array, label = host): Promise<TransportError | null> {
    const keyType = keyTypeOf(keyBlob)
    const fingerprint = fingerprintOf(keyBlob)
    const d = this.decide(host, port, keyType, fingerprint)
    switch (d.kind) {
      case 'trusted':
        return null
      case 'revoked':
        return new TransportError('HOST_KEY_MISMATCH', `host key of ${label} (${fingerprint}) is marked @revoked in ${d.via}; refusing to connect`, label)
      case 'mismatch': {
        const sameType = d.expected.some((e) => e.keyType === keyType)
        const what = sameType ? 'HOST KEY CHANGED' : 'HOST KEY OF ANOTHER TYPE'
        return new TransportError(
          'HOST_KEY_MISMATCH',
          `${what} for ${label} (${host}:${port}): expected ${d.expected.map((e) => `${e.keyType} ${e.fingerprint} (${e.via})`).join(' or ')}, got ${keyType} ${fingerprint}; ` +
            `known key types: ${knownTypesOf(d.expected)}. The connection was refused before any credential was sent. ` +
            'If the host was rebuilt, remove its old keys and connect again.',
          label,
        )
      }
      case 'unknown': {
        const approved = this.options.approve ? await this.options.approve({ host, port, keyType, fingerprint }) : false
        if (!approved) {
          return new TransportError(
            'HOST_KEY_UNKNOWN',
            `unknown host key for ${label} (${host}:${port}): ${keyType} ${fingerprint}. Approve it in the app, or pass --accept-new-host-key on the command line.`,
            label,
          )
        }
        this.options.store?.pin({ host, port, keyType, fingerprint, firstSeenAt: (this.options.now ?? Date.now)() })
        return null
      }
    }
  }
}

export function knownTypesOf(keys: KnownHostKey[]): string {
  return [...new Set(keys.map((k) => k.keyType))].join(', ')
}
