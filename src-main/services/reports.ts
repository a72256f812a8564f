// Everything a report shows, assembled from the store: the run, its narrative (or a draft), the
// per-cycle chaos rows, the fault journal, trends across runs, logs and raw artifacts.
import type { ChaosCycle, RunDetail } from '@shared/domain'
import type { ArtifactText, DraftNarrative, JournalView, LogLineView, ReportData, TrendData, TrendRun } from '@shared/views'
import { parseJsonlObjects } from '../evidence/json-text'
import { isRecord } from '../evidence/normalize'
import { parseCycleRow } from '../evidence/phases'
import { AppError, isAppError } from '../lib/errors'
import { draftNarrative } from '../report/narrative'
import type { RunFilter, RunRow } from '../store/run-repo'
import type { Store } from '../store/store'
import type { HistoryService } from './history'

/** A row with its fault class, for the charts; the same parser the verdict reads rows with. */
function toCycle(fault: unknown, row: unknown): ChaosCycle | null {
  const parsed = parseCycleRow(row)
  return parsed && typeof fault === 'string' ? { ...parsed, fault } : null
}

export class ReportService {
  constructor(
    private readonly store: Store,
    private readonly history: HistoryService,
  ) {}

  /** Per-cycle chaos rows: the engine's JSONL, else ship-gate's `cycles_by_fault` in phase4.json. */
  cycles(runId: string): ChaosCycle[] {
    const jsonl = this.store.artifacts.get(runId, 'phase4-cycles.jsonl')
    if (jsonl) {
      const parsed = parseJsonlObjects(jsonl.bytes.toString('utf8'), 'phase4-cycles.jsonl')
      // An unreadable JSONL is shown by the verdict (p4.rows); the chart draws nothing rather than a part.
      return 'rows' in parsed ? parsed.rows.map((r) => toCycle(r.fault, r)).filter((c): c is ChaosCycle => c !== null) : []
    }
    const p4 = this.store.artifacts.get(runId, 'phase4.json')
    if (!p4) return []
    try {
      const obj = JSON.parse(p4.bytes.toString('utf8')) as unknown
      const byFault = isRecord(obj) && isRecord(obj.cycles_by_fault) ? obj.cycles_by_fault : {}
      return Object.entries(byFault).flatMap(([fault, rows]) => (Array.isArray(rows) ? rows.map((r) => toCycle(fault, r)).filter((c): c is ChaosCycle => c !== null) : []))
    } catch {
      return []
    }
  }

  journalOf(runId: string): JournalView[] {
    return this.store.journal.entries(runId).map(({ runId: _r, undo: _u, ...e }) => e)
  }

  draft(ref: string): DraftNarrative {
    const run = this.history.detail(ref)
    return draftNarrative(run, this.previousDetail(run.id))
  }

  /** The report never fails for its draft: a run the drafter cannot read gets none (the view says why). */
  private draftOrNull(run: RunDetail): DraftNarrative | null {
    try {
      return draftNarrative(run, this.previousDetail(run.id))
    } catch {
      return null
    }
  }

  /**
   * The previous run's detail for "what changed since", or null when there is none or its stored
   * record is malformed: one bad row must not break the next run's report or its draft narrative.
   */
  private previousDetail(runId: string): RunDetail | null {
    const previous = this.history.previous(runId)
    if (!previous) return null
    try {
      return this.history.detail(previous.id)
    } catch (err) {
      if (isAppError(err) && err.code === 'DB') return null
      throw err
    }
  }

  report(ref: string): ReportData {
    const run = this.history.detail(ref)
    const annotation = this.store.annotations.latest(run.id)
    const previous = this.history.previous(run.id)
    return {
      run,
      annotation,
      draft: annotation ? null : this.draftOrNull(run),
      cycles: this.cycles(run.id),
      journal: this.journalOf(run.id),
      logLines: this.store.logs.count(run.id),
      previous,
    }
  }

  log(ref: string, offset: number, limit: number): { total: number; lines: LogLineView[] } {
    const id = this.history.resolve(ref)
    return { total: this.store.logs.count(id), lines: this.store.logs.list(id, offset, limit) }
  }

  artifactText(ref: string, name: string, maxBytes = 2 * 1024 * 1024): ArtifactText {
    const id = this.history.resolve(ref)
    const a = this.store.artifacts.get(id, name)
    if (!a) throw new AppError('NOT_FOUND', `run ${id} has no artifact ${JSON.stringify(name)}`)
    const binary = a.bytes.includes(0)
    const slice = a.bytes.subarray(0, maxBytes)
    return { info: a.info, text: binary ? '' : slice.toString('utf8'), truncated: a.bytes.length > maxBytes, binary }
  }

  trends(filter: RunFilter & { campaign?: string } = {}): TrendData {
    const summaries = this.history.list(filter).reverse()
    const durations = this.store.timings.durations()
    const runs: TrendRun[] = summaries.map((s) => {
      const row = this.readable(s.id)
      const bounds: TrendRun['bounds'] = {}
      for (const c of row?.evaluation.phases.find((p) => p.phase === 4)?.checks ?? []) {
        if (c.id === 'p4.bound' && c.subject) bounds[c.subject] = { value: c.measured, definition: c.metricDefinition ?? null, status: c.status, ...(c.provenance ? { provenance: c.provenance } : {}) }
      }
      return {
        id: s.id,
        campaign: s.campaign,
        version: s.aiMemoryVersion ?? s.aiMemoryRef,
        completedAt: s.completedAt,
        verdict: s.verdict,
        phases: s.phaseStatuses,
        bounds,
        durations: durations.get(s.id) ?? {},
        threshold: row?.evaluation.thresholds?.p4BoundMin ?? null,
        simulated: s.simulated,
        ...(row ? {} : { malformed: true }),
      }
    })
    return { runs }
  }

  /** A run's stored row, or null when its evaluation is malformed (trends mark it and go on). */
  private readable(id: string): RunRow | null {
    try {
      return this.store.runs.get(id)
    } catch (err) {
      if (isAppError(err) && err.code === 'DB') return null
      throw err
    }
  }
}
