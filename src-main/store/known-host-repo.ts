import type { HostKeyPin, HostKeyStore } from '../transport/ssh/host-keys'
import type { Db } from './db'

/** The app's host-key pins. Pins are only added by an explicit approval, or removed by `forget`. */
export class KnownHostRepo implements HostKeyStore {
  constructor(private readonly db: Db) {}

  pins(host: string, port: number): HostKeyPin[] {
    return (
      this.db
        .prepare('SELECT host, port, key_type AS keyType, sha256 AS fingerprint, first_seen_at AS firstSeenAt FROM known_hosts WHERE host = ? AND port = ?')
        .all(host.toLowerCase(), port) as HostKeyPin[]
    )
  }

  pin(p: HostKeyPin): void {
    this.db
      .prepare('INSERT INTO known_hosts (host, port, key_type, sha256, first_seen_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT (host, port, key_type) DO NOTHING')
      .run(p.host.toLowerCase(), p.port, p.keyType, p.fingerprint, p.firstSeenAt)
  }

  forget(host: string, port: number): number {
    return this.db.prepare('DELETE FROM known_hosts WHERE host = ? AND port = ?').run(host.toLowerCase(), port).changes
  }

  all(): HostKeyPin[] {
    return this.db.prepare('SELECT host, port, key_type AS keyType, sha256 AS fingerprint, first_seen_at AS firstSeenAt FROM known_hosts ORDER BY host, port').all() as HostKeyPin[]
  }
}
