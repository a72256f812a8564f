// Everything a report shows, assembled from the store: the run, its narrative (or a draft), the
// per-cycle chaos rows, the fault journal, trends across runs, logs and raw artifacts.
import type { ChaosCycle, FaultClass, PhaseNumber } from '@shared/domain'
import type { ArtifactText, DraftNarrative, JournalView, LogLineView, ReportData, TrendData, TrendRun } from '@shared/views'
import { jsonLines } from '../engine/json-output'
import { Journal } from '../engine/journal'
import { isRecord, num } from '../evidence/normalize'
import { AppError } from '../lib/errors'
import { draftNarrative } from '../report/narrative'
import type { RunFilter } from '../store/run-repo'
import type { Store } from '../store/store'
import { HistoryService } from './history'

function toCycle(v: unknown): ChaosCycle | null {
  if (!isRecord(v)) return null
  const cycle = num(v.cycle)
  const fault = typeof v.fault === 'string' ? (v.fault as FaultClass) : null
  if (cycle === null || !fault) return null
  const at = (x: unknown) => (typeof x === 'number' ? x : typeof x === 'string' ? Date.parse(x) || null : null)
  return {
    fault,
    cycle,
    writes: num(v.writes) ?? 0,
    ok: num(v.ok) ?? 0,
    quorumNotMet: num(v.quorum_not_met) ?? 0,
    fail: num(v.fail) ?? 0,
    counts: [num(v.count_node0), num(v.count_node1), num(v.count_node2)],
    faultAppliedAt: at(v.fault_applied_at),
    faultHealedAt: at(v.fault_healed_at),
    convergeMs: num(v.converge_ms),
    converged: v.converged === true,
    verified: v.verified !== false,
    status: v.status === 'error' || typeof v.error === 'string' ? 'error' : 'ok',
    ...(typeof v.error === 'string' ? { error: v.error } : {}),
  }
}

export class ReportService {
  private readonly history: HistoryService
  private readonly journal: Journal

  constructor(private readonly store: Store) {
    this.history = new HistoryService(store)
    this.journal = new Journal(store.db)
  }

  /** Per-cycle chaos rows: the engine's JSONL, else ship-gate's `cycles_by_fault` in phase4.json. */
  cycles(runId: string): ChaosCycle[] {
    const jsonl = this.store.artifacts.get(runId, 'phase4-cycles.jsonl')
    if (jsonl) return jsonLines(jsonl.bytes.toString('utf8')).map(toCycle).filter((c): c is ChaosCycle => c !== null)
    const p4 = this.store.artifacts.get(runId, 'phase4.json')
    if (!p4) return []
    try {
      const obj = JSON.parse(p4.bytes.toString('utf8')) as unknown
      const byFault = isRecord(obj) && isRecord(obj.cycles_by_fault) ? obj.cycles_by_fault : {}
      return Object.entries(byFault).flatMap(([fault, rows]) => (Array.isArray(rows) ? rows.map((r) => toCycle(isRecord(r) ? { fault, ...r } : r)).filter((c): c is ChaosCycle => c !== null) : []))
    } catch {
      return []
    }
  }

  journalOf(runId: string): JournalView[] {
    return this.journal.entries(runId).map(({ runId: _r, undo: _u, ...e }) => e)
  }

  draft(ref: string): DraftNarrative {
    const run = this.history.detail(ref)
    const prev = this.history.previous(run.id)
    return draftNarrative(run, prev ? this.history.detail(prev.id) : null)
  }

  report(ref: string): ReportData {
    const run = this.history.detail(ref)
    const annotation = this.store.annotations.latest(run.id)
    const previous = this.history.previous(run.id)
    return {
      run,
      annotation,
      draft: annotation ? null : draftNarrative(run, previous ? this.history.detail(previous.id) : null),
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
    const timings = this.store.db.prepare('SELECT run_id AS runId, phase, finished_at - started_at AS ms FROM phase_timings WHERE finished_at IS NOT NULL').all() as { runId: string; phase: PhaseNumber; ms: number }[]
    const durations = new Map<string, Partial<Record<PhaseNumber, number>>>()
    for (const t of timings) durations.set(t.runId, { ...durations.get(t.runId), [t.phase]: t.ms })
    const runs: TrendRun[] = summaries.map((s) => {
      const row = this.store.runs.get(s.id)
      const bounds: TrendRun['bounds'] = {}
      for (const c of row?.evaluation.phases.find((p) => p.phase === 4)?.checks ?? []) {
        if (c.id === 'p4.bound' && c.subject) bounds[c.subject] = { value: c.measured, definition: c.metricDefinition ?? null, status: c.status }
      }
      return { id: s.id, campaign: s.campaign, version: s.aiMemoryVersion ?? s.aiMemoryRef, completedAt: s.completedAt, verdict: s.verdict, phases: s.phaseStatuses, bounds, durations: durations.get(s.id) ?? {} }
    })
    return { runs }
  }
}
