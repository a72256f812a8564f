// One vocabulary of failures for the services, the IPC edge, the command line and the renderer.
// A code says what kind of failure it is; the message says what happened, for a person.

export const ERROR_CODES = [
  'BAD_REQUEST',
  'BAD_INPUT',
  'NOT_FOUND',
  'CONFLICT',
  'FORBIDDEN',
  'DB',
  'DB_TOO_NEW',
  'EVIDENCE_INVALID',
  'CAMPAIGN_INVALID',
  'SSH_AUTH',
  'SSH_TIMEOUT',
  'SSH_TRANSPORT',
  'HOST_KEY_UNKNOWN',
  'HOST_KEY_MISMATCH',
  'LOCAL_SPAWN',
  'COMMAND_TIMEOUT',
  'PREFLIGHT',
  'PROVISION',
  'NO_BROWSER',
  'CANCELLED',
  'INTERNAL',
] as const

export type ErrorCode = (typeof ERROR_CODES)[number]

export function isErrorCode(v: unknown): v is ErrorCode {
  return typeof v === 'string' && (ERROR_CODES as readonly string[]).includes(v)
}

/** An error as data: what crosses IPC and what `--json` prints. */
export interface ErrorData {
  code: ErrorCode
  message: string
  details?: unknown
}

/** Failures the user caused by what they asked for (exit code 2 on the command line), not the system. */
export const USAGE_ERRORS: ReadonlySet<ErrorCode> = new Set<ErrorCode>(['BAD_REQUEST', 'BAD_INPUT', 'NOT_FOUND', 'CAMPAIGN_INVALID'])
