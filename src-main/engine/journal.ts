// The fault journal: every fault and every server a run starts is written to the store *before* it
// happens, with the shell command that undoes it on its host. Each undo acts, then checks, and exits
// non-zero when the check fails (process still there, rule still in place, process still stopped,
// clock still off), so "undone" always means verified. Normal completion releases entries; cancel,
// a crash of the app or a lost connection leaves them pending, and the next occasion (the end of the
// run, or the next start of the app) runs their undo and records the outcome.
import type { HostRole } from '@shared/domain'
import { errorMessage } from '../lib/errors'
import type { JournalEntry, JournalRepo } from '../store/journal-repo'
import { q } from '../transport/quote'
import type { Transport } from '../transport/types'

export type { JournalEntry, JournalState } from '../store/journal-repo'

/** A process is gone when `ps` no longer lists it or lists it as a zombie (PID 1 may reap late). */
function gone(pid: string): string {
  return `{ s=$(ps -o stat= -p ${pid} 2>/dev/null); [ -z "$s" ] || case "$s" in Z*) true ;; *) false ;; esac; }`
}

/** Stops the process `pid` (a number or a shell variable) if it still carries `marker`, then proves it is gone (SIGINT: ai-memory's graceful stop). */
function stopScript(pid: string, marker: string): string {
  const wait = `i=0; while [ $i -lt 30 ] && ! ${gone(pid)}; do sleep 0.1; i=$((i+1)); done`
  return [
    `if ps -o args= -p ${pid} 2>/dev/null | grep -qF -- ${q(marker)}; then`,
    `  kill -CONT ${pid} 2>/dev/null; kill -INT ${pid} 2>/dev/null; ${wait}`,
    `  ${gone(pid)} || { kill -KILL ${pid} 2>/dev/null; ${wait}; }`,
    `  ${gone(pid)} || { echo "process ${pid} is still running after SIGKILL" >&2; exit 1; }`,
    `fi`,
  ].join('\n')
}

/** Stops a process only if it still is the one we started (pids get reused), then proves it is gone. */
export function processUndoCommand(pid: number, marker: string): string {
  return stopScript(String(Math.floor(pid)), marker)
}

/**
 * The undo of a server journaled before its pid is known: it finds the server by the pid file its
 * start command writes, and stops it as above. No pid file means the command never ran.
 */
export function pendingServerUndoCommand(pidFile: string, marker: string): string {
  return [`p=$(head -c 20 ${q(pidFile)} 2>/dev/null | tr -cd 0-9)`, `if [ -n "$p" ]; then`, stopScript('"$p"', marker), `fi`].join('\n')
}

export type TeardownReport = (action: string, ok: boolean, detail?: string) => void

export class Journal {
  constructor(
    private readonly repo: JournalRepo,
    private readonly now: () => number = Date.now,
  ) {}

  /** Writes an entry before the action it undoes is taken. */
  record(runId: string, hostRole: HostRole, kind: 'process' | 'fault', label: string, undo: string): number {
    return this.repo.insert({ runId, hostRole, kind, label, undo, createdAt: this.now() })
  }

  /** A server about to start: found later by the pid file its start command writes. */
  recordPendingServer(runId: string, hostRole: HostRole, pidFile: string, marker: string): number {
    return this.record(runId, hostRole, 'process', `start ${marker} (pid file ${pidFile})`, pendingServerUndoCommand(pidFile, marker))
  }

  /** The server started: its entry now names the pid. */
  processStarted(id: number, pid: number, marker: string): void {
    this.repo.refine(id, `stop ${marker} (pid ${pid})`, processUndoCommand(pid, marker))
  }

  recordProcess(runId: string, hostRole: HostRole, pid: number, marker: string): number {
    return this.record(runId, hostRole, 'process', `stop ${marker} (pid ${pid})`, processUndoCommand(pid, marker))
  }

  /** The action was undone, and verified, by the run itself (a healed fault, a stopped server). */
  release(id: number, detail?: string): void {
    this.repo.release(id, this.now(), detail ?? null)
  }

  entries(runId: string): JournalEntry[] {
    return this.repo.entries(runId)
  }

  pending(runId?: string): JournalEntry[] {
    return this.repo.pending(runId)
  }

  /** Runs one entry's undo now (a heal retried before the next cycle); true when it is verified. */
  async undoOne(id: number, transport: Transport): Promise<{ ok: boolean; detail: string }> {
    const e = this.repo.get(id)
    if (!e || e.state !== 'pending') return { ok: true, detail: 'nothing pending' }
    return this.runUndo(e, transport)
  }

  /** Runs the undo of every pending entry of a run (faults first, newest first); returns whether all were verified. */
  async undoPending(runId: string, transportFor: (role: HostRole) => Transport, report: TeardownReport = () => undefined): Promise<boolean> {
    let allOk = true
    // Faults first (heal the network before stopping servers), each group newest first.
    const pending = this.pending(runId).sort((a, b) => (a.kind === b.kind ? b.id - a.id : a.kind === 'fault' ? -1 : 1))
    for (const e of pending) {
      let r: { ok: boolean; detail: string }
      try {
        r = await this.runUndo(e, transportFor(e.hostRole))
      } catch (err) {
        r = { ok: false, detail: errorMessage(err) }
        this.repo.resolve(e.id, 'failed', this.now(), r.detail)
      }
      report(`${e.hostRole}: ${e.label}`, r.ok, r.detail)
      allOk &&= r.ok
    }
    return allOk
  }

  private async runUndo(e: JournalEntry, transport: Transport): Promise<{ ok: boolean; detail: string }> {
    const r = await transport.exec(e.undo, { timeoutMs: 60_000 })
    const ok = r.exitCode === 0
    const detail = ok ? 'undone and verified' : `exit ${r.exitCode ?? r.signal ?? '?'}${r.timedOut ? ' (timed out)' : ''}: ${r.stderr.trim().slice(-300) || 'no message'}`
    this.repo.resolve(e.id, ok ? 'undone' : 'failed', this.now(), detail)
    return { ok, detail }
  }
}
