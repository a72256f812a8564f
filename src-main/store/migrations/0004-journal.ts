// Released migration: never edit. Add a new numbered file instead.
import type { Migration } from './types'

export const migration0004: Migration = {
  version: 4,
  name: 'journal: every fault and started process, written before it happens, with its undo',
  up(db) {
    db.exec(`
      CREATE TABLE journal (
        id INTEGER PRIMARY KEY,
        run_id TEXT NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
        host_role TEXT NOT NULL CHECK (host_role IN ('node-a', 'node-b', 'node-c', 'chaos')),
        kind TEXT NOT NULL CHECK (kind IN ('process', 'fault')),
        label TEXT NOT NULL,
        undo TEXT NOT NULL,
        state TEXT NOT NULL CHECK (state IN ('pending', 'released', 'undone', 'failed')),
        created_at INTEGER NOT NULL,
        resolved_at INTEGER,
        detail TEXT
      ) STRICT;
      CREATE INDEX journal_pending ON journal (state, run_id);
    `)
  },
}
