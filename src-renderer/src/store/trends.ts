import type { StateCreator } from 'zustand'
import type { TrendData } from '@shared/views'
import { api, unwrap } from '../lib/api'
import { errorText } from '../lib/format'
import type { AppState } from './index'

export interface TrendsSlice {
  trends: TrendData | null
  trendsCampaign: string
  trendsError: string | null
  loadTrends: (campaign?: string) => Promise<void>
}

export const createTrendsSlice: StateCreator<AppState, [], [], TrendsSlice> = (set) => ({
  trends: null,
  trendsCampaign: '',
  trendsError: null,
  loadTrends: async (campaign = '') => {
    set({ trendsCampaign: campaign, trendsError: null })
    try {
      set({ trends: await unwrap(api().runs.trends(campaign ? { campaign } : {})) })
    } catch (err) {
      set({ trendsError: errorText(err) })
    }
  },
})
