// The IPC edge without Electron: validate the request with the contract, call the handler, and
// return data (never a rejection: Electron would lose the error's code on the way).
import { CHANNELS, type Channel } from '@shared/ipc/channels'
import { type ParsedRequest, type Response, requests } from '@shared/ipc/contract'
import type { IpcErrorCode, IpcResult } from '@shared/ipc/result'
import { isAppError } from '../lib/errors'
import { redact } from '../lib/redact'
import { isTransportError } from '../transport/types'

export type Handlers = { [C in Channel]: (req: ParsedRequest<C>) => Promise<Response<C>> }

const PASS_THROUGH: ReadonlySet<string> = new Set([
  'BAD_REQUEST', 'FORBIDDEN', 'NOT_FOUND', 'CONFLICT', 'BAD_INPUT', 'CAMPAIGN_INVALID', 'SSH_AUTH', 'SSH_TIMEOUT',
  'SSH_TRANSPORT', 'HOST_KEY_UNKNOWN', 'HOST_KEY_MISMATCH', 'NO_BROWSER', 'CANCELLED', 'DB',
])

export function toIpcError(err: unknown): { code: IpcErrorCode; message: string; details?: unknown } {
  if (isAppError(err) || isTransportError(err)) {
    const code = PASS_THROUGH.has(err.code) ? (err.code as IpcErrorCode) : 'INTERNAL'
    return { code, message: redact(err.message), ...(isAppError(err) && err.details !== undefined ? { details: err.details } : {}) }
  }
  return { code: 'INTERNAL', message: redact(err instanceof Error ? err.message : String(err)) }
}

export async function dispatch(handlers: Handlers, channel: string, raw: unknown): Promise<IpcResult<unknown>> {
  if (!(CHANNELS as readonly string[]).includes(channel)) return { ok: false, error: { code: 'BAD_REQUEST', message: `unknown channel ${channel}` } }
  const c = channel as Channel
  const parsed = requests[c].safeParse(raw ?? {})
  if (!parsed.success) {
    return { ok: false, error: { code: 'BAD_REQUEST', message: parsed.error.issues.map((i) => `${i.path.join('.') || 'request'}: ${i.message}`).join('; ') } }
  }
  try {
    const handler = handlers[c] as (req: unknown) => Promise<unknown>
    return { ok: true, value: await handler(parsed.data) }
  } catch (err) {
    return { ok: false, error: toIpcError(err) }
  }
}
