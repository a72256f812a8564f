import type { StateCreator } from 'zustand'
import { api, unwrap } from '../lib/api'
import { errorText } from '../lib/format'
import type { AppState } from './index'
import type { View } from './types'

export interface UiSlice {
  view: View
  notice: { tone: 'good' | 'bad' | 'info'; text: string } | null
  paletteOpen: boolean
  go: (view: View) => void
  notify: (tone: 'good' | 'bad' | 'info', text: string) => void
  clearNotice: () => void
  setPalette: (open: boolean) => void
  /** Sends an error the renderer caught to the main process's log file. */
  logError: (where: string, error: Error, stack?: string) => void
  /** A promise nobody awaits: its failure is shown and logged, never lost. */
  background: (what: string, work: Promise<unknown>) => void
  /** Opens an https link outside the app (main allows only known hosts). */
  openExternal: (url: string) => Promise<void>
}

export const createUiSlice: StateCreator<AppState, [], [], UiSlice> = (set, get) => ({
  view: { name: 'history' },
  notice: null,
  paletteOpen: false,
  go: (view) => set({ view, paletteOpen: false }),
  notify: (tone, text) => set({ notice: { tone, text } }),
  clearNotice: () => set({ notice: null }),
  setPalette: (open) => set({ paletteOpen: open }),
  logError: (where, error, stack) => {
    const text = (error.stack ?? '') + (stack ?? '')
    // Logging must never fail loudly itself: a broken bridge leaves the panel on screen.
    api()
      .app.log({ level: 'error', message: error.message.slice(0, 4000), view: where.slice(0, 200), ...(text ? { stack: text.slice(0, 16000) } : {}) })
      .catch(() => undefined)
  },
  background: (what, work) => {
    work.catch((err: unknown) => {
      get().notify('bad', `Failed ${what}: ${errorText(err)}`)
      get().logError(what, err instanceof Error ? err : new Error(String(err)))
    })
  },
  openExternal: async (url) => {
    try {
      await unwrap(api().app.openExternal({ url }))
    } catch (err) {
      get().notify('info', `${errorText(err)} — ${url}`)
    }
  },
})
