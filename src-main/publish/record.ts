// The files a published run adds beside its evidence in the team's evidence repo (runs/<id>/):
// ship-gate's campaign-summary.json, our log as text, and shipgate-run.json, the record from which
// an import restores what the evidence alone cannot say (params, phase timings, log, state).
// Pure: no file system. A record is stable: the same run gives the same bytes every time, so a
// second publish changes nothing.
import { z } from 'zod'
import { ARTIFACT_NAME_PATTERN, RUN_ID_PATTERN, describeBundleIssues } from '@shared/bundle'
import type { PhaseNumber, RunEvaluation } from '@shared/domain'
import type { LogStream } from '@shared/progress'

export const RECORD_FORMAT = 'shipgate-published-run@1'
export const RECORD_FILE = 'shipgate-run.json'
export const LOG_FILE = 'shipgate-run.log'
export const SUMMARY_FILE = 'campaign-summary.json'
/** Files a publish writes that are not evidence: an import does not keep them as artifacts. */
export const PUBLICATION_FILES: readonly string[] = [RECORD_FILE, LOG_FILE, SUMMARY_FILE]

/** ship-gate's phase files: what collect_reports.sh slurps into `phases` (its phase-reports/ held only these). */
const PHASE_FILE = /^(phase1-node-[a-z0-9-]+|phase[234])\.json$/

const ms = z.number().int().min(0).max(8.64e15)
const text = (max: number) => z.string().max(max)

export const recordSchema = z
  .object({
    format: z.literal(RECORD_FORMAT),
    run: z
      .object({
        id: z.string().regex(RUN_ID_PATTERN, 'letters, digits and . _ + - (at most 128)'),
        campaign: text(200).min(1),
        source: z.enum(['launched', 'bundle']),
        state: z.enum(['running', 'completed', 'interrupted', 'cancelled']),
        verdict: text(20),
        reason: text(4000),
        aiMemoryRef: text(200).nullable(),
        aiMemoryVersion: text(200).nullable(),
        aiMemoryCommit: text(200).nullable(),
        startedAt: ms.nullable(),
        completedAt: ms.nullable(),
        durationMs: ms.nullable(),
        costUsd: z.number().min(0).max(1e9).nullable(),
        stopReason: text(2000).nullable(),
        /** Journal entries the run never undid (a fault whose heal was not verified): they keep a verdict from passing. */
        unresolved: z
          .array(
            z
              .object({ kind: z.enum(['fault', 'process']), hostRole: z.enum(['node-a', 'node-b', 'node-c', 'chaos']), label: text(2000), state: z.enum(['pending', 'failed']), detail: text(2000).nullable() })
              .strict(),
          )
          .max(1000),
      })
      .strict(),
    params: z.record(z.string(), z.unknown()),
    phaseTimings: z
      .array(z.object({ phase: z.union([z.literal(1), z.literal(2), z.literal(3), z.literal(4)]), startedAt: ms.nullable(), finishedAt: ms.nullable() }).strict())
      .max(4),
    /** Shown for people; never trusted: an import judges the evidence again. */
    evaluation: z.record(z.string(), z.unknown()),
    evidence: z
      .array(z.object({ name: z.string().regex(ARTIFACT_NAME_PATTERN, 'a plain file name'), sha256: z.string().regex(/^[0-9a-f]{64}$/, 'a sha256 in hex'), sizeBytes: z.number().int().min(0) }).strict())
      .max(64),
    log: z
      .array(
        z
          .object({
            at: ms,
            phase: z.number().int().min(1).max(4).nullable(),
            host: text(200).nullable(),
            stream: z.enum(['stdout', 'stderr', 'info', 'command']),
            line: text(100_000),
          })
          .strict(),
      )
      .max(2_000_000),
  })
  .strict()

export type PublishedRecord = z.infer<typeof recordSchema>

export interface RecordLogLine {
  at: number
  phase: number | null
  host: string | null
  stream: LogStream
  line: string
}

export interface RecordInput {
  run: PublishedRecord['run']
  params: Record<string, unknown>
  phaseTimings: { phase: PhaseNumber; startedAt: number | null; finishedAt: number | null }[]
  evaluation: RunEvaluation
  evidence: { name: string; bytes: Uint8Array; sha256: string }[]
  log: RecordLogLine[]
}

export function buildRecord(input: RecordInput): PublishedRecord {
  return {
    format: RECORD_FORMAT,
    run: input.run,
    params: input.params,
    phaseTimings: input.phaseTimings,
    evaluation: input.evaluation as unknown as Record<string, unknown>,
    evidence: [...input.evidence].sort((a, b) => (a.name < b.name ? -1 : 1)).map((e) => ({ name: e.name, sha256: e.sha256, sizeBytes: e.bytes.length })),
    log: input.log.map((l) => ({ at: l.at, phase: l.phase, host: l.host, stream: l.stream, line: l.line })),
  }
}

