// Push events to the renderer, queued until it says it listens (early progress is not lost).
export class EventQueue {
  private ready = false
  private queue: [string, unknown][] = []

  constructor(
    private readonly send: (event: string, payload: unknown) => void,
    private readonly limit = 10_000,
  ) {}

  push(event: string, payload: unknown): void {
    if (this.ready) return this.send(event, payload)
    this.queue.push([event, payload])
    if (this.queue.length > this.limit) this.queue.shift()
  }

  markReady(): void {
    this.ready = true
    const pending = this.queue
    this.queue = []
    for (const [e, p] of pending) this.send(e, p)
  }

  /** The window reloaded or was recreated: queue again until it is ready. */
  reset(): void {
    this.ready = false
  }
}
