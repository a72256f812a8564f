// Released migration: never edit. Add a new numbered file instead.
import type { Migration } from './types'

export const migration0007: Migration = {
  version: 7,
  name: 'judgements: the evaluator each run was judged by, earlier verdicts, simulated runs, why a run stopped',
  up(db) {
    db.exec(`
      ALTER TABLE runs ADD COLUMN evaluator_version TEXT NOT NULL DEFAULT 'evaluator@1';
      UPDATE runs SET evaluator_version = COALESCE(json_extract(evaluation_json, '$.evaluatorVersion'), 'evaluator@1');
      CREATE INDEX runs_by_evaluator ON runs (evaluator_version);

      ALTER TABLE runs ADD COLUMN simulated INTEGER NOT NULL DEFAULT 0 CHECK (simulated IN (0, 1));
      UPDATE runs SET simulated = 1 WHERE ai_memory_version LIKE '%+shipgate-sim%';

      ALTER TABLE runs ADD COLUMN stop_reason TEXT;

      CREATE TABLE verdict_history (
        id INTEGER PRIMARY KEY,
        run_id TEXT NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
        evaluator_version TEXT NOT NULL,
        threshold_set TEXT NOT NULL,
        verdict TEXT NOT NULL CHECK (verdict IN ('pass', 'fail', 'incomplete')),
        reason TEXT NOT NULL,
        judged_at INTEGER NOT NULL
      ) STRICT;
      CREATE INDEX verdict_history_by_run ON verdict_history (run_id);
    `)
  },
}