export function recordText(record: PublishedRecord): string {
  return `${JSON.stringify(record, null, 2)}\n`
}

/** The record of a published folder, or why it is not one (never echoing its content). */
export function parseRecord(bytes: Uint8Array): { record: PublishedRecord } | { problem: string } {
  let raw: unknown
  try {
    raw = JSON.parse(Buffer.from(bytes).toString('utf8')) as unknown
  } catch {
    return { problem: `${RECORD_FILE} is garbled (not JSON)` }
  }
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) return { problem: `${RECORD_FILE} is garbled (not a JSON object)` }
  const format = (raw as { format?: unknown }).format
  if (format !== RECORD_FORMAT) {
    return { problem: `${RECORD_FILE} is foreign: its format is ${typeof format === 'string' ? JSON.stringify(clean(format).slice(0, 60)) : 'missing'}, not ${RECORD_FORMAT}` }
  }
  const parsed = recordSchema.safeParse(raw)
  if (!parsed.success) return { problem: `${RECORD_FILE} is not a valid record: ${describeBundleIssues(parsed.error).join('; ')}` }
  return { record: parsed.data }
}

/** Text from a file someone else wrote must not drive a terminal: escape codes and other controls go. */
export function clean(value: string): string {
  // eslint-disable-next-line no-control-regex
  return value.replace(/\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[@-_]?/g, '').replace(/[\x00-\x08\x0b-\x1f\x7f-\x9f]/g, '')
}

/** Every string of a JSON value cleaned (keys too). */
export function cleanDeep<T>(value: T): T {
  if (typeof value === 'string') return clean(value) as T
  if (Array.isArray(value)) return value.map(cleanDeep) as T
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [clean(k), cleanDeep(v)])) as T
  return value
}

/** ship-gate's phase files among a run's artifacts, in the order bash expands `phase-reports/*.json`. */
export function phaseFiles<T extends { name: string }>(artifacts: T[]): T[] {
  return artifacts.filter((a) => PHASE_FILE.test(a.name)).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
}

/**
 * campaign-summary.json with exactly collect_reports.sh's keys. `phases` is what `jq -s .` makes of
 * the phase files (an empty list when one is not JSON, as the script's fallback writes);
 * `overall_pass` is our verdict, not the files' own flags; `completed_at` is the run's, so a second
 * publish writes the same bytes.
 */
export function campaignSummary(input: { id: string; aiMemoryRef: string | null; completedAt: number | null; verdict: string; artifacts: { name: string; bytes: Uint8Array }[] }): string {
  let phases: unknown[]
  try {
    phases = phaseFiles(input.artifacts).flatMap((a) => jsonValues(Buffer.from(a.bytes).toString('utf8')))
  } catch {
    phases = []
  }
  const summary = {
    campaign_id: input.id,
    ai_memory_git_ref: input.aiMemoryRef ?? 'unknown',
    completed_at: input.completedAt === null ? 'unknown' : new Date(input.completedAt).toISOString().replace(/\.\d{3}Z$/, 'Z'),
    overall_pass: input.verdict === 'pass',
    phases,
  }
  return `${JSON.stringify(summary, null, 2)}\n`
}

/** The JSON values of a text, as `jq -s` reads a file (one or more whitespace-separated values). */
function jsonValues(textIn: string): unknown[] {
  const t = textIn.trim()
  if (t === '') return []
  try {
    return [JSON.parse(t) as unknown]
  } catch {
    // JSON Lines or concatenated values: one per line is all our writers produce.
    return t.split('\n').filter((l) => l.trim() !== '').map((l) => JSON.parse(l) as unknown)
  }
}

/** One log line per line, tab-separated (time, phase, host, stream, text), with \\ \t \n \r and controls escaped. */
export function logText(lines: RecordLogLine[]): string {
  const esc = (s: string) =>
    // eslint-disable-next-line no-control-regex
    s.replace(/[\\\t\n\r\x00-\x08\x0b\x0c\x0e-\x1f\x7f]/g, (c) => (c === '\\' ? '\\\\' : c === '\t' ? '\\t' : c === '\n' ? '\\n' : c === '\r' ? '\\r' : `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`))
  const head = 'time\tphase\thost\tstream\tline\n'
  return head + lines.map((l) => `${new Date(l.at).toISOString()}\t${l.phase ?? '-'}\t${esc(l.host ?? '-')}\t${l.stream}\t${esc(l.line)}\n`).join('')
}
