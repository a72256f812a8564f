// A run bundle: the run, every artifact byte for byte (with its sha256), the narrative history,
// the log and the phase timings, as one JSON file another engineer imports.
import { createHash } from 'node:crypto'
import type { AnnotationVersion, RunSource } from '@shared/domain'
import { campaignSchema } from '@shared/campaign'
import { gateInput } from '../engine/phases/params'
import { isRecord } from '../evidence/normalize'
import { AppError } from '../lib/errors'
import type { LogLine } from '../store/log-repo'
import type { Store } from '../store/store'
import { contentHash } from '../import/importer'
import { evaluateRun } from '../verdict/evaluate'

export const BUNDLE_FORMAT = 'shipgate-run-bundle@1'

export interface Bundle {
  format: typeof BUNDLE_FORMAT
  exportedAt: number
  run: {
    id: string
    campaign: string
    source: RunSource
    state: string
    params: Record<string, unknown>
    aiMemoryRef: string | null
    aiMemoryVersion: string | null
    aiMemoryCommit: string | null
    startedAt: number | null
    completedAt: number | null
    durationMs: number | null
    costUsd: number | null
    verdict: string
  }
  artifacts: { name: string; sha256: string; base64: string }[]
  annotations: AnnotationVersion[]
  phaseTimings: { phase: number; startedAt: number | null; finishedAt: number | null }[]
  log: Omit<LogLine, 'seq'>[]
}

export function exportBundle(store: Store, runId: string, now = Date.now()): Bundle {
  const row = store.runs.get(runId)
  if (!row) throw new AppError('NOT_FOUND', `no run ${JSON.stringify(runId)}`)
  const artifacts = store.artifacts.all(runId).map((a) => ({ name: a.name, sha256: createHash('sha256').update(a.bytes).digest('hex'), base64: a.bytes.toString('base64') }))
  const total = store.logs.count(runId)
  const log: Omit<LogLine, 'seq'>[] = []
  for (let offset = 0; offset < total; offset += 5000) for (const { seq: _s, ...l } of store.logs.list(runId, offset, 5000)) log.push(l)
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
    },
    artifacts,
    annotations: store.annotations.history(runId),
    phaseTimings: store.db.prepare('SELECT phase, started_at AS startedAt, finished_at AS finishedAt FROM phase_timings WHERE run_id = ? ORDER BY phase').all(runId) as Bundle['phaseTimings'],
    log,
  }
}

export function isBundle(v: unknown): v is Bundle {
  return isRecord(v) && v.format === BUNDLE_FORMAT
}

/** Imports a bundle: every artifact is checked against its sha256, and the run is judged again here. */
export function importBundle(store: Store, bundle: unknown, now = Date.now()): { runId: string; status: 'imported' | 'unchanged' } {
  if (!isBundle(bundle) || !isRecord(bundle.run) || !Array.isArray(bundle.artifacts)) throw new AppError('BAD_INPUT', `not a Shipgate Lab run bundle (expected "format": "${BUNDLE_FORMAT}")`)
  const b = bundle
  if (!/^[A-Za-z0-9][A-Za-z0-9._+-]{0,127}$/.test(b.run.id)) throw new AppError('BAD_INPUT', `invalid run id in the bundle: ${JSON.stringify(b.run.id)}`)
  const files = b.artifacts.map((a) => {
    const bytes = Buffer.from(a.base64, 'base64')
    const sha = createHash('sha256').update(bytes).digest('hex')
    if (sha !== a.sha256) throw new AppError('BAD_INPUT', `artifact ${a.name} does not match its sha256 (bundle damaged or edited); nothing was imported`)
    return { name: a.name, bytes }
  })
  const hash = contentHash(files)
  const existing = store.runs.get(b.run.id)
  if (existing) {
    if (existing.contentSha256 === hash || (existing.contentSha256 === null && store.artifacts.all(b.run.id).length === files.length && contentHash(store.artifacts.all(b.run.id)) === hash)) return { runId: b.run.id, status: 'unchanged' }
    throw new AppError('CONFLICT', `${b.run.id} is already in the history with different evidence`)
  }
  const campaign = campaignSchema.safeParse((b.run.params as { campaign?: unknown }).campaign)
  const { evaluation } = evaluateRun({ artifacts: files, ...(campaign.success ? gateInput(campaign.data) : {}) })
  store.transaction(() => {
    store.runs.insert({
      id: b.run.id,
      campaign: b.run.campaign,
      source: 'bundle',
      state: b.run.state === 'running' ? 'interrupted' : (b.run.state as 'completed'),
      evaluation,
      params: b.run.params,
      aiMemoryRef: b.run.aiMemoryRef,
      aiMemoryVersion: b.run.aiMemoryVersion,
      aiMemoryCommit: b.run.aiMemoryCommit,
      startedAt: b.run.startedAt,
      completedAt: b.run.completedAt,
      durationMs: b.run.durationMs,
      contentSha256: hash,
      createdAt: now,
    })
    for (const f of files) store.artifacts.put(b.run.id, f.name, f.bytes, now)
    for (const a of b.annotations ?? []) store.annotations.add(b.run.id, a.annotation, a.source, a.author, a.createdAt, a.citations)
    const timing = store.db.prepare('INSERT INTO phase_timings (run_id, phase, started_at, finished_at) VALUES (?, ?, ?, ?)')
    for (const t of b.phaseTimings ?? []) timing.run(b.run.id, t.phase, t.startedAt, t.finishedAt)
    if (b.log?.length) store.logs.append(b.run.id, b.log)
    if (b.run.costUsd !== null && b.run.costUsd !== undefined) store.runs.update(b.run.id, { costUsd: b.run.costUsd })
  })
  return { runId: b.run.id, status: 'imported' }
}
