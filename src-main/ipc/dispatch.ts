// The IPC edge without Electron: validate the request with the contract, call the handler, and
// return data (never a rejection: Electron would lose the error's code on the way).
import { CHANNELS, type Channel } from '@shared/ipc/channels'
import { requests } from '@shared/ipc/contract'
import type { IpcResult } from '@shared/ipc/result'
import { toErrorData } from '../lib/errors'
import type { Logger } from '../lib/logger'
import type { Handlers } from './handlers/types'

export type { Handlers }

export async function dispatch(handlers: Handlers, channel: string, raw: unknown, logger?: Logger): Promise<IpcResult<unknown>> {
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
    const error = toErrorData(err)
    // Logged once, here, where it is handled; the renderer gets the same code and message.
    if (error.code === 'INTERNAL') logger?.error(`${c} failed`, { error: error.message })
    return { ok: false, error }
  }
}
