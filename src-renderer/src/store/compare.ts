import type { StateCreator } from 'zustand'
import type { Comparison } from '@shared/compare'
import { api, unwrap } from '../lib/api'
import { errorText } from '../lib/format'
import type { AppState } from './index'

export interface CompareSlice {
  comparison: Comparison | null
  compareError: string | null
  loadComparison: (a: string, b: string) => Promise<void>
}

export const createCompareSlice: StateCreator<AppState, [], [], CompareSlice> = (set) => ({
  comparison: null,
  compareError: null,
  loadComparison: async (a, b) => {
    set({ comparison: null, compareError: null })
    try {
      set({ comparison: await unwrap(api().runs.compare({ a, b })) })
    } catch (err) {
      set({ compareError: errorText(err) })
    }
  },
})
