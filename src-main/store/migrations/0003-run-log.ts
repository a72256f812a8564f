// Released migration: never edit. Add a new numbered file instead.
import type { Migration } from './types'

export const migration0003: Migration = {
  version: 3,
  name: 'run_log: the live log of launched runs, line by line',
  up(db) {
    db.exec(`
      CREATE TABLE run_log (
        run_id TEXT NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
        seq INTEGER NOT NULL,
        at INTEGER NOT NULL,
        phase INTEGER,
        host TEXT,
        stream TEXT NOT NULL CHECK (stream IN ('stdout', 'stderr', 'info', 'command')),
        line TEXT NOT NULL,
        PRIMARY KEY (run_id, seq)
      ) STRICT, WITHOUT ROWID;
    `)
  },
}
