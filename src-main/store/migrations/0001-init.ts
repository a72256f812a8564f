// Released migration: never edit. Add a new numbered file instead.
import type { Migration } from './types'

export const migration0001: Migration = {
  version: 1,
  name: 'init: runs, artifacts, phase timings, annotations',
  up(db) {
    db.exec(`
      CREATE TABLE runs (
        id TEXT PRIMARY KEY,
        campaign TEXT NOT NULL,
        source TEXT NOT NULL CHECK (source IN ('import', 'launched', 'bundle')),
        state TEXT NOT NULL CHECK (state IN ('running', 'completed', 'interrupted', 'cancelled')),
        verdict TEXT NOT NULL CHECK (verdict IN ('pass', 'fail', 'incomplete')),
        reason TEXT NOT NULL,
        phase1 TEXT NOT NULL CHECK (phase1 IN ('pass', 'fail', 'error', 'not_run')),
        phase2 TEXT NOT NULL CHECK (phase2 IN ('pass', 'fail', 'error', 'not_run')),
        phase3 TEXT NOT NULL CHECK (phase3 IN ('pass', 'fail', 'error', 'not_run')),
        phase4 TEXT NOT NULL CHECK (phase4 IN ('pass', 'fail', 'error', 'not_run')),
        ai_memory_ref TEXT,
        ai_memory_version TEXT,
        ai_memory_commit TEXT,
        started_at INTEGER,
        completed_at INTEGER,
        duration_ms INTEGER,
        created_at INTEGER NOT NULL,
        content_sha256 TEXT,
        params_json TEXT NOT NULL CHECK (json_valid(params_json)),
        evaluation_json TEXT NOT NULL CHECK (json_valid(evaluation_json)),
        warning_count INTEGER NOT NULL DEFAULT 0,
        owner_pid INTEGER,
        owner_host TEXT,
        cost_usd REAL
      ) STRICT;
      CREATE INDEX runs_by_campaign ON runs (campaign, completed_at);
      CREATE INDEX runs_by_completed ON runs (completed_at);
      CREATE INDEX runs_by_verdict ON runs (verdict);

      CREATE TABLE artifacts (
        id INTEGER PRIMARY KEY,
        run_id TEXT NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
        name TEXT NOT NULL,
        phase INTEGER,
        subject TEXT,
        media_type TEXT NOT NULL,
        size_bytes INTEGER NOT NULL,
        sha256 TEXT NOT NULL,
        bytes BLOB NOT NULL,
        created_at INTEGER NOT NULL,
        UNIQUE (run_id, name)
      ) STRICT;
      CREATE INDEX artifacts_by_run ON artifacts (run_id);

      CREATE TABLE phase_timings (
        run_id TEXT NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
        phase INTEGER NOT NULL CHECK (phase BETWEEN 1 AND 4),
        started_at INTEGER,
        finished_at INTEGER,
        PRIMARY KEY (run_id, phase)
      ) STRICT;

      CREATE TABLE annotations (
        id INTEGER PRIMARY KEY,
        run_id TEXT NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
        version INTEGER NOT NULL,
        source TEXT NOT NULL CHECK (source IN ('imported', 'draft', 'edited', 'accepted', 'llm-draft')),
        author TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        body_json TEXT NOT NULL CHECK (json_valid(body_json)),
        citations_json TEXT CHECK (citations_json IS NULL OR json_valid(citations_json)),
        UNIQUE (run_id, version)
      ) STRICT;
      CREATE INDEX annotations_by_run ON annotations (run_id);
    `)
  },
}
