// Writing a run bundle (see src-shared/bundle for the format; import/bundle reads one back).
import { createHash } from 'node:crypto'
import { BUNDLE_FORMAT, type Bundle } from '@shared/bundle'
import { AppError } from '../lib/errors'
import type { Store } from '../store/store'

export function exportBundle(store: Store, runId: string, now = Date.now()): Bundle {
  const row = store.runs.get(runId)
  if (!row) throw new AppError('NOT_FOUND', `no run ${JSON.stringify(runId)}`)
  const artifacts = store.artifacts.all(runId).map((a) => ({ name: a.name, sha256: createHash('sha256').update(a.bytes).digest('hex'), base64: a.bytes.toString('base64') }))
  const total = store.logs.count(runId)
  const log: Bundle['log'] = []
  for (let offset = 0; offset < total; offset += 5000) for (const { seq: _s, ...l } of store.logs.list(runId, offset, 5000)) log.push({ ...l, phase: l.phase })
  return {
    format: BUNDLE_FORMAT,
    exportedAt: now,
    run: {
      id: row.id,
      campaign: row.campaign,
      source: row.source,
      state: row.state,
      params: row.params,
      aiMemoryRef: row.aiMemoryRef,
      aiMemoryVersion: row.aiMemoryVersion,
      aiMemoryCommit: row.aiMemoryCommit,
      startedAt: row.startedAt,
      completedAt: row.completedAt,
      durationMs: row.durationMs,
      costUsd: row.costUsd,
      verdict: row.verdict,
      stopReason: row.stopReason,
    },
    artifacts,
    annotations: store.annotations.history(runId),
    phaseTimings: store.timings.list(runId),
    log,
  }
}
