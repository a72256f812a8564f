// One zustand store built from one slice per area; middlewares (none yet) would wrap only this.
import { create } from 'zustand'
import { type CampaignsSlice, createCampaignsSlice } from './campaigns'
import { type CloudSlice, createCloudSlice } from './cloud'
import { type CompareSlice, createCompareSlice } from './compare'
import { type HistorySlice, createHistorySlice } from './history'
import { type LiveSlice, createLiveSlice } from './live'
import { type PromptsSlice, createPromptsSlice } from './prompts'
import { type ReportSlice, createReportSlice } from './report'
import { type SettingsSlice, createSettingsSlice } from './settings'
import { type TrendsSlice, createTrendsSlice } from './trends'
import { type UiSlice, createUiSlice } from './ui'

export type AppState = UiSlice & HistorySlice & ReportSlice & CompareSlice & LiveSlice & CampaignsSlice & TrendsSlice & PromptsSlice & CloudSlice & SettingsSlice

export const useApp = create<AppState>()((...a) => ({
  ...createUiSlice(...a),
  ...createHistorySlice(...a),
  ...createReportSlice(...a),
  ...createCompareSlice(...a),
  ...createLiveSlice(...a),
  ...createCampaignsSlice(...a),
  ...createTrendsSlice(...a),
  ...createPromptsSlice(...a),
  ...createCloudSlice(...a),
  ...createSettingsSlice(...a),
}))
