// One interface for running things on a campaign host, used by every phase engine: over SSH on
// droplets, or as local child processes for the built-in demo lab.

export interface ExecOptions {
  /** Kill the remote process group and resolve with `timedOut` after this long. Default 120 s. */
  timeoutMs?: number
  /** Cancels the command: its whole process group is killed; resolves with `cancelled`. */
  signal?: AbortSignal
  onStdout?: (line: string) => void
  onStderr?: (line: string) => void
  stdin?: string | Uint8Array
  /** Characters kept per stream; beyond that the head is dropped and the tail kept. Default 1 Mi. */
  maxOutputBytes?: number
}

export interface ExecResult {
  /** Remote exit code; null when the process died of a signal, timed out or was cancelled. */
  exitCode: number | null
  signal: string | null
  timedOut: boolean
  cancelled: boolean
  stdout: string
  stderr: string
  /** Characters dropped from the head of each stream because of the output cap. */
  dropped: { stdout: number; stderr: number }
  durationMs: number
}

export interface HostLabel {
  /** What log lines and errors call this host: its role or alias. */
  name: string
  address: string
}

export interface Transport {
  readonly host: HostLabel
  /**
   * Runs a shell command line (build it with `cmd()` / `q()` from ./quote). Resolves with the
   * remote outcome; rejects with a TransportError only when the transport itself failed.
   */
  exec(command: string, options?: ExecOptions): Promise<ExecResult>
  upload(content: Uint8Array, remotePath: string, mode?: number): Promise<void>
  readFile(remotePath: string, maxBytes?: number): Promise<Buffer>
  dispose(): Promise<void>
}

/**
 * The connection to a host failed (refused, unreachable, keepalive timeout, authentication, host
 * key). Never a remote exit code: a command that ran and exited 255 resolves normally.
 */
export class TransportError extends Error {
  constructor(
    readonly code: 'SSH_TRANSPORT' | 'SSH_TIMEOUT' | 'SSH_AUTH' | 'HOST_KEY_UNKNOWN' | 'HOST_KEY_MISMATCH' | 'LOCAL_SPAWN',
    message: string,
    readonly host: string,
    /** Output received before the failure, so no evidence is lost. */
    readonly partial?: { stdout: string; stderr: string },
    options?: { cause?: unknown },
  ) {
    super(message, options)
    this.name = 'TransportError'
  }
}

export function isTransportError(err: unknown): err is TransportError {
  return err instanceof TransportError
}

export function succeeded(r: ExecResult): boolean {
  return r.exitCode === 0 && !r.timedOut && !r.cancelled
}
