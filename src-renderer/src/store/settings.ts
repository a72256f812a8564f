import type { StateCreator } from 'zustand'
import type { SettingsView } from '@shared/ipc/contract'
import { api, unwrap } from '../lib/api'
import { errorText } from '../lib/format'
import type { AppState } from './index'

export interface SettingsSlice {
  settings: SettingsView | null
  loadSettings: () => Promise<void>
  /** Local campaigns run commands on this machine: refused (except the demo lab) unless allowed here. */
  setAllowLocalCampaigns: (allow: boolean) => Promise<void>
}

export const createSettingsSlice: StateCreator<AppState, [], [], SettingsSlice> = (set, get) => ({
  settings: null,
  loadSettings: async () => {
    try {
      set({ settings: await unwrap(api().settings.get({})) })
    } catch (err) {
      get().notify('bad', `Could not read the settings: ${errorText(err)}`)
    }
  },
  setAllowLocalCampaigns: async (allow) => {
    try {
      set({ settings: await unwrap(api().settings.set({ allowLocalCampaigns: allow })) })
    } catch (err) {
      get().notify('bad', `Could not change the setting: ${errorText(err)}`)
    }
  },
})
