// Reading JSON printed by a command: whole stdout, else the last top-level object in it (some
// commands print log lines before their JSON).
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
