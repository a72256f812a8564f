// Released migration: never edit. Add a new numbered file instead.
import type { Migration } from './types'

export const migration0005: Migration = {
  version: 5,
  name: 'campaigns: saved campaign files (YAML) of the desktop app',
  up(db) {
    db.exec(`
      CREATE TABLE campaigns (
        name TEXT PRIMARY KEY,
        yaml TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL
      ) STRICT;
    `)
  },
}
