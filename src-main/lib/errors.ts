// Errors carry a code from one closed set, so the CLI, IPC and logs can tell kinds apart.
export type ErrorCode =
  | 'BAD_REQUEST'
  | 'BAD_INPUT'
  | 'NOT_FOUND'
  | 'CONFLICT'
  | 'DB'
  | 'DB_TOO_NEW'
  | 'EVIDENCE_INVALID'
  | 'SSH_AUTH'
  | 'SSH_TIMEOUT'
  | 'SSH_TRANSPORT'
  | 'HOST_KEY_UNKNOWN'
  | 'HOST_KEY_MISMATCH'
  | 'COMMAND_TIMEOUT'
  | 'CANCELLED'
  | 'CAMPAIGN_INVALID'
  | 'PHASE_FAILED'
  | 'NO_BROWSER'
  | 'PROVISION'
  | 'FORBIDDEN'
  | 'INTERNAL'

export class AppError extends Error {
  readonly code: ErrorCode
  readonly details?: unknown

  constructor(code: ErrorCode, message: string, options: { cause?: unknown; details?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause })
    this.name = 'AppError'
    this.code = code
    if (options.details !== undefined) this.details = options.details
  }
}

export function isAppError(err: unknown): err is AppError {
  return err instanceof AppError
}

export function errorMessage(err: unknown): string {
  if (err instanceof Error) return err.message
  return String(err)
}
