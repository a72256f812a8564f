// The state of a soak in progress, next to the database: what it runs, how many runs, at what cadence,
// and what ran so far, so a restart (a crash, a reboot, the app closed) continues where it stopped.
// A damaged file is left as it is, with an error that names it: it is the only record of the window.
import { createHash } from 'node:crypto'
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Campaign } from '@shared/campaign'
import type { RunState, RunVerdict } from '@shared/domain'
import { AppError } from '../lib/errors'

export interface SoakStateRun {
  id: string
  index: number
  startedAt: number
  finishedAt: number
  verdict: RunVerdict
  state: RunState
}

export interface SoakState {
  version: 1
  series: string
  /** The campaign's name in its file, and what identifies it apart from where its hosts are. */
  campaignName: string
  campaignFingerprint: string
  count: number
  everyMs: number
  createdAt: number
  runs: SoakStateRun[]
  /** When the next run is due (the previous one's start + every). */
  nextDueAt: number | null
}

export function statePath(dir: string, series: string): string {
  return join(dir, `${series}.json`)
}

/**
 * What makes "the same campaign": what it runs and how it is judged, not where its hosts are (a
 * soak may continue on new droplets), nor its name (`--series` renames it).
 */
export function campaignFingerprint(c: Campaign): string {
  const a = c.ai_memory
  // Ports and server paths are where things run, not what runs: drop them.
  const { harness_ports: _ports, ...phase4 } = c.parameters.phase4 as typeof c.parameters.phase4 & { harness_ports?: unknown }
  const pg = c.parameters.phase3.postgres as { managed?: unknown; server?: unknown }
  const parameters = { ...c.parameters, phase3: { ...c.parameters.phase3, postgres: { managed: pg.managed ?? null, server: pg.server ?? null } }, phase4 }
  const identity = {
    transport: c.transport,
    ai_memory: { ref: a.ref ?? null, commit: a.commit ?? null, version: a.version ?? null, tier: a.tier, config: a.config, env: a.env },
    phases: c.phases,
    parameters,
    thresholds: c.thresholds,
    provisioner: c.provisioner.kind,
  }
  return createHash('sha256').update(JSON.stringify(identity)).digest('hex').slice(0, 16)
}

export type ReadState = { ok: true; state: SoakState | null } | { ok: false; file: string; error: string }

function valid(v: unknown): v is SoakState {
  const s = v as Partial<SoakState> | null
  return (
    typeof s === 'object' && s !== null && s.version === 1 && typeof s.series === 'string' && typeof s.campaignFingerprint === 'string' &&
    typeof s.count === 'number' && Number.isInteger(s.count) && s.count > 0 && typeof s.everyMs === 'number' && s.everyMs >= 0 && Array.isArray(s.runs)
  )
}

/** The state of a series: null when there is none; an error (never an exception) when it is damaged. */
export function readSoakState(dir: string, series: string): ReadState {
  const file = statePath(dir, series)
  let text: string
  try {
    text = readFileSync(file, 'utf8')
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { ok: true, state: null }
    return { ok: false, file, error: (err as Error).message }
  }
  try {
    const v: unknown = JSON.parse(text)
    if (!valid(v)) return { ok: false, file, error: 'not a soak state file (fields missing or wrong)' }
    if (v.series !== series) return { ok: false, file, error: `it belongs to the series ${JSON.stringify(v.series)}` }
    return { ok: true, state: v }
  } catch (err) {
    return { ok: false, file, error: `unreadable JSON: ${(err as Error).message}` }
  }
}

/** Writes the state whole (temporary file, then rename): a crash leaves the old one or the new one. */
export function writeSoakState(dir: string, state: SoakState): void {
  mkdirSync(dir, { recursive: true })
  const file = statePath(dir, state.series)
  const tmp = `${file}.${process.pid}.tmp`
  writeFileSync(tmp, `${JSON.stringify(state, null, 2)}\n`)
  renameSync(tmp, file)
}

/**
 * The state to run with: a new one, or the existing one when it is the same campaign (count and
 * cadence may change: the latest command wins). Another campaign, or a damaged file, refuses.
 */
export function openSoakState(dir: string, series: string, campaign: Campaign, plan: { count: number; everyMs: number }, now: number): SoakState {
  const read = readSoakState(dir, series)
  if (!read.ok) throw new AppError('CONFLICT', `the soak state ${read.file} is damaged (${read.error}); it was left untouched: fix or remove it to continue`)
  const fingerprint = campaignFingerprint(campaign)
  const existing = read.state
  if (existing && existing.campaignFingerprint !== fingerprint) {
    throw new AppError('CONFLICT', `the soak ${series} runs another campaign (${existing.campaignName}, ${existing.campaignFingerprint}); this one is ${campaign.name} (${fingerprint}). Use another --series`)
  }
  const state: SoakState = existing
    ? { ...existing, count: plan.count, everyMs: plan.everyMs }
    : { version: 1, series, campaignName: campaign.name, campaignFingerprint: fingerprint, count: plan.count, everyMs: plan.everyMs, createdAt: now, runs: [], nextDueAt: null }
  writeSoakState(dir, state)
  return state
}
