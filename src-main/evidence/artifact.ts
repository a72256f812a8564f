// Classification of raw artifact bytes. Pure: no file system, no clock.
import type { PhaseNumber } from '@shared/domain'
import { jsonSyntaxError } from './json-text'
import { isRecord } from './normalize'

export type ParsedArtifact =
  | { kind: 'json'; value: Record<string, unknown> }
  | { kind: 'empty' }
  | { kind: 'log'; text: string }
  | { kind: 'invalid'; error: string }

export interface ArtifactRole {
  phase: PhaseNumber | null
  /** node-a/b/c for phase-1 files. */
  subject: string | null
  kind: 'summary' | 'phase' | 'cycles' | 'log' | 'other'
  mediaType: string
}

const PHASE1_FILE = /^phase1-(node-[abc])\.json$/
const PHASE_FILE = /^phase([234])\.json$/

export function artifactRole(name: string): ArtifactRole {
  if (name === 'campaign-summary.json') return { phase: null, subject: null, kind: 'summary', mediaType: 'application/json' }
  const p1 = PHASE1_FILE.exec(name)
  if (p1) return { phase: 1, subject: p1[1] ?? null, kind: 'phase', mediaType: 'application/json' }
  const p = PHASE_FILE.exec(name)
  if (p) return { phase: Number(p[1]) as PhaseNumber, subject: null, kind: 'phase', mediaType: 'application/json' }
  if (name === 'phase4-cycles.jsonl') return { phase: 4, subject: null, kind: 'cycles', mediaType: 'application/x-ndjson' }
  if (name.endsWith('.log')) return { phase: null, subject: null, kind: 'log', mediaType: 'text/plain' }
  if (name.endsWith('.json')) return { phase: null, subject: null, kind: 'other', mediaType: 'application/json' }
  return { phase: null, subject: null, kind: 'other', mediaType: 'application/octet-stream' }
}

const HARNESS_LOG_LINE = /^\[(chaos|phase[1-4])\]/m

export function parseArtifact(bytes: Uint8Array): ParsedArtifact {
  if (bytes.length === 0) return { kind: 'empty' }
  if (bytes.includes(0)) return { kind: 'invalid', error: 'binary data (NUL bytes), not JSON' }
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8')
  if (text.trim() === '') return { kind: 'empty' }
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch {
    if (HARNESS_LOG_LINE.test(text)) return { kind: 'log', text }
    // Our own words: JSON.parse's message quotes the file, which may be anything.
    const at = jsonSyntaxError(text)
    return { kind: 'invalid', error: at ? `not JSON (${at.reason} at line ${at.line}, column ${at.column})` : 'not JSON' }
  }
  if (!isRecord(value)) {
    const what = Array.isArray(value) ? 'an array' : value === null ? 'null' : `a ${typeof value}`
    return { kind: 'invalid', error: `JSON ${what}, not an object` }
  }
  return { kind: 'json', value }
}

export function describeUnusable(name: string, parsed: ParsedArtifact): string {
  switch (parsed.kind) {
    case 'empty':
      return `${name} is empty: the phase script aborted before printing its JSON`
    case 'log':
      return `${name} is a harness log, not the phase JSON`
    case 'invalid':
      return `${name} is unusable: ${parsed.error}`
    case 'json':
      return `${name} parsed`
  }
}
