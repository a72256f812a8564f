// Rows of the fault journal (see engine/journal): what a run started or broke, written before it
// happens, with the command that undoes it and what became of it.
import type { HostRole } from '@shared/domain'
import type { Db } from './db'

export type JournalState = 'pending' | 'released' | 'undone' | 'failed'
export type JournalKind = 'process' | 'fault'

export interface JournalEntry {
  id: number
  runId: string
  hostRole: HostRole
  kind: JournalKind
  label: string
  undo: string
  state: JournalState
  createdAt: number
  resolvedAt: number | null
  detail: string | null
}

interface Row {
  id: number
  run_id: string
  host_role: HostRole
  kind: JournalKind
  label: string
  undo: string
  state: JournalState
  created_at: number
  resolved_at: number | null
  detail: string | null
}

function toEntry(r: Row): JournalEntry {
  return { id: r.id, runId: r.run_id, hostRole: r.host_role, kind: r.kind, label: r.label, undo: r.undo, state: r.state, createdAt: r.created_at, resolvedAt: r.resolved_at, detail: r.detail }
}

export class JournalRepo {
  constructor(private readonly db: Db) {}

  insert(e: { runId: string; hostRole: HostRole; kind: JournalKind; label: string; undo: string; createdAt: number }): number {
    const r = this.db
      .prepare<[string, HostRole, JournalKind, string, string, number]>("INSERT INTO journal (run_id, host_role, kind, label, undo, state, created_at) VALUES (?, ?, ?, ?, ?, 'pending', ?)")
      .run(e.runId, e.hostRole, e.kind, e.label, e.undo, e.createdAt)
    return Number(r.lastInsertRowid)
  }

  /** A pending entry learns more about what it undoes (the pid of a server that has started). */
  refine(id: number, label: string, undo: string): void {
    this.db.prepare<[string, string, number]>("UPDATE journal SET label = ?, undo = ? WHERE id = ? AND state = 'pending'").run(label, undo, id)
  }

  /** The run undid the action itself (a verified heal, a stopped server). */
  release(id: number, at: number, detail: string | null): void {
    this.db.prepare<[number, string | null, number]>("UPDATE journal SET state = 'released', resolved_at = ?, detail = ? WHERE id = ? AND state = 'pending'").run(at, detail, id)
  }

  resolve(id: number, state: 'undone' | 'failed', at: number, detail: string): void {
    this.db.prepare<[JournalState, number, string, number]>('UPDATE journal SET state = ?, resolved_at = ?, detail = ? WHERE id = ?').run(state, at, detail, id)
  }

  entries(runId: string): JournalEntry[] {
    return this.db.prepare<[string], Row>('SELECT * FROM journal WHERE run_id = ? ORDER BY id').all(runId).map(toEntry)
  }

  get(id: number): JournalEntry | null {
    const r = this.db.prepare<[number], Row>('SELECT * FROM journal WHERE id = ?').get(id)
    return r ? toEntry(r) : null
  }

  /** Pending entries, newest first. */
  pending(runId?: string): JournalEntry[] {
    const rows = runId
      ? this.db.prepare<[string], Row>("SELECT * FROM journal WHERE state = 'pending' AND run_id = ? ORDER BY id DESC").all(runId)
      : this.db.prepare<[], Row>("SELECT * FROM journal WHERE state = 'pending' ORDER BY id DESC").all()
    return rows.map(toEntry)
  }
}
