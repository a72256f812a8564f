// Errors cross the IPC boundary as data with a code (Electron drops custom error fields).
import type { ErrorCode, ErrorData } from '../errors'

export type IpcErrorCode = ErrorCode
export type IpcError = ErrorData

export type IpcResult<T> = { ok: true; value: T } | { ok: false; error: IpcError }
