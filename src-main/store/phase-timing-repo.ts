// When each phase of a run started and finished: the durations the report, trends, soak and release
// files show. A phase that never finished keeps a null end.
import type { PhaseNumber } from '@shared/domain'
import type { Db } from './db'

export interface PhaseTiming {
  phase: PhaseNumber
  startedAt: number | null
  finishedAt: number | null
}

export class PhaseTimingRepo {
  constructor(private readonly db: Db) {}

  started(runId: string, phase: PhaseNumber, at: number): void {
    this.db.prepare<[string, number, number]>('INSERT OR REPLACE INTO phase_timings (run_id, phase, started_at, finished_at) VALUES (?, ?, ?, NULL)').run(runId, phase, at)
  }

  finished(runId: string, phase: PhaseNumber, at: number): void {
    this.db.prepare<[number, string, number]>('UPDATE phase_timings SET finished_at = ? WHERE run_id = ? AND phase = ?').run(at, runId, phase)
  }

  list(runId: string): PhaseTiming[] {
    return this.db.prepare<[string], PhaseTiming>('SELECT phase, started_at AS startedAt, finished_at AS finishedAt FROM phase_timings WHERE run_id = ? ORDER BY phase').all(runId)
  }

  /** Copies timings kept elsewhere (a bundle, a published run) into the store. */
  insertAll(runId: string, timings: PhaseTiming[]): void {
    const insert = this.db.prepare<[string, number, number | null, number | null]>('INSERT OR REPLACE INTO phase_timings (run_id, phase, started_at, finished_at) VALUES (?, ?, ?, ?)')
    for (const t of timings) insert.run(runId, t.phase, t.startedAt, t.finishedAt)
  }

  /** Milliseconds per finished phase of every run, for trends. */
  durations(): Map<string, Partial<Record<PhaseNumber, number>>> {
    const rows = this.db
      .prepare<[], { runId: string; phase: PhaseNumber; ms: number }>('SELECT run_id AS runId, phase, finished_at - started_at AS ms FROM phase_timings WHERE finished_at IS NOT NULL AND started_at IS NOT NULL')
      .all()
    const out = new Map<string, Partial<Record<PhaseNumber, number>>>()
    for (const r of rows) out.set(r.runId, { ...out.get(r.runId), [r.phase]: r.ms })
    return out
  }
}
