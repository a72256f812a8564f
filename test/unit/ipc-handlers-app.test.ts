// src-main/ipc/handlers/app.ts: errors the renderer's boundaries catch reach the main log through app.log.

import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { dispatch } from '../../src-main/ipc/dispatch'
import { createHandlers } from '../../src-main/ipc/handlers'
import type { AppServices } from '../../src-main/services/app-services'
import { withAppServices } from '../helpers/services'
import { useTmp } from '../helpers/tmp'

const tmp = useTmp()

function withServices<T>(fn: (s: AppServices, logFile: string) => Promise<T>): Promise<T> {
  return withAppServices(tmp(), fn)
}

describe('app.log', () => {
  it('writes what a boundary caught to the main log file, and refuses what is not text', async () => {
    await withServices(async (s, logFile) => {
      const handlers = createHandlers(s)
      const r = await dispatch(handlers, 'app.log', { level: 'error', message: 'evaluation.phases: no phases', view: 'report', stack: 'at ReportView' })
      expect(r).toEqual({ ok: true, value: { logged: true } })
      expect(readFileSync(logFile, 'utf8')).toMatch(/renderer: evaluation\.phases: no phases .*view="report"/)
      const bad = await dispatch(handlers, 'app.log', { level: 'error', message: 5 })
      expect(bad.ok).toBe(false)
    })
  })
})
