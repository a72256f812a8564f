// Released migration: never edit. Add a new numbered file instead.
import type { Migration } from './types'

export const migration0002: Migration = {
  version: 2,
  name: 'known_hosts: the app\'s own host-key pins (SHA256 fingerprints)',
  up(db) {
    db.exec(`
      CREATE TABLE known_hosts (
        host TEXT NOT NULL,
        port INTEGER NOT NULL,
        key_type TEXT NOT NULL,
        sha256 TEXT NOT NULL,
        first_seen_at INTEGER NOT NULL,
        PRIMARY KEY (host, port, key_type)
      ) STRICT;
    `)
  },
}
