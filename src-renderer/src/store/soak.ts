// The Soak view's state: the series list, the judged series on screen, and the soak this window runs
// (followed through `soak.event`). A store of its own, so the view stays apart from the other slices.
import { create } from 'zustand'
import type { SoakEvent, SoakSeriesListing, SoakStatus, SoakView } from '@shared/soak'
import { api, unwrap } from '../lib/api'
import { errorText } from '../lib/format'

export interface SoakOptionsForm {
  expect: string
  baseline: string
  costEnvelope: string
}

export interface SoakStore {
  series: SoakSeriesListing[]
  selected: string | null
  view: SoakView | null
  status: SoakStatus | null
  /** The latest events of the soak running in this window, newest last. */
  events: SoakEvent[]
  error: string | null
  busy: boolean
  loadList: () => Promise<void>
  select: (series: string, options?: { expect?: number; baselineMs?: number; costEnvelopeUsd?: number }) => Promise<void>
  start: (req: { yaml: string; count: number; every: string; series?: string }) => Promise<void>
  stop: () => Promise<void>
  refreshStatus: () => Promise<void>
  /** Subscribes to `soak.event` once; returns the unsubscribe. */
  listen: () => () => void
  /** The saved campaigns a soak can run (besides the demo lab). */
  campaignNames: () => Promise<string[]>
  /** The campaign file of the demo lab (`demo`) or of a saved campaign. */
  campaignYaml: (source: string) => Promise<string>
}

const KEEP_EVENTS = 50

export const useSoak = create<SoakStore>()((set, get) => ({
  campaignNames: async () => (await unwrap(api().campaigns.list({}))).map((c) => c.name),
  campaignYaml: async (source) => (source === 'demo' ? await unwrap(api().campaigns.demo({})) : await unwrap(api().campaigns.get({ name: source }))).yaml,
  series: [],
  selected: null,
  view: null,
  status: null,
  events: [],
  error: null,
  busy: false,
  loadList: async () => {
    try {
      const series = await unwrap(api().soak.list({}))
      set({ series, error: null })
      const first = series[0]
      if (!get().selected && first) await get().select(first.series)
    } catch (err) {
      set({ error: errorText(err) })
    }
  },
  select: async (series, options = {}) => {
    set({ selected: series, busy: true })
    try {
      set({ view: await unwrap(api().soak.report({ series, ...options })), error: null })
    } catch (err) {
      set({ view: null, error: errorText(err) })
    } finally {
      set({ busy: false })
    }
  },
  start: async (req) => {
    try {
      await unwrap(api().soak.start(req))
      set({ error: null })
      await get().refreshStatus()
    } catch (err) {
      set({ error: errorText(err) })
    }
  },
  stop: async () => {
    try {
      await unwrap(api().soak.stop({}))
      await get().refreshStatus()
    } catch (err) {
      set({ error: errorText(err) })
    }
  },
  refreshStatus: async () => {
    try {
      set({ status: await unwrap(api().soak.status({})) })
    } catch (err) {
      set({ error: errorText(err) })
    }
  },
  listen: () =>
    api().on('soak.event', (e) => {
      set({ events: [...get().events, e].slice(-KEEP_EVENTS) })
      void get().refreshStatus()
      // A finished run changes the series: judge it again (and the list's counts).
      if (e.type === 'run-finished' || e.type === 'soak-ended') {
        void get().loadList()
        if (get().selected === e.series) void get().select(e.series)
      }
    }),
}))
