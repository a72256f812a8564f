import type { StateCreator } from 'zustand'
import type { Annotation, AnnotationVersion } from '@shared/domain'
import type { ArtifactText, LogLineView, ReportData } from '@shared/views'
import { api, unwrap } from '../lib/api'
import { errorText } from '../lib/format'
import { checkReport, RecordError } from '../lib/records'
import type { AppState } from './index'

export interface ReportSlice {
  report: ReportData | null
  reportId: string | null
  /** Why the report cannot be shown: the load failed, or the record is malformed (names the field). */
  reportError: string | null
  reportLoadedAt: number | null
  annotationVersions: AnnotationVersion[] | null
  loadReport: (id: string) => Promise<void>
  saveNarrative: (annotation: Annotation, accept: boolean) => Promise<boolean>
  exportRun: (format: 'pdf' | 'html' | 'junit' | 'bundle') => Promise<void>
  /** Writes ship-gate's release verdict file for this run (`shipgate release`); null when refused or cancelled, with why. */
  certifyRelease: (req: { version: string; soakSeries?: string; allowWeakened: boolean }) => Promise<{ written: string | null; refused: string | null }>
  loadAnnotationVersions: () => Promise<void>
  /** The evidence draft of a narrative (to start over when the stored one is unreadable). */
  draftNarrative: (runId: string) => Promise<Annotation | null>
  fetchArtifact: (runId: string, name: string) => Promise<ArtifactText>
  fetchLogPage: (runId: string, offset: number, limit: number) => Promise<LogLineView[]>
}

export const createReportSlice: StateCreator<AppState, [], [], ReportSlice> = (set, get) => ({
  report: null,
  reportId: null,
  reportError: null,
  reportLoadedAt: null,
  annotationVersions: null,
  loadReport: async (id) => {
    set({ reportId: id, reportError: null, annotationVersions: null, report: get().report?.run.id === id ? get().report : null })
    try {
      const raw: unknown = await unwrap(api().runs.get({ id }))
      const report = checkReport(raw)
      if (get().reportId === id) set({ report, reportLoadedAt: performance.now() })
    } catch (err) {
      const message = err instanceof RecordError ? `The stored record of run ${id} is malformed: ${err.message}` : errorText(err)
      if (get().reportId === id) set({ reportError: message, report: null })
    }
  },
  saveNarrative: async (annotation, accept) => {
    const id = get().reportId
    if (!id) return false
    try {
      await unwrap(api().annotations.save({ runId: id, annotation, accept }))
      get().notify('good', accept ? 'Draft accepted as the narrative of this run.' : 'Narrative saved (the earlier version is kept).')
      await get().loadReport(id)
      return true
    } catch (err) {
      get().notify('bad', `Could not save: ${errorText(err)}`)
      return false
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
  certifyRelease: async ({ version, soakSeries, allowWeakened }) => {
    const id = get().reportId
    if (!id) return { written: null, refused: null }
    try {
      // Refused before the save dialog opens; the file is chosen in main's dialog, never by the page.
      const r = await unwrap(api().release.write({ runId: id, version, allowWeakened, ...(soakSeries ? { soakSeries } : {}) }))
      if (r.written) get().notify(r.verdict === 'pass' ? 'good' : 'bad', `Release file written (${(r.verdict ?? '').toUpperCase()}): ${r.written}`)
      return { written: r.written, refused: null }
    } catch (err) {
      return { written: null, refused: errorText(err) }
    }
  },
  loadAnnotationVersions: async () => {
    const id = get().reportId
    if (!id) return
    try {
      const versions = await unwrap(api().annotations.history({ runId: id }))
      if (get().reportId === id) set({ annotationVersions: versions })
    } catch (err) {
      get().notify('bad', `Could not list the versions: ${errorText(err)}`)
    }
  },
  draftNarrative: async (runId) => {
    try {
      return (await unwrap(api().annotations.draft({ runId }))).annotation
    } catch (err) {
      get().notify('bad', `Could not draft a narrative: ${errorText(err)}`)
      return null
    }
  },
  fetchArtifact: (runId, name) => unwrap(api().runs.artifact({ id: runId, name })),
  fetchLogPage: async (runId, offset, limit) => (await unwrap(api().runs.log({ id: runId, offset, limit }))).lines,
})
