// The IPC contract: one entry per call, a zod schema for its request (validated in main) and the
// type of its response; and the payloads of push events. The preload's `window.api`, the main
// handlers and the browser-test bridge all derive from this file and ./channels.
import { z } from 'zod'
import { annotationSchema } from '../annotation'
import type { Campaign } from '../campaign'
import type { Comparison } from '../compare'
import type { AnnotationVersion, HostRole, RunSummary } from '../domain'
import { FAULT_CLASSES } from '../domain'
import type { ProgressEvent } from '../progress'
import type { SoakEvent, SoakSeriesListing, SoakStatus, SoakView } from '../soak'
import type { AppInfo, ArtifactText, CloudSettings, CostSummary, DraftNarrative, HostKeyPromptEvent, LeftoverCampaign, LiveRunView, LogLineView, ReportData, SecretPromptEvent, TrendData } from '../views'
import type { Channel, EventName } from './channels'
import type { IpcResult } from './result'

const runId = z.string().min(1).max(200)
const exportFormat = z.enum(['pdf', 'html', 'junit', 'bundle'])
const grantToken = z.string().uuid()
const yamlText = z.string().max(1_000_000)
const soakSeries = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,100}$/, 'a series id: letters, digits, dot, dash and underscore')

export const requests = {
  'app.info': z.object({}).strict(),
  'app.openExternal': z.object({ url: z.string().max(2000) }).strict(),
  // Errors the renderer's boundaries catch, so they reach the main log file (text only, bounded).
  'app.log': z
    .object({
      level: z.enum(['warn', 'error']),
      message: z.string().max(4000),
      view: z.string().max(200).optional(),
      stack: z.string().max(16000).optional(),
    })
    .strict(),
  'settings.get': z.object({}).strict(),
  'settings.set': z.object({ allowLocalCampaigns: z.boolean().optional() }).strict(),
  // Paths come only from main-process dialogs: the page gets a one-time token, never names a path.
  'dialog.open': z.object({ purpose: z.enum(['folders', 'bundle']) }).strict(),
  'dialog.save': z.object({ runId, format: exportFormat }).strict(),
  'runs.list': z
    .object({
      verdict: z.enum(['pass', 'fail', 'incomplete']).optional(),
      campaign: z.string().max(200).optional(),
      version: z.string().max(200).optional(),
      search: z.string().max(200).optional(),
      simulated: z.boolean().optional(),
      since: z.number().int().optional(),
      until: z.number().int().optional(),
      limit: z.number().int().min(1).max(100000).optional(),
    })
    .strict(),
  'runs.get': z.object({ id: runId }).strict(),
  'runs.compare': z.object({ a: runId, b: runId }).strict(),
  'runs.log': z.object({ id: runId, offset: z.number().int().min(0), limit: z.number().int().min(1).max(5000) }).strict(),
  'runs.artifact': z.object({ id: runId, name: z.string().min(1).max(200), maxBytes: z.number().int().min(1).max(16 * 1024 * 1024).optional() }).strict(),
  'runs.trends': z.object({ campaign: z.string().max(200).optional(), limit: z.number().int().min(1).max(5000).optional() }).strict(),
  'runs.import': z.object({ token: grantToken }).strict(),
  'campaigns.list': z.object({}).strict(),
  'campaigns.get': z.object({ name: z.string().min(1).max(200) }).strict(),
  'campaigns.save': z.object({ yaml: yamlText }).strict(),
  'campaigns.delete': z.object({ name: z.string().min(1).max(200) }).strict(),
  'campaigns.validate': z.object({ yaml: yamlText }).strict(),
  'campaigns.demo': z.object({ faults: z.array(z.enum(FAULT_CLASSES)).optional() }).strict(),
  'campaigns.toYaml': z.object({ campaign: z.unknown() }).strict(),
  'hosts.test': z.object({ yaml: yamlText }).strict(),
  'hosts.answerKey': z.object({ id: z.string().max(100), approve: z.boolean() }).strict(),
  'hosts.answerPassphrase': z.object({ id: z.string().max(100), passphrase: z.string().max(4096).nullable() }).strict(),
  'live.start': z.object({ yaml: yamlText }).strict(),
  'live.cancel': z.object({ runId }).strict(),
  'live.active': z.object({}).strict(),
  'annotations.history': z.object({ runId }).strict(),
  'annotations.save': z.object({ runId, annotation: annotationSchema, accept: z.boolean().default(false) }).strict(),
  'annotations.draft': z.object({ runId }).strict(),
  'export.run': z.object({ runId, format: exportFormat, token: grantToken }).strict(),
  'cloud.settings': z.object({}).strict(),
  // The token goes renderer → main only, once; nothing ever sends it back.
  'cloud.setToken': z.object({ token: z.string().trim().min(1).max(500).regex(/^[\x21-\x7e]+$/, 'a token has no spaces or control characters').nullable() }).strict(),
  'cloud.leftovers': z.object({}).strict(),
  'cloud.destroy': z.object({ kind: z.enum(['terraform', 'digitalocean']), tag: z.string().min(1).max(100).regex(/^[a-z0-9-]+$/) }).strict(),
  'cloud.costs': z.object({}).strict(),
  'soak.list': z.object({}).strict(),
  'soak.report': z
    .object({
      series: soakSeries,
      expect: z.number().int().min(1).max(100000).optional(),
      baselineMs: z.number().positive().max(30 * 86_400_000).optional(),
      costEnvelopeUsd: z.number().positive().max(100000).optional(),
    })
    .strict(),
  // The campaign comes as YAML (the Campaigns view's text); the count and cadence as `shipgate soak run` takes them.
  'soak.start': z.object({ yaml: yamlText, count: z.number().int().min(1).max(100000), every: z.string().max(40), series: soakSeries.optional() }).strict(),
  'soak.stop': z.object({}).strict(),
  'soak.status': z.object({}).strict(),
  // The file is chosen in a main-process save dialog: the page never names a path.
  'release.write': z
    .object({
      runId,
      version: z.string().min(1).max(100),
      soakSeries: soakSeries.optional(),
      soakExpect: z.number().int().min(1).max(100000).optional(),
      allowWeakened: z.boolean().default(false),
    })
    .strict(),
} satisfies Record<Channel, z.ZodType>

