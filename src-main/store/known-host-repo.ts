// The app's host-key pins. Pins are only added by an explicit approval (or a provisioner that
// installed the key itself), and removed by `forget`.
import type { HostKeyPin } from '@shared/infra'
import type { Db } from './db'

const COLUMNS = 'host, port, key_type AS keyType, sha256 AS fingerprint, first_seen_at AS firstSeenAt'

export class KnownHostRepo {
  constructor(private readonly db: Db) {}

  pins(host: string, port: number): HostKeyPin[] {
    return this.db.prepare<[string, number], HostKeyPin>(`SELECT ${COLUMNS} FROM known_hosts WHERE host = ? AND port = ?`).all(host.toLowerCase(), port)
  }

  pin(p: HostKeyPin): void {
    this.db
      .prepare<[string, number, string, string, number]>('INSERT INTO known_hosts (host, port, key_type, sha256, first_seen_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT (host, port, key_type) DO NOTHING')
      .run(p.host.toLowerCase(), p.port, p.keyType, p.fingerprint, p.firstSeenAt)
  }

  forget(host: string, port: number): number {
    return this.db.prepare<[string, number]>('DELETE FROM known_hosts WHERE host = ? AND port = ?').run(host.toLowerCase(), port).changes
  }

  all(): HostKeyPin[] {
    return this.db.prepare<[], HostKeyPin>(`SELECT ${COLUMNS} FROM known_hosts ORDER BY host, port`).all()
  }
}
