import type { StateCreator } from 'zustand'
import type { RunSummary } from '@shared/domain'
import { api, unwrap } from '../lib/api'
import { errorText } from '../lib/format'
import type { AppState } from './index'
import type { HistoryFilters } from './types'

export interface HistorySlice {
  runs: RunSummary[]
  runsLoaded: boolean
  runsError: string | null
  filters: HistoryFilters
  selected: string[]
  loadRuns: () => Promise<void>
  setFilter: (patch: Partial<HistoryFilters>) => void
  toggleSelected: (id: string) => void
  clearSelection: () => void
}

export const EMPTY_FILTERS: HistoryFilters = { search: '', verdict: '', version: '', campaign: '', from: '', to: '' }

export const createHistorySlice: StateCreator<AppState, [], [], HistorySlice> = (set, get) => ({
  runs: [],
  runsLoaded: false,
  runsError: null,
  filters: EMPTY_FILTERS,
  selected: [],
  loadRuns: async () => {
    try {
      const runs = await unwrap(api().runs.list({}))
      set({ runs, runsLoaded: true, runsError: null, selected: get().selected.filter((id) => runs.some((r) => r.id === id)) })
    } catch (err) {
      set({ runsError: errorText(err), runsLoaded: true })
    }
  },
  setFilter: (patch) => set({ filters: { ...get().filters, ...patch } }),
  // At most two runs are selected (a comparison); a third replaces the oldest.
  toggleSelected: (id) => {
    const s = get().selected
    set({ selected: s.includes(id) ? s.filter((x) => x !== id) : [...s, id].slice(-2) })
  },
  clearSelection: () => set({ selected: [] }),
})

/** Filtering happens in memory: one list of summaries, filtered on every keystroke. */
export function filterRuns(runs: RunSummary[], f: HistoryFilters): RunSummary[] {
  const q = f.search.trim().toLowerCase()
  const from = f.from ? Date.parse(`${f.from}T00:00:00Z`) : null
  const to = f.to ? Date.parse(`${f.to}T23:59:59.999Z`) : null
  return runs.filter((r) => {
    if (f.verdict && r.verdict !== f.verdict) return false
    if (f.campaign && r.campaign !== f.campaign) return false
    if (f.version && (r.aiMemoryVersion ?? r.aiMemoryRef) !== f.version) return false
    const t = r.completedAt ?? r.startedAt
    if (from !== null && (t === null || t < from)) return false
    if (to !== null && (t === null || t > to)) return false
    if (q && !`${r.id} ${r.reason} ${r.campaign} ${r.aiMemoryVersion ?? ''} ${r.aiMemoryRef ?? ''}`.toLowerCase().includes(q)) return false
    return true
  })
}
