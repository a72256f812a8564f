// Errors cross the IPC boundary as data with a code (Electron drops custom error fields).
export type IpcErrorCode =
  | 'BAD_REQUEST'
  | 'FORBIDDEN'
  | 'NOT_FOUND'
  | 'CONFLICT'
  | 'BAD_INPUT'
  | 'CAMPAIGN_INVALID'
  | 'SSH_AUTH'
  | 'SSH_TIMEOUT'
  | 'SSH_TRANSPORT'
  | 'HOST_KEY_UNKNOWN'
  | 'HOST_KEY_MISMATCH'
  | 'NO_BROWSER'
  | 'CANCELLED'
  | 'DB'
  | 'INTERNAL'

export interface IpcError {
  code: IpcErrorCode
  message: string
  details?: unknown
}

export type IpcResult<T> = { ok: true; value: T } | { ok: false; error: IpcError }
