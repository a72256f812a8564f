// Streams of remote output: split into lines for live callbacks, and capped with the tail kept
// (the end of a log is where the failure is). Also the deadline and cancel every command shares.
import { StringDecoder } from 'node:string_decoder'
import type { ExecOptions, ExecResult } from './types'

export class CappedStream {
  private readonly decoder = new StringDecoder('utf8')
  private chunks: string[] = []
  private kept = 0
  private partialLine = ''
  dropped = 0

  constructor(
    private readonly cap: number,
    private readonly onLine?: (line: string) => void,
  ) {}

  push(data: Buffer | string): void {
    const text = typeof data === 'string' ? data : this.decoder.write(data)
    this.append(text)
  }

  end(): void {
    this.append(this.decoder.end())
    if (this.partialLine && this.onLine) this.onLine(this.partialLine)
    this.partialLine = ''
  }

  text(): string {
    return this.chunks.join('')
  }

  private append(text: string): void {
    if (!text) return
    if (this.onLine) {
      const lines = (this.partialLine + text).split('\n')
      this.partialLine = lines.pop() ?? ''
      for (const line of lines) this.onLine(line.endsWith('\r') ? line.slice(0, -1) : line)
    }
    this.chunks.push(text)
    this.kept += text.length
    while (this.kept > this.cap && this.chunks.length > 0) {
      const first = this.chunks[0] as string
      const excess = this.kept - this.cap
      if (first.length <= excess) {
        this.chunks.shift()
        this.kept -= first.length
        this.dropped += first.length
      } else {
        this.chunks[0] = first.slice(excess)
        this.kept -= excess
        this.dropped += excess
      }
    }
  }
}

export const DEFAULT_OUTPUT_CAP = 1024 * 1024
export const DEFAULT_TIMEOUT_MS = 120_000

/** The result of a command whose signal was already aborted: it never started. */
export function cancelledBeforeStart(): ExecResult {
  return { exitCode: null, signal: null, timedOut: false, cancelled: true, stdout: '', stderr: '', dropped: { stdout: 0, stderr: 0 }, durationMs: 0 }
}

/** Calls `stop` at the command's deadline or when its signal aborts, and remembers which. */
export class CommandStop {
  timedOut = false
  cancelled = false
  private readonly timer: NodeJS.Timeout
  private readonly onAbort = () => {
    this.cancelled = true
    this.stop()
  }

  constructor(
    private readonly options: Pick<ExecOptions, 'timeoutMs' | 'signal'>,
    private readonly stop: () => void,
  ) {
    this.timer = setTimeout(() => {
      this.timedOut = true
      this.stop()
    }, options.timeoutMs ?? DEFAULT_TIMEOUT_MS)
    options.signal?.addEventListener('abort', this.onAbort, { once: true })
  }

  /** Timed out or cancelled: the exit code, if any, is the kill's, not the command's. */
  get stopped(): boolean {
    return this.timedOut || this.cancelled
  }

  dispose(): void {
    clearTimeout(this.timer)
    this.options.signal?.removeEventListener('abort', this.onAbort)
  }

  /** The command's result once it has closed: its output ended, an exit code only when not stopped. */
  result(exitCode: number | null, signal: string | null, out: CappedStream, err: CappedStream, startedAt: number): ExecResult {
    out.end()
    err.end()
    return {
      exitCode: this.stopped ? null : exitCode,
      signal,
      timedOut: this.timedOut,
      cancelled: this.cancelled,
      stdout: out.text(),
      stderr: err.text(),
      dropped: { stdout: out.dropped, stderr: err.dropped },
      durationMs: performance.now() - startedAt,
    }
  }
}
