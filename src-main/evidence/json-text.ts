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
    } catch (err) {
      return { error: `${name} line ${i + 1} is not JSON (${err instanceof Error ? err.message : String(err)})` }
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return { error: `${name} line ${i + 1} is not a JSON object` }
    rows.push(value as Record<string, unknown>)
  }
  return { rows }
}
