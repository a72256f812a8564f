// A soak series as stored: the runs `<series>-r<k>` of the campaign `<series>`, read from the history
// into what the pure evaluator (`@shared/soak`) judges. SQL stays in the store; this only selects.
import { dirname, join } from 'node:path'
import type { RunSummary } from '@shared/domain'
import { type SoakOptions, type SoakSeriesListing, type SoakRunInput, type SoakView, SOAK_BOUND_FAULT, evaluateSoak, soakIndex, verdictCounts } from '@shared/soak'
import { AppError } from '../lib/errors'
import type { Store } from '../store/store'
import { readSoakState } from './state'

/** A series id is a campaign name: it names files (the lock, the state), so nothing else is accepted. */
export const SERIES_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,100}$/

export function checkSeriesId(series: string): string {
  if (!SERIES_ID.test(series)) throw new AppError('BAD_REQUEST', `${JSON.stringify(series)} is not a series name (letters, digits, dot, dash, underscore)`)
  return series
}

/** Where soak state and locks live: next to the history database. */
export function soakDir(dbPath: string): string {
  return join(dirname(dbPath), 'soak')
}

export function readSeries(store: Store, series: string): SoakRunInput[] {
  checkSeriesId(series)
  const out: SoakRunInput[] = []
  for (const summary of store.runs.listCampaign(series)) {
    const index = soakIndex(series, summary.id)
    if (index === null) continue
    const row = store.runs.get(summary.id)
    if (!row) continue
    const e = row.evaluation
    const checks = e.phases.flatMap((p) => p.checks.map((c) => ({ check: c.id, subject: c.subject ?? null, status: c.status })))
    const bound = e.phases.find((p) => p.phase === 4)?.checks.find((c) => c.id === 'p4.bound' && c.subject === SOAK_BOUND_FAULT)
    out.push({
      id: row.id,
      index,
      verdict: row.verdict,
      reason: row.reason,
      state: row.state,
      phaseStatuses: row.phaseStatuses,
      durationMs: row.durationMs,
      costUsd: row.costUsd,
      simulated: row.simulated,
      aiMemoryVersion: row.aiMemoryVersion ?? row.aiMemoryRef,
      thresholdSet: e.thresholdSet,
      checks,
      bound: bound ? { status: bound.status, measured: bound.measured } : null,
    })
  }
  return out.sort((a, b) => a.index - b.index)
}

export type SeriesReport = SoakView

/**
 * Judges a stored series. The window comes from `--expect`, else from the soak state a `soak run`
 * left next to the database. An unknown series (no runs, no state) is NOT_FOUND.
 */
export function seriesReport(store: Store, dbPath: string, series: string, options: SoakOptions = {}): SeriesReport {
  const runs = readSeries(store, series)
  const state = readSoakState(soakDir(dbPath), series)
  if (runs.length === 0 && !(state.ok && state.state)) throw new AppError('NOT_FOUND', `no soak series ${JSON.stringify(series)}: no runs named ${series}-r<k> (see \`shipgate runs --campaign ${series}\`)`)
  const expect = options.expect ?? (state.ok && state.state ? state.state.count : null)
  return { report: evaluateSoak(series, runs, { ...options, expect }), runs }
}


/** Every campaign with runs named `<campaign>-r<k>` (every series), newest activity first. */
export function listSeries(store: Store, dbPath: string): SoakSeriesListing[] {
  const by = new Map<string, RunSummary[]>()
  for (const r of store.runs.list()) {
    if (soakIndex(r.campaign, r.id) === null) continue
    by.set(r.campaign, [...(by.get(r.campaign) ?? []), r])
  }
  const dir = soakDir(dbPath)
  return [...by]
    .map(([series, runs]) => {
      const state = SERIES_ID.test(series) ? readSoakState(dir, series) : null
      return {
        series,
        runs: runs.length,
        ...verdictCounts(runs),
        lastAt: runs.reduce<number | null>((m, r) => Math.max(m ?? 0, r.completedAt ?? r.startedAt ?? 0) || m, null),
        expected: state?.ok && state.state ? state.state.count : null,
      }
    })
    .sort((a, b) => (b.lastAt ?? 0) - (a.lastAt ?? 0) || a.series.localeCompare(b.series))
}
