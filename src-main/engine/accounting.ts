// Measures the runner's own overhead: wall time during which no remote command ran and no wait the
// protocol requires (settle polling, fault windows) was in progress.
import type { ExecOptions, ExecResult, HostLabel, Transport } from '../transport/types'

export class TimeAccounting {
  private active = 0
  private since = 0
  private busy = 0

  constructor(private readonly now: () => number = () => performance.now()) {}

  /** Marks the start of remote or protocol time; call the returned function at its end. */
  begin(): () => void {
    if (this.active++ === 0) this.since = this.now()
    let ended = false
    return () => {
      if (ended) return
      ended = true
      if (--this.active === 0) this.busy += this.now() - this.since
    }
  }

  /** Times `work` from before it starts (launching a process is part of the remote time). */
  async track<T>(work: () => Promise<T>): Promise<T> {
    const end = this.begin()
    try {
      return await work()
    } finally {
      end()
    }
  }

  busyMs(): number {
    return this.busy + (this.active > 0 ? this.now() - this.since : 0)
  }
}

/** A transport whose calls count as remote time. */
export class AccountedTransport implements Transport {
  constructor(
    private readonly inner: Transport,
    private readonly accounting: TimeAccounting,
  ) {}

  get host(): HostLabel {
    return this.inner.host
  }

  exec(command: string, options?: ExecOptions): Promise<ExecResult> {
    return this.accounting.track(() => this.inner.exec(command, options))
  }

  upload(content: Uint8Array, remotePath: string, mode?: number): Promise<void> {
    return this.accounting.track(() => this.inner.upload(content, remotePath, mode))
  }

  readFile(remotePath: string, maxBytes?: number): Promise<Buffer> {
    return this.accounting.track(() => this.inner.readFile(remotePath, maxBytes))
  }

  dispose(): Promise<void> {
    return this.inner.dispose()
  }
}
