import type { StateCreator } from 'zustand'
import type { Annotation } from '@shared/domain'
import type { ReportData } from '@shared/views'
import { api, unwrap } from '../lib/api'
import { errorText } from '../lib/format'
import type { AppState } from './index'

export interface ReportSlice {
  report: ReportData | null
  reportId: string | null
  reportError: string | null
  reportLoadedAt: number | null
  loadReport: (id: string) => Promise<void>
  saveNarrative: (annotation: Annotation, accept: boolean) => Promise<void>
  exportRun: (format: 'pdf' | 'html' | 'junit' | 'bundle') => Promise<void>
}

export const createReportSlice: StateCreator<AppState, [], [], ReportSlice> = (set, get) => ({
  report: null,
  reportId: null,
  reportError: null,
  reportLoadedAt: null,
  loadReport: async (id) => {
    set({ reportId: id, reportError: null, report: get().report?.run.id === id ? get().report : null })
    try {
      const report = await unwrap(api().runs.get({ id }))
      if (get().reportId === id) set({ report, reportLoadedAt: performance.now() })
    } catch (err) {
      if (get().reportId === id) set({ reportError: errorText(err) })
    }
  },
  saveNarrative: async (annotation, accept) => {
    const id = get().reportId
    if (!id) return
    try {
      await unwrap(api().annotations.save({ runId: id, annotation, accept }))
      get().notify('good', accept ? 'Draft accepted as the narrative of this run.' : 'Narrative saved (the earlier version is kept).')
      await get().loadReport(id)
    } catch (err) {
      get().notify('bad', `Could not save: ${errorText(err)}`)
    }
  },
  exportRun: async (format) => {
    const id = get().reportId
    if (!id) return
    try {
      // The file is chosen in a main-process dialog; the page only hands its token back.
      const choice = await unwrap(api().dialog.save({ runId: id, format }))
      if (!choice.token) return
      const r = await unwrap(api().export.run({ runId: id, format, token: choice.token }))
      get().notify('good', `Exported to ${r.written}`)
    } catch (err) {
      get().notify('bad', `Export failed: ${errorText(err)}`)
    }
  },
})
