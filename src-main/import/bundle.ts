// Importing a run bundle another engineer shared: the whole bundle is validated against one schema
// before the transaction (a refusal names the field), every artifact is checked against its sha256,
// and the run is judged again here; nothing of a refused bundle reaches the history.
import { createHash } from 'node:crypto'
import { IMPORT_LIMITS, bundleSchema, describeBundleIssues } from '@shared/bundle'
import { gateInput, storedCampaign } from '@shared/campaign'
import { evaluateRun } from '../verdict/evaluate'
import { AppError } from '../lib/errors'
import { jsonSyntaxError } from '../evidence/json-text'
import type { Store } from '../store/store'
import { contentHash } from './importer'

export interface BundleImport {
  runId: string
  status: 'imported' | 'unchanged'
}

/** Parses the text of a bundle file; never echoes its content in an error. */
export function parseBundleText(text: string, origin: string): unknown {
  try {
    return JSON.parse(text) as unknown
  } catch {
    const at = jsonSyntaxError(text)
    throw new AppError('BAD_INPUT', `${origin} is not a run bundle: not JSON${at ? ` (${at.reason} at line ${at.line}, column ${at.column})` : ''}`)
  }
}

export function importBundle(store: Store, raw: unknown, now = Date.now()): BundleImport {
  const parsed = bundleSchema.safeParse(raw)
  if (!parsed.success) {
    const issues = describeBundleIssues(parsed.error)
    throw new AppError('BAD_INPUT', `not a valid Shipgate Lab run bundle: ${issues.join('; ')}`, { details: issues })
  }
  const b = parsed.data
  const names = new Set<string>()
  const files = b.artifacts.map((a) => {
    if (names.has(a.name)) throw new AppError('BAD_INPUT', `artifact ${a.name} appears twice in the bundle; nothing was imported`)
    names.add(a.name)
    const bytes = Buffer.from(a.base64, 'base64')
    if (bytes.length > IMPORT_LIMITS.artifactBytes) throw new AppError('BAD_INPUT', `artifact ${a.name} is over the ${IMPORT_LIMITS.artifactBytes / 1048576} MB limit; nothing was imported`)
    const sha = createHash('sha256').update(bytes).digest('hex')
    if (sha !== a.sha256) throw new AppError('BAD_INPUT', `artifact ${a.name} does not match its sha256 (bundle damaged or edited); nothing was imported`)
    return { name: a.name, bytes }
  })
  const hash = contentHash(files)
  const existing = store.runs.get(b.run.id)
  if (existing) {
    if (existing.contentSha256 === hash || (existing.contentSha256 === null && contentHash(store.artifacts.all(b.run.id)) === hash)) return { runId: b.run.id, status: 'unchanged' }
    throw new AppError('CONFLICT', `${b.run.id} is already in the history with different evidence`)
  }
  const state = b.run.state === 'running' ? 'interrupted' : b.run.state
  const campaign = storedCampaign(b.run.params)
  const { evaluation } = evaluateRun({ artifacts: files, ...(campaign ? gateInput(campaign) : {}), facts: { state, stopReason: b.run.stopReason ?? null } })
  store.transaction(() => {
    store.runs.insert({
      id: b.run.id,
      campaign: b.run.campaign,
      source: 'bundle',
      state,
      // Judged here from what was imported; the exporter's verdict is not trusted.
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
    for (const a of b.annotations) store.annotations.add(b.run.id, a.annotation, a.source, a.author, a.createdAt, a.citations)
    store.timings.insertAll(b.run.id, b.phaseTimings)
    if (b.log.length) store.logs.append(b.run.id, b.log)
    store.runs.update(b.run.id, { costUsd: b.run.costUsd, ...(b.run.stopReason ? { stopReason: b.run.stopReason } : {}) })
  })
  return { runId: b.run.id, status: 'imported' }
}
