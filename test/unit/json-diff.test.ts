import { describe, expect, it } from 'vitest'
import { jsonDiff, lineDiff } from '@shared/json-diff'

describe('diffs for the comparison view', () => {
  it('line diff: keeps order, marks what was added and removed', () => {
    expect(lineDiff('a\nb\nc', 'a\nc\nd')).toEqual([
      { kind: 'same', line: 'a' },
      { kind: 'removed', line: 'b' },
      { kind: 'same', line: 'c' },
      { kind: 'added', line: 'd' },
    ])
    expect(lineDiff('x\n', 'x\n')).toEqual([{ kind: 'same', line: 'x' }])
  })

  it('line diff of two 3,000-line logs that differ in a few lines lists exactly those', () => {
    const a = Array.from({ length: 3000 }, (_, i) => `[chaos] cycle ${i}: ok`).join('\n')
    const b = a.replace('[chaos] cycle 1500: ok', '[chaos] cycle 1500: FATAL')
    const d = lineDiff(a, b)
    expect(d.filter((l) => l.kind !== 'same')).toEqual([
      { kind: 'removed', line: '[chaos] cycle 1500: ok' },
      { kind: 'added', line: '[chaos] cycle 1500: FATAL' },
    ])
    expect(d.filter((l) => l.kind === 'same')).toHaveLength(2999)
  })

  it('json diff: paths added, removed and changed', () => {
    expect(jsonDiff({ a: 1, b: [1, 2] }, { a: 2, b: [1], c: true })).toEqual([
      { path: 'a', kind: 'changed', from: 1, to: 2 },
      { path: 'b[1]', kind: 'removed', from: 2 },
      { path: 'c', kind: 'added', to: true },
    ])
  })
})
