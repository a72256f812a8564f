import type { StateCreator } from 'zustand'
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
}

export const createUiSlice: StateCreator<AppState, [], [], UiSlice> = (set) => ({
  view: { name: 'history' },
  notice: null,
  paletteOpen: false,
  go: (view) => set({ view, paletteOpen: false }),
  notify: (tone, text) => set({ notice: { tone, text } }),
  clearNotice: () => set({ notice: null }),
  setPalette: (open) => set({ paletteOpen: open }),
})
