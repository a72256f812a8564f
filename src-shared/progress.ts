// Typed progress events of a run, for the live view, the CLI and the store.
import type { ChaosCycle, CheckResult, HostRole, PhaseNumber, PhaseStatus, RunState, RunVerdict } from './domain'

export type LogStream = 'stdout' | 'stderr' | 'info' | 'command'

export type ProgressEvent =
  | { type: 'run-started'; runId: string; campaign: string; phases: PhaseNumber[]; hosts: { role: HostRole; name: string; address: string }[]; at: number }
  | { type: 'phase-started'; runId: string; phase: PhaseNumber; at: number }
  | { type: 'step'; runId: string; phase: PhaseNumber; host?: string; step: string; status: 'started' | 'done' | 'failed'; detail?: string; at: number }
  | { type: 'log'; runId: string; phase?: PhaseNumber; host?: string; stream: LogStream; line: string; at: number }
  | { type: 'check'; runId: string; phase: PhaseNumber; check: CheckResult; at: number }
  | { type: 'cycle'; runId: string; cycle: ChaosCycle; configured: number; at: number }
  | { type: 'phase-finished'; runId: string; phase: PhaseNumber; status: PhaseStatus; summary: string; durationMs: number; at: number }
  | { type: 'teardown'; runId: string; action: string; ok: boolean; detail?: string; at: number }
  | { type: 'run-finished'; runId: string; state: RunState; verdict: RunVerdict; reason: string; durationMs: number; at: number }

export type ProgressListener = (event: ProgressEvent) => void
