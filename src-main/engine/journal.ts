// The fault journal: every fault and every server a run starts is written to the store *before* it
// happens, with the shell command that undoes it on its host. Normal completion releases entries;
// cancel, a crash of the app or a lost connection leaves them pending, and the next occasion (the
// end of the run, or the next start of the app) runs their undo and records the outcome.
import type { HostRole } from '@shared/domain'
import { errorMessage } from '../lib/errors'
import type { Db } from '../store/db'
import { q } from '../transport/quote'
import type { Transport } from '../transport/types'

export type JournalState = 'pending' | 'released' | 'undone' | 'failed'

export interface JournalEntry {
  id: number
  runId: string
  hostRole: HostRole
  kind: 'process' | 'fault'
  label: string
  undo: string
  state: JournalState
  createdAt: number
  resolvedAt: number | null
  detail: string | null
}

export interface ProcessEntry {
  pid: number
  marker: string
}

/** Stops a process only if it still is the one we started (pids get reused). */
export function processUndoCommand(pid: number, marker: string): string {
  const p = Math.floor(pid)
  return `if ps -o args= -p ${p} 2>/dev/null | grep -qF -- ${q(marker)}; then kill -CONT ${p} 2>/dev/null; kill -TERM ${p} 2>/dev/null; i=0; while [ $i -lt 20 ] && ps -o stat= -p ${p} 2>/dev/null | grep -qv '^Z'; do sleep 0.1; i=$((i+1)); done; kill -KILL ${p} 2>/dev/null; fi; true`
}

interface Row {
  id: number
  run_id: string
  host_role: HostRole
  kind: 'process' | 'fault'
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

export type TeardownReport = (action: string, ok: boolean, detail?: string) => void

export class Journal {
  constructor(
    private readonly db: Db,
    private readonly now: () => number = Date.now,
  ) {}

  /** Writes an entry before the action it undoes is taken. */
  record(runId: string, hostRole: HostRole, kind: 'process' | 'fault', label: string, undo: string): number {
    return Number(
      this.db
        .prepare('INSERT INTO journal (run_id, host_role, kind, label, undo, state, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)')
        .run(runId, hostRole, kind, label, undo, 'pending', this.now()).lastInsertRowid,
    )
  }

  recordProcess(runId: string, hostRole: HostRole, pid: number, marker: string): number {
    return this.record(runId, hostRole, 'process', `stop ${marker} (pid ${pid})`, processUndoCommand(pid, marker))
  }

  /** The action was undone by the run itself (a healed fault, a stopped server). */
  release(id: number, detail?: string): void {
    this.db.prepare("UPDATE journal SET state = 'released', resolved_at = ?, detail = ? WHERE id = ? AND state = 'pending'").run(this.now(), detail ?? null, id)
  }

  entries(runId: string): JournalEntry[] {
    return (this.db.prepare('SELECT * FROM journal WHERE run_id = ? ORDER BY id').all(runId) as Row[]).map(toEntry)
  }

  pending(runId?: string): JournalEntry[] {
    const rows = runId
      ? this.db.prepare("SELECT * FROM journal WHERE state = 'pending' AND run_id = ? ORDER BY id DESC").all(runId)
      : this.db.prepare("SELECT * FROM journal WHERE state = 'pending' ORDER BY id DESC").all()
    return (rows as Row[]).map(toEntry)
  }

  /** Runs the undo of every pending entry of a run, newest first; returns whether all succeeded. */
  async undoPending(runId: string, transportFor: (role: HostRole) => Transport, report: TeardownReport = () => undefined): Promise<boolean> {
    let allOk = true
    // Faults first (heal the network before stopping servers), each group newest first.
    const pending = this.pending(runId).sort((a, b) => (a.kind === b.kind ? b.id - a.id : a.kind === 'fault' ? -1 : 1))
    for (const e of pending) {
      let ok = false
      let detail: string
      try {
        const r = await transportFor(e.hostRole).exec(e.undo, { timeoutMs: 60_000 })
        ok = r.exitCode === 0
        detail = ok ? 'undone' : `exit ${r.exitCode}${r.timedOut ? ' (timed out)' : ''}: ${r.stderr.trim().slice(-300)}`
      } catch (err) {
        detail = errorMessage(err)
      }
      this.db.prepare('UPDATE journal SET state = ?, resolved_at = ?, detail = ? WHERE id = ?').run(ok ? 'undone' : 'failed', this.now(), detail, e.id)
      report(`${e.hostRole}: ${e.label}`, ok, detail)
      allOk &&= ok
    }
    return allOk
  }
}
