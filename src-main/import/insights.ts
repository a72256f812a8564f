// The hand-written three-audience narratives of ship-gate (`analysis/run-insights.json`) as
// annotations. Text is kept as text; links are kept only when they are https.
import type { Annotation, BugNote } from '@shared/domain'
import { isRecord, str } from '../evidence/normalize'
import { safeUrl } from '../lib/links'
import { jsonSyntaxError } from '../evidence/json-text'

export type InsightsMap = Map<string, Annotation>

function text(v: unknown): string {
  return str(v)?.trim() ?? ''
}


function bugs(v: unknown): BugNote[] {
  if (!Array.isArray(v)) return []
  return v.filter(isRecord).map((b) => ({
    title: text(b.title),
    impact: text(b.impact),
    rootCause: text(b.root_cause),
    fixedIn: (Array.isArray(b.fixed_in) ? b.fixed_in : []).filter(isRecord).flatMap((f) => {
      const url = safeUrl(f.url)
      return url ? [{ label: text(f.label) || url, url }] : []
    }),
  }))
}

export function insightToAnnotation(v: Record<string, unknown>): Annotation {
  return {
    headline: text(v.headline),
    verdictLine: text(v.verdict),
    whatItTested: text(v.what_it_tested),
    whatItProved: text(v.what_it_proved),
    forNonTechnical: text(v.for_non_technical),
    forCLevel: text(v.for_c_level),
    forEngineers: text(v.for_sme),
    bugs: bugs(v.bugs),
    nextRunChange: text(v.next_run_change),
  }
}

/** Parses run-insights.json; keys starting with `__` are schema notes, not runs. Errors never quote the text. */
export function parseInsights(json: string): InsightsMap {
  let value: unknown
  try {
    value = JSON.parse(json)
  } catch {
    const at = jsonSyntaxError(json)
    throw new Error(at ? `not valid JSON: ${at.reason} at line ${at.line}, column ${at.column}` : 'not valid JSON')
  }
  if (!isRecord(value)) throw new Error('run-insights.json is not a JSON object keyed by campaign id')
  const out: InsightsMap = new Map()
  for (const [key, entry] of Object.entries(value)) {
    if (key.startsWith('__') || !isRecord(entry)) continue
    out.set(key, insightToAnnotation(entry))
  }
  return out
}
