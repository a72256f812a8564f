// OpenSSH known_hosts: plain and hashed (`|1|salt|hash`) host patterns, wildcards, negation,
// `[host]:port` for non-22 ports, and the @revoked marker. Pure functions over the file's text.
import { createHash, createHmac } from 'node:crypto'

export interface KnownHostEntry {
  marker: '@revoked' | '@cert-authority' | null
  /** Plain patterns, or null when the entry is hashed. */
  patterns: string[] | null
  hashed: { salt: Buffer; hash: Buffer } | null
  keyType: string
  fingerprint: string
  source: string
}

/** `SHA256:<base64 without padding>`, as `ssh-keygen -l` prints it. */
export function fingerprintOf(keyBlob: Uint8Array): string {
  return `SHA256:${createHash('sha256').update(keyBlob).digest('base64').replace(/=+$/, '')}`
}

/** The key type named inside an SSH wire-format public key blob. */
export function keyTypeOf(keyBlob: Uint8Array): string {
  const buf = Buffer.from(keyBlob)
  if (buf.length < 4) return 'unknown'
  const len = buf.readUInt32BE(0)
  if (len <= 0 || len > 64 || 4 + len > buf.length) return 'unknown'
  return buf.subarray(4, 4 + len).toString('latin1')
}

export function hostKey(host: string, port: number): string {
  return port === 22 ? host.toLowerCase() : `[${host.toLowerCase()}]:${port}`
}

export function parseKnownHosts(text: string, source = 'known_hosts'): KnownHostEntry[] {
  const entries: KnownHostEntry[] = []
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.trim()
    if (!line || line.startsWith('#')) return
    const fields = line.split(/\s+/)
    let marker: KnownHostEntry['marker'] = null
    if (fields[0] === '@revoked' || fields[0] === '@cert-authority') marker = fields.shift() as KnownHostEntry['marker']
    const [hostField, keyType, keyData] = fields
    if (!hostField || !keyType || !keyData) return
    let blob: Buffer
    try {
      blob = Buffer.from(keyData, 'base64')
    } catch {
      return
    }
    if (blob.length === 0 || keyTypeOf(blob) !== keyType) return
    let hashed: KnownHostEntry['hashed'] = null
    let patterns: string[] | null = null
    if (hostField.startsWith('|1|')) {
      const [, , salt, hash] = hostField.split('|')
      if (!salt || !hash) return
      hashed = { salt: Buffer.from(salt, 'base64'), hash: Buffer.from(hash, 'base64') }
    } else {
      patterns = hostField.split(',')
    }
    entries.push({ marker, patterns, hashed, keyType, fingerprint: fingerprintOf(blob), source: `${source}:${i + 1}` })
  })
  return entries
}

function wildcardToRegExp(pattern: string): RegExp {
  const escaped = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')
  return new RegExp(`^${escaped}$`, 'i')
}

export function entryMatches(entry: KnownHostEntry, host: string, port: number): boolean {
  const name = hostKey(host, port)
  if (entry.hashed) {
    const digest = createHmac('sha1', entry.hashed.salt).update(name).digest()
    return digest.length === entry.hashed.hash.length && digest.equals(entry.hashed.hash)
  }
  let matched = false
  for (const p of entry.patterns ?? []) {
    const negated = p.startsWith('!')
    const re = wildcardToRegExp(negated ? p.slice(1) : p)
    if (re.test(name)) {
      if (negated) return false
      matched = true
    }
  }
  return matched
}

export function lookup(entries: KnownHostEntry[], host: string, port: number): KnownHostEntry[] {
  return entries.filter((e) => e.marker !== '@cert-authority' && entryMatches(e, host, port))
}
