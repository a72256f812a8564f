// The only module that touches window.api: unwraps results into values or thrown errors with a code.
import type { Api } from '@shared/ipc/contract'
import type { IpcError, IpcResult } from '@shared/ipc/result'

export class ApiError extends Error {
  constructor(
    readonly code: IpcError['code'],
    message: string,
    readonly details?: unknown,
  ) {
    super(message)
  }
}

export function api(): Api {
  return window.api
}

export async function unwrap<T>(p: Promise<IpcResult<T>>): Promise<T> {
  const r = await p
  if (r.ok) return r.value
  throw new ApiError(r.error.code, r.error.message, r.error.details)
}
