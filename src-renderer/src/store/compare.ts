import type { StateCreator } from 'zustand'
import type { Comparison } from '@shared/compare'
import { api, unwrap } from '../lib/api'
import { errorText } from '../lib/format'
import type { AppState } from './index'

export interface CompareSlice {
  comparison: Comparison | null
  compareError: string | null
  /** Artifact names either run has, for the evidence diff. */
  compareArtifacts: string[]
  loadComparison: (a: string, b: string) => Promise<void>
}

export const createCompareSlice: StateCreator<AppState, [], [], CompareSlice> = (set) => ({
  comparison: null,
  compareError: null,
  compareArtifacts: [],
  loadComparison: async (a, b) => {
    set({ comparison: null, compareError: null, compareArtifacts: [] })
    try {
      const [comparison, x, y] = await Promise.all([unwrap(api().runs.compare({ a, b })), unwrap(api().runs.get({ id: a })), unwrap(api().runs.get({ id: b }))])
      const names = [...new Set([...x.run.artifacts, ...y.run.artifacts].map((f) => f.name))].sort()
      set({ comparison, compareArtifacts: names })
    } catch (err) {
      set({ compareError: errorText(err) })
    }
  },
})
