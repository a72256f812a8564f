// Live log lines are kept outside the React state (a store update per line would copy 100,000
// lines); the store only holds the count, which re-renders the virtualised view.
import type { ProgressEvent } from '@shared/progress'

export type LogEvent = Extract<ProgressEvent, { type: 'log' }>

class LogBuffer {
  private readonly lines = new Map<string, LogEvent[]>()

  push(runId: string, e: LogEvent): void {
    let list = this.lines.get(runId)
    if (!list) {
      list = []
      this.lines.set(runId, list)
    }
    list.push(e)
  }

  count(runId: string): number {
    return this.lines.get(runId)?.length ?? 0
  }

  get(runId: string, index: number): LogEvent | undefined {
    return this.lines.get(runId)?.[index]
  }
}

export const logBuffer = new LogBuffer()
