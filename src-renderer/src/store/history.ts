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
  /** Folders or a bundle, chosen in main's dialog (the page only ever holds its token). */
  importRuns: (purpose: 'folders' | 'bundle') => Promise<void>
}

export const EMPTY_FILTERS: HistoryFilters = { search: '', verdict: '', version: '', campaign: '', kind: '', from: '', to: '' }

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
  importRuns: async (purpose) => {
    try {
      // Folders and bundles have dialogs of their own (Linux and Windows dialogs pick one kind).
      const choice = await unwrap(api().dialog.open({ purpose }))
      if (!choice.token) return
      const r = await unwrap(api().runs.import({ token: choice.token }))
      get().notify(r.failed.length ? 'bad' : 'good', `Imported ${r.imported}, unchanged ${r.unchanged}${r.failed.length ? `, failed ${r.failed.length}: ${r.failed.map((f) => `${f.id}: ${f.error}`).join('; ')}` : ''}`)
      await get().loadRuns()
    } catch (err) {
      get().notify('bad', `Import failed: ${errorText(err)}`)
    }
  },
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
    if (f.kind === 'simulated' && !r.simulated) return false
    if (f.kind === 'real' && r.simulated) return false
    const t = r.completedAt ?? r.startedAt
    if (from !== null && (t === null || t < from)) return false
    if (to !== null && (t === null || t > to)) return false
    if (q && !`${r.id} ${r.reason} ${r.campaign} ${r.aiMemoryVersion ?? ''} ${r.aiMemoryRef ?? ''}`.toLowerCase().includes(q)) return false
    return true
  })
}
