// Typed progress events of a run, for the live view, the CLI and the store.
import type { ChaosCycle, CheckResult, HostRole, PhaseNumber, PhaseStatus, RunState, RunVerdict } from './domain'

export type ProvisionerKind = 'static' | 'terraform' | 'digitalocean'

export interface RunHost {
  role: HostRole
  name: string
  address: string
}

export type LogStream = 'stdout' | 'stderr' | 'info' | 'command'

export type ProgressEvent =
  | {
      type: 'run-started'
      runId: string
      campaign: string
      phases: PhaseNumber[]
      hosts: RunHost[]
      provisioner: ProvisionerKind
      /** The bound threshold this run is judged with (a campaign may override the gate's). */
      boundMin: number
      at: number
    }
  /** Provisioning and bootstrap, before the phases (steps per host, like a phase's). */
  | { type: 'setup'; runId: string; host?: string; step: string; status: 'started' | 'done' | 'failed'; detail?: string; at: number }
  /** The provisioned hosts' addresses, once known. */
  | { type: 'hosts'; runId: string; hosts: RunHost[]; at: number }
  /** The cost meter: what the run's cloud resources cost so far. */
  | { type: 'cost'; runId: string; usd: number; hourlyUsd: number; final: boolean; at: number }
  | { type: 'phase-started'; runId: string; phase: PhaseNumber; at: number }
  | { type: 'step'; runId: string; phase: PhaseNumber; host?: string; step: string; status: 'started' | 'done' | 'failed'; detail?: string; at: number }
  | { type: 'log'; runId: string; phase?: PhaseNumber; host?: string; stream: LogStream; line: string; at: number }
  | { type: 'check'; runId: string; phase: PhaseNumber; check: CheckResult; at: number }
  | { type: 'cycle'; runId: string; cycle: ChaosCycle; configured: number; at: number }
  | { type: 'phase-finished'; runId: string; phase: PhaseNumber; status: PhaseStatus; summary: string; durationMs: number; at: number }
  | { type: 'teardown'; runId: string; action: string; ok: boolean; detail?: string; at: number }
  | { type: 'run-finished'; runId: string; state: RunState; verdict: RunVerdict; reason: string; durationMs: number; at: number }

export type ProgressListener = (event: ProgressEvent) => void
