// A structural diff of two JSON values: the paths that were added, removed or changed.
export interface DiffEntry {
  path: string
  kind: 'added' | 'removed' | 'changed'
  from?: unknown
  to?: unknown
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}

export function jsonDiff(a: unknown, b: unknown, limit = 2000): DiffEntry[] {
  const out: DiffEntry[] = []
  const walk = (x: unknown, y: unknown, path: string) => {
    if (out.length >= limit) return
    if (Array.isArray(x) && Array.isArray(y)) {
      for (let i = 0; i < Math.max(x.length, y.length); i++) {
        const p = `${path}[${i}]`
        if (i >= x.length) out.push({ path: p, kind: 'added', to: y[i] })
        else if (i >= y.length) out.push({ path: p, kind: 'removed', from: x[i] })
        else walk(x[i], y[i], p)
      }
      return
    }
    if (isObject(x) && isObject(y)) {
      for (const k of new Set([...Object.keys(x), ...Object.keys(y)])) {
        const p = path ? `${path}.${k}` : k
        if (!(k in x)) out.push({ path: p, kind: 'added', to: y[k] })
        else if (!(k in y)) out.push({ path: p, kind: 'removed', from: x[k] })
        else walk(x[k], y[k], p)
      }
      return
    }
    if (JSON.stringify(x) !== JSON.stringify(y)) out.push({ path: path || '(root)', kind: 'changed', from: x, to: y })
  }
  walk(a, b, '')
  return out
}

export interface LineChange {
  kind: 'same' | 'added' | 'removed'
  line: string
}

/** A line diff (longest common subsequence) for text artifacts such as harness logs. */
export function lineDiff(a: string, b: string, maxLines = 3000): LineChange[] {
  const x = a.split('\n').slice(0, maxLines)
  const y = b.split('\n').slice(0, maxLines)
  const n = x.length
  const m = y.length
  const lcs: Uint32Array[] = Array.from({ length: n + 1 }, () => new Uint32Array(m + 1))
  for (let i = n - 1; i >= 0; i--) for (let j = m - 1; j >= 0; j--) lcs[i]![j] = x[i] === y[j] ? lcs[i + 1]![j + 1]! + 1 : Math.max(lcs[i + 1]![j]!, lcs[i]![j + 1]!)
  const out: LineChange[] = []
  let i = 0
  let j = 0
  while (i < n && j < m) {
    if (x[i] === y[j]) {
      out.push({ kind: 'same', line: x[i] as string })
      i++
      j++
    } else if (lcs[i + 1]![j]! >= lcs[i]![j + 1]!) out.push({ kind: 'removed', line: x[i++] as string })
    else out.push({ kind: 'added', line: y[j++] as string })
  }
  while (i < n) out.push({ kind: 'removed', line: x[i++] as string })
  while (j < m) out.push({ kind: 'added', line: y[j++] as string })
  return out
}
