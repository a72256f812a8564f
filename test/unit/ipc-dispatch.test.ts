// The IPC edge: one vocabulary of error codes from the services to the renderer.
import { describe, expect, it } from 'vitest'
import { dispatch, type Handlers } from '../../src-main/ipc/dispatch'
import { AppError } from '../../src-main/lib/errors'
import { TransportError } from '../../src-main/transport/types'

function handlers(fail: Error): Handlers {
  return new Proxy({}, { get: () => async () => Promise.reject(fail) }) as Handlers
}

describe('dispatch', () => {
  it('keeps the code of every error the services raise (PROVISION was INTERNAL before)', async () => {
    for (const [err, code] of [
      [new AppError('PROVISION', 'terraform apply failed'), 'PROVISION'],
      [new AppError('PREFLIGHT', 'no pgvector'), 'PREFLIGHT'],
      [new TransportError('HOST_KEY_MISMATCH', 'changed', 'node-a'), 'HOST_KEY_MISMATCH'],
      [new Error('boom'), 'INTERNAL'],
    ] as const) {
      const r = await dispatch(handlers(err), 'cloud.leftovers', {})
      expect(r).toEqual({ ok: false, error: { code, message: err.message } })
    }
  })

  it('refuses unknown channels and malformed requests as data', async () => {
    expect(await dispatch(handlers(new Error('x')), 'nope.nope', {})).toEqual({ ok: false, error: { code: 'BAD_REQUEST', message: 'unknown channel nope.nope' } })
    const r = await dispatch(handlers(new Error('x')), 'runs.import', { token: '../../etc/passwd' })
    expect(r.ok).toBe(false)
    expect(!r.ok && r.error.code).toBe('BAD_REQUEST')
  })
})
