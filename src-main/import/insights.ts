// The hand-written three-audience narratives of ship-gate (`analysis/run-insights.json`) as
// annotations. Text is kept as text; links are kept only when they are https.
import type { Annotation, BugNote } from '@shared/domain'
import { isRecord, str } from '../evidence/normalize'
import { safeUrl } from '../lib/links'

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

/**
 * Where and why `text` is not JSON, in words of our own: JSON.parse's messages quote the text
 * ("Unexpected token 'r', "root:x:0:0"... is not valid JSON"), and the file may be anything.
 */
export function jsonSyntaxError(text: string): { line: number; column: number; reason: string } | null {
  const MAX_DEPTH = 1000
  let i = 0
  class Stop {
    constructor(readonly reason: string) {}
  }
  const fail = (reason: string): never => {
    throw new Stop(reason)
  }
  const ws = () => {
    while (i < text.length && ' \t\n\r'.includes(text[i] as string)) i++
  }
  const string = () => {
    i++ // the opening quote
    for (;;) {
      const c = text.charCodeAt(i)
      if (Number.isNaN(c)) fail('unterminated string')
      if (c === 0x22) return void i++
      if (c < 0x20) fail('control character in a string')
      if (c === 0x5c) {
        const e = text[i + 1]
        if (e === 'u') {
          if (!/^[0-9A-Fa-f]{4}$/.test(text.slice(i + 2, i + 6))) fail('bad \\u escape in a string')
          i += 6
        } else if (e !== undefined && '"\\/bfnrt'.includes(e)) i += 2
        else fail('bad escape in a string')
      } else i++
    }
  }
  const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y
  const value = (depth: number): void => {
    ws()
    if (depth > MAX_DEPTH) fail(`nested deeper than ${MAX_DEPTH} levels`)
    const c = text[i]
    if (c === undefined) return fail('unexpected end of the text')
    if (c === '"') return string()
    if (c === '{' || c === '[') {
      const close = c === '{' ? '}' : ']'
      i++
      ws()
      if (text[i] === close) return void i++
      for (;;) {
        if (c === '{') {
          ws()
          if (text[i] !== '"') fail('expected a property name in double quotes')
          string()
          ws()
          if (text[i] !== ':') fail("expected ':' after a property name")
          i++
        }
        value(depth + 1)
        ws()
        if (text[i] === ',') i++
        else if (text[i] === close) return void i++
        else fail(`expected ',' or '${close}'`)
      }
    }
    NUMBER.lastIndex = i
    if (NUMBER.test(text)) return void (i = NUMBER.lastIndex)
    for (const literal of ['true', 'false', 'null']) if (text.startsWith(literal, i)) return void (i += literal.length)
    fail('unexpected character')
  }
  try {
    value(0)
    ws()
    if (i < text.length) fail('unexpected text after the JSON value')
    return null
  } catch (err) {
    if (!(err instanceof Stop)) throw err
    const before = text.slice(0, i)
    const line = before.split('\n').length
    return { line, column: i - before.lastIndexOf('\n'), reason: err.reason }
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
