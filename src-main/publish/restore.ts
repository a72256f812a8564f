// Restore on import: a run folder published by `shipgate publish` carries shipgate-run.json, from
// which the importer gives the run back what its evidence alone cannot say: the params it was
// launched with, its phase timings, its log and its state. The record comes from a shared repo:
// it restores only when every evidence file it names is there with its sha256 and the folder holds
// nothing else; the run is then judged again from the evidence (the record's verdict and version
// are never taken). Otherwise the run stays the plain import it already is, and the note says why.
import { createHash } from 'node:crypto'
import { judgeStored } from '../judge/judge'
import type { Store } from '../store/store'
import { evaluateRun } from '../verdict/evaluate'
import { PUBLICATION_FILES, RECORD_FILE, type PublishedRecord, clean, cleanDeep, parseRecord } from './record'

export interface PublishedFolder {
  id: string
  files: { name: string; bytes: Buffer }[]
  contentSha256: string
}

export interface RestoreOutcome {
  restored: boolean
  /** For the import report: what was restored, or why nothing was. */
  note: string
}

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex')

export function hasRecord(run: { files: { name: string }[] }): boolean {
  return run.files.some((f) => f.name === RECORD_FILE)
}

/** The record and the evidence files it vouches for, or why they cannot be trusted. */
export function checkRecord(run: PublishedFolder): { record: PublishedRecord; evidence: { name: string; bytes: Buffer }[] } | { problem: string } {
  const file = run.files.find((f) => f.name === RECORD_FILE)
  if (!file) return { problem: `no ${RECORD_FILE}` }
  const parsed = parseRecord(file.bytes)
  if ('problem' in parsed) return parsed
  const { record } = parsed
  if (record.run.id !== run.id) return { problem: `${RECORD_FILE} is foreign: it records run ${JSON.stringify(clean(record.run.id))}, not ${run.id}` }
  const byName = new Map(run.files.map((f) => [f.name, f]))
  const evidence: { name: string; bytes: Buffer }[] = []
  const named = new Set<string>()
  for (const e of record.evidence) {
    if (named.has(e.name) || PUBLICATION_FILES.includes(e.name)) return { problem: `${RECORD_FILE} is edited: it lists ${e.name} ${named.has(e.name) ? 'twice' : 'as evidence'}` }
    named.add(e.name)
    const f = byName.get(e.name)
    if (!f) return { problem: `the folder has no ${e.name}, which ${RECORD_FILE} lists as evidence` }
    if (f.bytes.length !== e.sizeBytes || sha256(f.bytes) !== e.sha256) return { problem: `${e.name} does not match its sha256 in ${RECORD_FILE} (edited after publishing)` }
    evidence.push(f)
  }
  const extra = run.files.filter((f) => !named.has(f.name) && !PUBLICATION_FILES.includes(f.name))
  if (extra.length) return { problem: `${extra.map((f) => f.name).join(', ')} ${extra.length === 1 ? 'is' : 'are'} not in ${RECORD_FILE} (added after publishing)` }
  return { record, evidence }
}

/** True when the history already holds this published run with exactly its evidence (launched here, say). */
export function alreadyHeld(store: Store, run: PublishedFolder): boolean {
  const checked = checkRecord(run)
  if ('problem' in checked) return false
  const held = store.artifacts.list(run.id)
  if (!store.runs.exists(run.id) || held.length !== checked.evidence.length) return false
  const want = new Map(checked.record.evidence.map((e) => [e.name, e.sha256]))
  return held.every((a) => want.get(a.name) === a.sha256)
}

/**
 * Called after the importer stored `run` as a plain run: replaces it with the restored run in one
 * transaction (evidence only as artifacts, the record's params, timings, log and state, the
 * narratives it already had), then judges it from the store.
 */
export function restorePublished(store: Store, run: PublishedFolder, now = Date.now()): RestoreOutcome {
  const checked = checkRecord(run)
  if ('problem' in checked) return { restored: false, note: `imported as a plain run, nothing restored: ${checked.problem}` }
  const { record, evidence } = checked
  const before = store.runs.get(run.id)
  if (!before) return { restored: false, note: 'nothing restored: the run is not in the history' }
  const r = cleanDeep(record.run)
  // The version comes from the evidence (the nodes' own answers), never from the record.
  const { meta } = evaluateRun({ artifacts: evidence })
  const annotations = store.annotations.history(run.id)
  const state = r.state === 'running' ? 'interrupted' : r.state
  store.transaction(() => {
    store.runs.delete(run.id)
    store.runs.insert({
      id: run.id,
      campaign: r.campaign,
      source: r.source,
      state,
      evaluation: before.evaluation,
      params: cleanDeep(record.params),
      aiMemoryRef: r.aiMemoryRef,
      aiMemoryVersion: meta.aiMemoryVersion,
      aiMemoryCommit: r.aiMemoryCommit,
      startedAt: r.startedAt,
      completedAt: r.completedAt,
      durationMs: r.durationMs,
      // The whole folder's hash, as the importer computed it: importing the same folder again is "unchanged".
      contentSha256: run.contentSha256,
      createdAt: now,
    })
    for (const f of evidence) store.artifacts.put(run.id, f.name, f.bytes, now)
    for (const a of annotations) store.annotations.add(run.id, a.annotation, a.source, a.author, a.createdAt, a.citations)
    store.timings.insertAll(run.id, record.phaseTimings)
    store.logs.append(run.id, record.log.map((l) => ({ at: l.at, phase: l.phase, host: l.host === null ? null : clean(l.host), stream: l.stream, line: clean(l.line) })))
    store.runs.update(run.id, { costUsd: r.costUsd, stopReason: r.stopReason })
    // What the run never undid still keeps it from passing here; entered as failed with no undo
    // command, so `shipgate recover` never runs anything a record says.
    for (const u of r.unresolved) {
      const id = store.journal.insert({ runId: run.id, hostRole: u.hostRole, kind: u.kind, label: u.label, undo: '', createdAt: now })
      store.journal.resolve(id, 'failed', now, u.state === 'pending' ? `never undone (still pending when the run was published)${u.detail ? `: ${u.detail}` : ''}` : (u.detail ?? 'no detail'))
    }
    judgeStored(store, run.id)
  })
  const after = store.runs.get(run.id)
  const verdict = after?.verdict ?? 'incomplete'
  const disagreements = [
    ...(record.run.verdict !== verdict ? [`the record says ${clean(record.run.verdict).toUpperCase()}, the evidence gives ${verdict.toUpperCase()}`] : []),
    ...(record.run.aiMemoryVersion !== meta.aiMemoryVersion ? [`the record's ai-memory version ${JSON.stringify(clean(record.run.aiMemoryVersion ?? 'none'))} is not the evidence's ${JSON.stringify(meta.aiMemoryVersion ?? 'none')}, which is kept`] : []),
  ]
  return {
    restored: true,
    note: `restored params, ${record.phaseTimings.length} phase timing(s), ${record.log.length} log line(s) and state ${state} from ${RECORD_FILE}; judged ${verdict.toUpperCase()} from the evidence${disagreements.length ? ` (${disagreements.join('; ')})` : ''}`,
  }
}
