// JSON inside text: the object a command printed (whole stdout, else the last top-level object, as
// some commands print log lines before their JSON), JSON-RPC lines, and JSONL artifacts.
export function lastJsonObject(stdout: string): Record<string, unknown> | null {
  const text = stdout.trim()
  const asObject = (v: unknown) => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : null)
  try {
    return asObject(JSON.parse(text))
  } catch {
    /* fall through to scanning */
  }
  const lines = text.split('\n')
  for (let i = lines.length - 1; i >= 0; i--) {
    if (!(lines[i] ?? '').startsWith('{')) continue
    try {
      return asObject(JSON.parse(lines.slice(i).join('\n')))
    } catch {
      /* keep scanning upwards */
    }
  }
  return null
}

/** One JSON value per line (JSON-RPC over stdio, JSONL). */
export function jsonLines(stdout: string): unknown[] {
  return stdout.split('\n').flatMap((l) => {
    try {
      return l.trim() ? [JSON.parse(l) as unknown] : []
    } catch {
      return []
    }
  })
}

/**
 * A JSONL artifact read strictly: every non-empty line must be a JSON object. One bad line makes
 * the whole file unusable, with the line named; rows are never silently dropped.
 */
export function parseJsonlObjects(text: string, name: string): { rows: Record<string, unknown>[] } | { error: string } {
  const rows: Record<string, unknown>[] = []
  const lines = text.split('\n')
  for (let i = 0; i < lines.length; i++) {
    const line = (lines[i] ?? '').trim()
    if (!line) continue
    let value: unknown
    try {
      value = JSON.parse(line)
    } catch {
      const at = jsonSyntaxError(line)
      return { error: `${name} line ${i + 1} is not JSON${at ? ` (${at.reason} at column ${at.column})` : ''}` }
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return { error: `${name} line ${i + 1} is not a JSON object` }
    rows.push(value as Record<string, unknown>)
  }
  return { rows }
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
