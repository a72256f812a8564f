// Lenient readers for fields of ship-gate artifacts. The real corpus holds numbers as strings
// ("200"), probe codes as strings ("201"), the `ERR` sentinel, and `"reasons": [""]`.
// Anything that is not clearly a value becomes null, and null is never a pass.

export const ERR_SENTINEL = 'ERR'

export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}

export function num(v: unknown): number | null {
  if (typeof v === 'number') return Number.isFinite(v) ? v : null
  if (typeof v === 'string' && /^\s*-?\d+(\.\d+)?\s*$/.test(v)) return Number(v)
  return null
}

export function isErrSentinel(v: unknown): boolean {
  return typeof v === 'string' && v.trim() === ERR_SENTINEL
}

export function bool(v: unknown): boolean | null {
  if (typeof v === 'boolean') return v
  if (v === 'true') return true
  if (v === 'false') return false
  return null
}

export function str(v: unknown): string | null {
  return typeof v === 'string' ? v : null
}

/** A list of strings with the empty entries dropped (`"reasons": [""]` means no reasons). */
export function strList(v: unknown): string[] | null {
  if (!Array.isArray(v)) return null
  return v.filter((x): x is string => typeof x === 'string' && x.trim() !== '')
}

export function get(obj: unknown, path: string): unknown {
  let cur: unknown = obj
  for (const key of path.split('.')) {
    if (!isRecord(cur)) return undefined
    cur = cur[key]
  }
  return cur
}
