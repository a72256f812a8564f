import type { RunVerdict } from '@shared/domain'

export type View =
  | { name: 'history' }
  | { name: 'report'; runId: string }
  | { name: 'compare'; a: string; b: string }
  | { name: 'trends' }
  | { name: 'campaigns' }
  | { name: 'live'; runId?: string }
  | { name: 'cloud' }
  | { name: 'soak' }

export interface HistoryFilters {
  search: string
  verdict: RunVerdict | ''
  version: string
  campaign: string
  /** Runs against the simulated ai-memory only, real ones only, or both (''). */
  kind: '' | 'simulated' | 'real'
  /** yyyy-mm-dd, inclusive. */
  from: string
  to: string
}
