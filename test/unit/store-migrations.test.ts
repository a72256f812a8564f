// One test per migration, as Signal Desktop does it: a database at version N−1 with rows in it is
// migrated to N, and what N promises holds for those rows.
import Database from 'better-sqlite3'
import { describe, expect, it } from 'vitest'
import { MIGRATIONS } from '../../src-main/store/migrations'

type Db = Database.Database

/** A fresh in-memory database at `version`, built by the released migrations themselves. */
function at(version: number): Db {
  const db = new Database(':memory:')
  db.pragma('foreign_keys = ON')
  for (const m of MIGRATIONS.filter((x) => x.version <= version)) {
    db.transaction(() => {
      m.up(db)
      db.pragma(`user_version = ${m.version}`)
    })()
  }
  return db
}

function migrate(db: Db, version: number): void {
  const m = MIGRATIONS.find((x) => x.version === version)
  if (!m) throw new Error(`no migration ${version}`)
  db.transaction(() => {
    m.up(db)
    db.pragma(`user_version = ${version}`)
  })()
}

const evaluation = (verdict: string, evaluator: string | null) =>
  JSON.stringify({ verdict, reason: `${verdict.toUpperCase()} — test`, phases: [], warnings: [], ...(evaluator ? { evaluatorVersion: evaluator } : {}), thresholdSet: 'shipgate-thresholds@1' })

function insertRun(db: Db, id: string, extra: { version?: string | null; evaluator?: string | null } = {}): void {
  db.prepare(
    `INSERT INTO runs (id, campaign, source, state, verdict, reason, phase1, phase2, phase3, phase4, ai_memory_version, created_at, params_json, evaluation_json)
     VALUES (?, 'c', 'launched', 'completed', 'fail', 'FAIL — test', 'pass', 'fail', 'not_run', 'not_run', ?, 0, '{}', ?)`,
  ).run(id, extra.version ?? null, evaluation('fail', extra.evaluator === undefined ? 'evaluator@1' : extra.evaluator))
}

function columns(db: Db, table: string): string[] {
  return (db.prepare(`PRAGMA table_info(${table})`).all() as { name: string }[]).map((c) => c.name)
}

describe('migrations, each from the version before it', () => {
  it('1 creates runs, artifacts, phase timings and annotations', () => {
    const db = at(0)
    migrate(db, 1)
    for (const t of ['runs', 'artifacts', 'phase_timings', 'annotations']) expect(columns(db, t).length, t).toBeGreaterThan(3)
    insertRun(db, 'r1')
    expect(() => db.prepare("INSERT INTO phase_timings (run_id, phase) VALUES ('r1', 9)").run()).toThrow(/CHECK/)
  })

  it('2 adds the host-key pins beside existing runs', () => {
    const db = at(1)
    insertRun(db, 'r1')
    migrate(db, 2)
    db.prepare("INSERT INTO known_hosts (host, port, key_type, sha256, first_seen_at) VALUES ('h', 22, 'ssh-ed25519', 'SHA256:x', 1)").run()
    expect(db.prepare('SELECT COUNT(*) AS n FROM runs').get()).toEqual({ n: 1 })
  })

  it('3 adds the run log, cascading with its run', () => {
    const db = at(2)
    insertRun(db, 'r1')
    migrate(db, 3)
    db.prepare("INSERT INTO run_log (run_id, seq, at, stream, line) VALUES ('r1', 0, 1, 'info', 'hello')").run()
    db.prepare("DELETE FROM runs WHERE id = 'r1'").run()
    expect(db.prepare('SELECT COUNT(*) AS n FROM run_log').get()).toEqual({ n: 0 })
  })

  it('4 adds the journal, whose states are a closed set', () => {
    const db = at(3)
    insertRun(db, 'r1')
    migrate(db, 4)
    db.prepare("INSERT INTO journal (run_id, host_role, kind, label, undo, state, created_at) VALUES ('r1', 'node-a', 'fault', 'l', 'true', 'pending', 1)").run()
    expect(() => db.prepare("INSERT INTO journal (run_id, host_role, kind, label, undo, state, created_at) VALUES ('r1', 'node-a', 'fault', 'l', 'true', 'maybe', 1)").run()).toThrow(/CHECK/)
  })

  it('5 adds saved campaigns', () => {
    const db = at(4)
    migrate(db, 5)
    db.prepare("INSERT INTO campaigns (name, yaml, created_at, updated_at) VALUES ('c', 'name: c', 1, 1)").run()
    expect(() => db.prepare("INSERT INTO campaigns (name, yaml, created_at, updated_at) VALUES ('c', 'name: c', 2, 2)").run()).toThrow(/UNIQUE/)
  })

  it('6 adds provisions, whose teardown flag is a boolean', () => {
    const db = at(5)
    migrate(db, 6)
    db.prepare("INSERT INTO provisions (campaign_tag, kind, state, created_at, deadline_at) VALUES ('t', 'digitalocean', 'ready', 1, 2)").run()
    expect(() => db.prepare("INSERT INTO provisions (campaign_tag, kind, state, created_at, deadline_at, teardown_verified) VALUES ('t', 'digitalocean', 'ready', 1, 2, 5)").run()).toThrow(/CHECK/)
  })

  it('7 records the evaluator of every existing run, marks simulated ones, and keeps earlier verdicts', () => {
    const db = at(6)
    insertRun(db, 'old', { evaluator: null })
    insertRun(db, 'sim', { version: 'ai-memory 0.6.0+shipgate-sim', evaluator: 'evaluator@1' })
    insertRun(db, 'real', { version: 'ai-memory 0.6.0', evaluator: 'evaluator@1' })
    migrate(db, 7)
    const rows = db.prepare('SELECT id, evaluator_version AS e, simulated AS s, stop_reason AS r FROM runs ORDER BY id').all()
    expect(rows).toEqual([
      { id: 'old', e: 'evaluator@1', s: 0, r: null },
      { id: 'real', e: 'evaluator@1', s: 0, r: null },
      { id: 'sim', e: 'evaluator@1', s: 1, r: null },
    ])
    db.prepare("INSERT INTO verdict_history (run_id, evaluator_version, threshold_set, verdict, reason, judged_at) VALUES ('old', 'evaluator@1', 'shipgate-thresholds@1', 'fail', 'FAIL', 1)").run()
    expect(() => db.prepare("INSERT INTO verdict_history (run_id, evaluator_version, threshold_set, verdict, reason, judged_at) VALUES ('old', 'e', 's', 'maybe', 'x', 1)").run()).toThrow(/CHECK/)
    db.prepare("DELETE FROM runs WHERE id = 'old'").run()
    expect(db.prepare('SELECT COUNT(*) AS n FROM verdict_history').get()).toEqual({ n: 0 })
  })

  it('covers every migration', () => {
    expect(MIGRATIONS.map((m) => m.version)).toEqual([1, 2, 3, 4, 5, 6, 7])
  })
})
