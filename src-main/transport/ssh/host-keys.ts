// Host-key trust. OpenSSH known_hosts files (hashed entries too) and the app's own pins are both
// consulted; an unknown key is accepted only when the caller approves it, and a changed key is
// refused during key exchange, before any credential is sent.
import { readFileSync } from 'node:fs'
import { fingerprintOf, keyTypeOf, lookup, parseKnownHosts, type KnownHostEntry } from './known-hosts'
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

export type HostKeyDecision =
  | { kind: 'trusted'; via: string }
  | { kind: 'unknown' }
  | { kind: 'mismatch'; expected: { fingerprint: string; via: string }[] }
  | { kind: 'revoked'; via: string }

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

  decide(host: string, port: number, keyType: string, fingerprint: string): HostKeyDecision {
    const fromFiles = lookup(this.entries, host, port)
    const revoked = fromFiles.find((e) => e.marker === '@revoked' && e.fingerprint === fingerprint)
    if (revoked) return { kind: 'revoked', via: revoked.source }
    const known = [
      ...fromFiles.filter((e) => e.marker === null).map((e) => ({ keyType: e.keyType, fingerprint: e.fingerprint, via: e.source })),
      ...(this.options.store?.pins(host, port) ?? []).map((p) => ({ keyType: p.keyType, fingerprint: p.fingerprint, via: 'Shipgate Lab pin' })),
    ]
    const match = known.find((k) => k.fingerprint === fingerprint)
    if (match) return { kind: 'trusted', via: match.via }
    const sameType = known.filter((k) => k.keyType === keyType)
    if (sameType.length > 0) return { kind: 'mismatch', expected: sameType.map((k) => ({ fingerprint: k.fingerprint, via: k.via })) }
    return { kind: 'unknown' }
  }

  /** Key types this host is known by, so negotiation picks a key we can check (as OpenSSH does). */
  knownKeyTypes(host: string, port: number): string[] {
    const types = [
      ...lookup(this.entries, host, port).filter((e) => e.marker === null).map((e) => e.keyType),
      ...(this.options.store?.pins(host, port) ?? []).map((p) => p.keyType),
    ]
    return [...new Set(types)]
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
      case 'mismatch':
        return new TransportError(
          'HOST_KEY_MISMATCH',
          `HOST KEY CHANGED for ${label} (${host}:${port}): expected ${d.expected.map((e) => `${e.fingerprint} (${e.via})`).join(' or ')}, got ${keyType} ${fingerprint}. ` +
            'The connection was refused before any credential was sent. If the host was rebuilt, remove the old key and connect again.',
          label,
        )
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
