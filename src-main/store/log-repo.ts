// The log of a launched run, appended in batches while the run goes on.
import type { LogLineView } from '@shared/views'
import type { Db } from './db'

/** A stored log line: the shape the renderer's log view reads. */
export type LogLine = LogLineView

export class LogRepo {
  constructor(private readonly db: Db) {}

  append(runId: string, lines: Omit<LogLine, 'seq'>[]): void {
    if (lines.length === 0) return
    const next = (this.db.prepare<[string], { s: number | null }>('SELECT MAX(seq) AS s FROM run_log WHERE run_id = ?').get(runId)?.s ?? -1) + 1
    const insert = this.db.prepare<[string, number, number, number | null, string | null, string, string]>('INSERT INTO run_log (run_id, seq, at, phase, host, stream, line) VALUES (?, ?, ?, ?, ?, ?, ?)')
    this.db.transaction(() => {
      lines.forEach((l, i) => insert.run(runId, next + i, l.at, l.phase, l.host, l.stream, l.line))
    })()
  }

  count(runId: string): number {
    return this.db.prepare<[string], { n: number }>('SELECT COUNT(*) AS n FROM run_log WHERE run_id = ?').get(runId)?.n ?? 0
  }

  list(runId: string, offset = 0, limit = 1000): LogLine[] {
    return this.db
      .prepare<[string, number, number], LogLine>('SELECT seq, at, phase, host, stream, line FROM run_log WHERE run_id = ? AND seq >= ? ORDER BY seq LIMIT ?')
      .all(runId, offset, limit)
  }
}
