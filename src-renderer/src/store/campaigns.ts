import type { StateCreator } from 'zustand'
import type { Campaign } from '@shared/campaign'
import type { HostCheckView } from '@shared/ipc/contract'
import type { HostRole } from '@shared/domain'
import { api, unwrap } from '../lib/api'
import { errorText } from '../lib/format'
import type { AppState } from './index'

export interface CampaignsSlice {
  saved: { name: string; updatedAt: number }[]
  yaml: string
  /** The campaign the YAML describes when it is valid: the form edits this. */
  parsed: Campaign | null
  issues: string[]
  hostChecks: Partial<Record<HostRole, HostCheckView>> | null
  testingHosts: boolean
  loadSaved: () => Promise<void>
  openSaved: (name: string) => Promise<void>
  setYaml: (yaml: string) => Promise<void>
  setFromForm: (campaign: Campaign) => Promise<void>
  newFromDemo: () => Promise<void>
  saveCampaign: () => Promise<void>
  testHosts: () => Promise<void>
}

export const createCampaignsSlice: StateCreator<AppState, [], [], CampaignsSlice> = (set, get) => ({
  saved: [],
  yaml: '',
  parsed: null,
  issues: [],
  hostChecks: null,
  testingHosts: false,
  loadSaved: async () => {
    try {
      set({ saved: await unwrap(api().campaigns.list({})) })
    } catch (err) {
      get().notify('bad', errorText(err))
    }
  },
  openSaved: async (name) => {
    const c = await unwrap(api().campaigns.get({ name }))
    await get().setYaml(c.yaml)
  },
  // The YAML is the source of truth: every edit is validated by main, and a valid one feeds the form.
  setYaml: async (yaml) => {
    set({ yaml, hostChecks: null })
    const r = await unwrap(api().campaigns.validate({ yaml }))
    if (get().yaml !== yaml) return
    if (r.ok) set({ parsed: r.campaign, issues: [] })
    else set({ issues: r.issues })
  },
  setFromForm: async (campaign) => {
    try {
      const { yaml } = await unwrap(api().campaigns.toYaml({ campaign }))
      await get().setYaml(yaml)
    } catch (err) {
      set({ issues: [errorText(err)] })
    }
  },
  newFromDemo: async () => {
    const { yaml } = await unwrap(api().campaigns.demo({}))
    await get().setYaml(yaml)
  },
  saveCampaign: async () => {
    try {
      const { name } = await unwrap(api().campaigns.save({ yaml: get().yaml }))
      get().notify('good', `Saved campaign ${name}.`)
      await get().loadSaved()
    } catch (err) {
      get().notify('bad', `Not saved: ${errorText(err)}`)
    }
  },
  testHosts: async () => {
    set({ testingHosts: true, hostChecks: null })
    try {
      set({ hostChecks: await unwrap(api().hosts.test({ yaml: get().yaml })) })
    } catch (err) {
      get().notify('bad', `Connection test failed: ${errorText(err)}`)
    } finally {
      set({ testingHosts: false })
    }
  },
})
