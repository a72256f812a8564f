// Data shapes the views receive from the main process.
import type { ArtifactInfo, AnnotationVersion, ChaosCycle, CheckStatus, HostRole, PhaseNumber, PhaseStatus, RunDetail, RunSummary, RunVerdict } from './domain'
import type { Annotation } from './domain'
import type { LogStream, ProgressEvent } from './progress'

export interface JournalView {
  id: number
  hostRole: HostRole
  kind: 'process' | 'fault'
  label: string
  state: 'pending' | 'released' | 'undone' | 'failed'
  detail: string | null
  createdAt: number
  resolvedAt: number | null
}

export interface ReportData {
  run: RunDetail
  annotation: AnnotationVersion | null
  /** A deterministic draft from the evidence when no human narrative exists yet. */
  draft: DraftNarrative | null
  cycles: ChaosCycle[]
  journal: JournalView[]
  logLines: number
  previous: RunSummary | null
}

export interface DraftNarrative {
  annotation: Annotation
  /** For each field, the checks and evidence fields its sentences rest on, one list per sentence. */
  citations: Record<string, string[]>
  basedOn: { runId: string; previousRunId: string | null }
}

export interface LogLineView {
  seq: number
  at: number
  phase: number | null
  host: string | null
  stream: LogStream
  line: string
}

export interface ArtifactText {
  info: ArtifactInfo
  text: string
  truncated: boolean
  binary: boolean
}

export interface TrendRun {
  id: string
  campaign: string
  version: string | null
  completedAt: number | null
  verdict: RunVerdict
  phases: PhaseStatus[]
  /** Convergence bound per fault class, with the metric definition it was computed under. */
  bounds: Record<string, { value: number | null; definition: string | null; status: CheckStatus; provenance?: 'stated' }>
  durations: Partial<Record<PhaseNumber, number>>
  /** The bound threshold the run was judged with (a campaign may have changed it); null for old records. */
  threshold: number | null
  simulated: boolean
  /** The stored evaluation could not be read: the run is listed, without bounds. */
  malformed?: true
}

export interface TrendData {
  runs: TrendRun[]
}

export interface LiveRunView {
  runId: string
  campaign: string
  startedAt: number
  events: ProgressEvent[]
}

export interface AppInfo {
  version: string
  dataDir: string
  dbPath: string
  runCount: number
  firstStart: boolean
  platform: string
  /** The main process's own log, to point at when something fails. */
  logFile: string | null
}

export interface HostKeyPromptEvent {
  id: string
  host: string
  port: number
  keyType: string
  fingerprint: string
}

export interface SecretPromptEvent {
  id: string
  keyPath: string
  attempt: number
}

/** Cloud resources of one campaign that belong to no running run (found by `reconcile`). */
export interface LeftoverCampaign {
  kind: 'terraform' | 'digitalocean'
  tag: string
  runId: string | null
  resources: { kind: string; id: string; name: string }[]
  createdAt: number
  ageMs: number
  hourlyUsd: number
  costSoFarUsd: number
  /** The dead-man deadline, when known (the provision record, or the droplets' deadline tag). */
  deadlineAt: number | null
  pastDeadline: boolean
}

export interface CostSummary {
  byCampaign: { campaign: string; runs: number; usd: number }[]
  byMonth: { month: string; runs: number; usd: number }[]
  totalUsd: number
}

export interface CloudSettings {
  /** Whether a DigitalOcean token is saved (never the token itself). */
  digitalOceanToken: 'saved' | 'none' | 'unavailable'
  /** Why the keychain cannot be used, when it cannot. */
  detail?: string
}
