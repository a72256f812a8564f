// Released migration: never edit. Add a new numbered file instead.
import type { Migration } from './types'

export const migration0006: Migration = {
  version: 6,
  name: 'provisions: cloud resources a campaign created, until their destruction is verified',
  up(db) {
    db.exec(`
      CREATE TABLE provisions (
        id INTEGER PRIMARY KEY,
        run_id TEXT,
        campaign_tag TEXT NOT NULL,
        kind TEXT NOT NULL CHECK (kind IN ('terraform', 'digitalocean')),
        state TEXT NOT NULL CHECK (state IN ('provisioning', 'ready', 'destroying', 'destroyed', 'failed')),
        work_dir TEXT,
        resources_json TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(resources_json)),
        hourly_usd REAL NOT NULL DEFAULT 0,
        created_at INTEGER NOT NULL,
        deadline_at INTEGER NOT NULL,
        destroyed_at INTEGER,
        teardown_verified INTEGER NOT NULL DEFAULT 0 CHECK (teardown_verified IN (0, 1)),
        detail TEXT
      ) STRICT;
      CREATE INDEX provisions_open ON provisions (state);
    `)
  },
}