export interface SettingsView {
  allowLocalCampaigns: boolean
  knownHostsFiles: string[]
}

export interface HostCheckView {
  ok: boolean
  target: string
  hostname?: string
  version?: string | null
  ms: number
  error?: string
  errorCode?: string
}

export interface Responses {
  'app.info': AppInfo
  'app.openExternal': { opened: boolean }
  'app.log': { logged: boolean }
  'settings.get': SettingsView
  'settings.set': SettingsView
  'dialog.open': { token: string | null; label: string }
  'dialog.save': { token: string | null; label: string }
  'runs.list': RunSummary[]
  'runs.get': ReportData
  'runs.compare': Comparison
  'runs.log': { total: number; lines: LogLineView[] }
  'runs.artifact': ArtifactText
  'runs.trends': TrendData
  'runs.import': { imported: number; unchanged: number; failed: { id: string; error: string }[] }
  'campaigns.list': { name: string; updatedAt: number }[]
  'campaigns.get': { name: string; yaml: string }
  'campaigns.save': { name: string }
  'campaigns.delete': { deleted: boolean }
  'campaigns.validate': { ok: true; campaign: Campaign; warnings: string[] } | { ok: false; issues: string[] }
  'campaigns.demo': { yaml: string }
  'campaigns.toYaml': { yaml: string }
  'hosts.test': Record<HostRole, HostCheckView>
  'hosts.answerKey': { ok: boolean }
  'hosts.answerPassphrase': { ok: boolean }
  'live.start': { runId: string }
  'live.cancel': { cancelled: boolean }
  'live.active': LiveRunView[]
  'annotations.history': AnnotationVersion[]
  'annotations.save': AnnotationVersion
  'annotations.draft': DraftNarrative
  'export.run': { written: string }
  'cloud.settings': CloudSettings
  'cloud.setToken': CloudSettings
  'cloud.leftovers': { leftovers: LeftoverCampaign[]; errors: string[] }
  'cloud.destroy': { verified: boolean; message: string; costUsd: number }
  'cloud.costs': CostSummary
  'soak.list': SoakSeriesListing[]
  'soak.report': SoakView
  'soak.start': { series: string }
  'soak.stop': { stop: 'none' | 'after-run' | 'cancel-run' }
  'soak.status': SoakStatus | null
  /** `written` is null when the save dialog was cancelled. */
  'release.write': { written: string | null; verdict: 'pass' | 'fail' | null; headline: string | null }
}

export interface PushEvents {
  'run.progress': ProgressEvent
  'hostkey.prompt': HostKeyPromptEvent
  'secret.prompt': SecretPromptEvent
  'runs.changed': { runId: string }
  /** Cloud resources left by campaigns that are not running, found when the app starts. */
  'cloud.leftovers': { leftovers: LeftoverCampaign[] }
  /** A soak started in the app: started, waiting, each run, stopping, ended. */
  'soak.event': SoakEvent
}

export type Request<C extends Channel> = z.input<(typeof requests)[C]>
export type ParsedRequest<C extends Channel> = z.output<(typeof requests)[C]>
export type Response<C extends Channel> = Responses[C]

type Domain<C extends string> = C extends `${infer D}.${string}` ? D : never
type Verb<C extends string, D extends string> = C extends `${D}.${infer V}` ? V : never

/** `window.api`: `api.runs.list(req)` → `IpcResult<RunSummary[]>`, plus `api.on(event, cb)`. */
export type Api = {
  [D in Domain<Channel>]: { [V in Verb<Channel, D>]: (req: Request<`${D}.${V}` & Channel>) => Promise<IpcResult<Response<`${D}.${V}` & Channel>>> }
} & {
  on<E extends EventName>(event: E, listener: (payload: PushEvents[E]) => void): () => void
  rendererReady(): void
}
