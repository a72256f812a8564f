// Streams of remote output: split into lines for live callbacks, and capped with the tail kept
// (the end of a log is where the failure is).
import { StringDecoder } from 'node:string_decoder'

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
