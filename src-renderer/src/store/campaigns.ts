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
  /** What the user should know before running a valid campaign (a clamp that will fail, changed thresholds). */
  campaignWarnings: string[]
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
  campaignWarnings: [],
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
    try {
      const c = await unwrap(api().campaigns.get({ name }))
      await get().setYaml(c.yaml)
    } catch (err) {
      get().notify('bad', `Could not open ${name}: ${errorText(err)}`)
    }
  },
  // The YAML is the source of truth: every edit is validated by main, and a valid one feeds the form.
  setYaml: async (yaml) => {
    set({ yaml, hostChecks: null })
    try {
      const r = await unwrap(api().campaigns.validate({ yaml }))
      if (get().yaml !== yaml) return
      if (r.ok) set({ parsed: r.campaign, issues: [], campaignWarnings: r.warnings })
      else set({ issues: r.issues, campaignWarnings: [] })
    } catch (err) {
      if (get().yaml === yaml) set({ issues: [`not validated: ${errorText(err)}`], campaignWarnings: [] })
    }
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
    try {
      const { yaml } = await unwrap(api().campaigns.demo({}))
      await get().setYaml(yaml)
    } catch (err) {
      get().notify('bad', `Could not build the demo campaign: ${errorText(err)}`)
    }
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
