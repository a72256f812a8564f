// The JSON shape of a run on the command line (`runs --json`, `show --json`), stable for CI scripts.
import { type AnnotationVersion, type ChaosCycle, type RunDetail, chaosCycleRow } from '@shared/domain'

export interface RunJson {
  id: string
  verdict: string
  reason: string
  phases: {
    phase: number
    status: string
    summary: string
    checks: { id: string; subject?: string; label: string; status: string; value: string; threshold: string; counted: boolean; metric_definition?: string }[]
    warnings: { code: string; message: string; evidence?: string }[]
  }[]
  warnings: { code: string; phase?: number; message: string; evidence?: string }[]
  [extra: string]: unknown
}

export function runJson(run: RunDetail, options: { detail?: { annotation: AnnotationVersion | null; cycles: ChaosCycle[] } } = {}): RunJson {
  const e = run.evaluation
  const base: RunJson = {
    id: run.id,
    verdict: e.verdict,
    reason: e.reason,
    // A run against the simulated ai-memory shows the gate works; it never certifies a release.
    simulated: run.simulated,
    threshold_set: e.thresholdSet,
    ...(e.deviations?.length ? { deviations: e.deviations.map((d) => d.text) } : {}),
    phases: e.phases.map((p) => ({
      phase: p.phase,
      status: p.status,
      summary: p.summary,
      checks: p.checks.map((c) => ({
        id: c.id,
        ...(c.subject ? { subject: c.subject } : {}),
        label: c.label,
        status: c.status,
        value: c.value,
        threshold: c.threshold,
        counted: c.counted,
        ...(c.metricDefinition ? { metric_definition: c.metricDefinition } : {}),
        ...(c.provenance === 'stated' ? { provenance: 'stated by the harness, not recomputed' } : {}),
      })),
      warnings: p.warnings.map((w) => ({ code: w.code, message: w.message, ...(w.evidence ? { evidence: w.evidence } : {}) })),
    })),
    warnings: [...e.warnings, ...e.phases.flatMap((p) => p.warnings)].map((w) => ({
      code: w.code,
      ...(w.phase ? { phase: w.phase } : {}),
      message: w.message,
      ...(w.evidence ? { evidence: w.evidence } : {}),
    })),
  }
  if (!options.detail) return base
  const { annotation, cycles } = options.detail
  return {
    ...base,
    campaign: run.campaign,
    source: run.source,
    state: run.state,
    ai_memory_ref: run.aiMemoryRef,
    ai_memory_version: run.aiMemoryVersion,
    ai_memory_commit: run.aiMemoryCommit,
    started_at: run.startedAt,
    completed_at: run.completedAt,
    duration_ms: run.durationMs,
    cost_usd: run.costUsd,
    params: run.params,
    phase_timings: run.phaseTimings,
    artifacts: run.artifacts.map((a) => ({ name: a.name, size_bytes: a.sizeBytes, sha256: a.sha256 })),
    annotation: annotation ? { version: annotation.version, source: annotation.source, ...annotation.annotation } : null,
    chaos_cycles: cycles.map(cycleJson),
    evaluator: e.evaluatorVersion,
    verdict_history: run.verdictHistory,
    stop_reason: run.stopReason,
  }
}

/** One chaos cycle in the shape of ship-gate's phase4-cycles.jsonl rows (what CI scripts already read). */
function cycleJson(c: ChaosCycle): Record<string, unknown> {
  return { ...chaosCycleRow(c, null), status: c.status, ...(c.error ? { error: c.error } : {}) }
}
