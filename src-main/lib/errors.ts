// Errors carry a code from the one closed set in src-shared/errors, so the CLI, IPC and logs can
// tell kinds apart.
import type { ErrorCode, ErrorData } from '@shared/errors'
import { isErrorCode } from '@shared/errors'
import { redact } from './redact'

export type { ErrorCode }

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

/** Any thrown value as data with a code: errors that carry a known code keep it, the rest are INTERNAL. */
export function toErrorData(err: unknown): ErrorData {
  const code = err instanceof Error && 'code' in err && isErrorCode(err.code) ? err.code : 'INTERNAL'
  const details = isAppError(err) && err.details !== undefined ? { details: err.details } : {}
  return { code, message: redact(errorMessage(err)), ...details }
}
