import type { StateCreator } from 'zustand'
import type { CloudSettings, CostSummary, LeftoverCampaign } from '@shared/views'
import { api, unwrap } from '../lib/api'
import { errorText } from '../lib/format'
import type { AppState } from './index'

export interface CloudSlice {
  cloudSettings: CloudSettings | null
  leftovers: LeftoverCampaign[] | null
  leftoverErrors: string[]
  costs: CostSummary | null
  /** Tags being destroyed right now. */
  destroying: string[]
  loadCloud: () => Promise<void>
  saveToken: (token: string | null) => Promise<boolean>
  destroyLeftover: (l: LeftoverCampaign) => Promise<void>
  setLeftovers: (leftovers: LeftoverCampaign[]) => void
}

export const createCloudSlice: StateCreator<AppState, [], [], CloudSlice> = (set, get) => ({
  cloudSettings: null,
  leftovers: null,
  leftoverErrors: [],
  costs: null,
  destroying: [],
  loadCloud: async () => {
    try {
      const [settings, costs] = await Promise.all([unwrap(api().cloud.settings({})), unwrap(api().cloud.costs({}))])
      set({ cloudSettings: settings, costs })
      const { leftovers, errors } = await unwrap(api().cloud.leftovers({}))
      set({ leftovers, leftoverErrors: errors })
    } catch (err) {
      get().notify('bad', `Cloud: ${errorText(err)}`)
    }
  },
  saveToken: async (token) => {
    try {
      set({ cloudSettings: await unwrap(api().cloud.setToken({ token })) })
      get().notify('good', token ? 'DigitalOcean token saved in the OS keychain' : 'DigitalOcean token removed')
      void get().loadCloud()
      return true
    } catch (err) {
      get().notify('bad', `The token was not saved: ${errorText(err)}`)
      return false
    }
  },
  destroyLeftover: async (l) => {
    set({ destroying: [...get().destroying, l.tag] })
    try {
      const r = await unwrap(api().cloud.destroy({ kind: l.kind, tag: l.tag }))
      get().notify(r.verified ? 'good' : 'bad', `${l.tag}: ${r.message}`)
    } catch (err) {
      get().notify('bad', `${l.tag}: ${errorText(err)}`)
    } finally {
      set({ destroying: get().destroying.filter((t) => t !== l.tag) })
      void get().loadCloud()
    }
  },
  setLeftovers: (leftovers) => set({ leftovers }),
})
