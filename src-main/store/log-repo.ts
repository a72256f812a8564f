// The log of a launched run, appended in batches while the run goes on.
import type { LogLineView } from '@shared/views'
import type { Db } from './db'

/** A stored log line: the shape the renderer's log view reads. */
export type LogLine = LogLineView

export class LogRepo {
  constructor(private readonly db: Db) {}

  append(runId: string, lines: Omit<LogLine, 'seq'>[]): void {
    if (lines.length === 0) return
    const next = ((this.db.prepare('SELECT MAX(seq) FROM run_log WHERE run_id = ?').pluck().get(runId) as number | null) ?? -1) + 1
    const insert = this.db.prepare('INSERT INTO run_log (run_id, seq, at, phase, host, stream, line) VALUES (?, ?, ?, ?, ?, ?, ?)')
    this.db.transaction(() => {
      lines.forEach((l, i) => insert.run(runId, next + i, l.at, l.phase, l.host, l.stream, l.line))
    })()
  }

  count(runId: string): number {
    return this.db.prepare('SELECT COUNT(*) FROM run_log WHERE run_id = ?').pluck().get(runId) as number
  }

  list(runId: string, offset = 0, limit = 1000): LogLine[] {
    return this.db
      .prepare('SELECT seq, at, phase, host, stream, line FROM run_log WHERE run_id = ? AND seq >= ? ORDER BY seq LIMIT ?')
      .all(runId, offset, limit) as LogLine[]
  }
}
