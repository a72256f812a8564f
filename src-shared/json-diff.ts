// Diffs for the comparison view: a structural diff of two JSON values (the paths that were added,
// removed or changed) and a line diff of text artifacts.
import { diffLines } from 'diff'
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

/**
 * A line diff for text artifacts such as harness logs: the `diff` package's Myers algorithm (O(ND),
 * where an LCS table would hold n·m cells: ~36 MB at 3,000 lines each).
 */
export function lineDiff(a: string, b: string, maxLines = 20_000): LineChange[] {
  // Every line ends with a newline, so a last line without one still matches the same line elsewhere.
  const cut = (t: string) => {
    const lines = t.split('\n').slice(0, maxLines)
    if (lines[lines.length - 1] === '') lines.pop()
    return lines.map((l) => `${l}\n`).join('')
  }
  const out: LineChange[] = []
  for (const part of diffLines(cut(a), cut(b))) {
    const kind: LineChange['kind'] = part.added ? 'added' : part.removed ? 'removed' : 'same'
    const lines = part.value.split('\n')
    // diffLines keeps each line's newline: the last piece after a final newline is empty.
    if (lines[lines.length - 1] === '') lines.pop()
    for (const line of lines) out.push({ kind, line })
  }
  return out
}
