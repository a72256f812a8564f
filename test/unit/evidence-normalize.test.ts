// src-main/evidence/normalize.ts: fields of untrusted artifacts read strictly, never guessed.

import { describe, expect, it } from 'vitest'
import { bool, num, strList } from '../../src-main/evidence/normalize'

describe('field normalisation', () => {
  it('reads numbers given as numbers or numeric strings only', () => {
    expect(num(200)).toBe(200)
    expect(num('200')).toBe(200)
    expect(num(' 0.995 ')).toBe(0.995)
    expect(num('ERR')).toBeNull()
    expect(num('')).toBeNull()
    expect(num('12abc')).toBeNull()
    expect(num(Number.NaN)).toBeNull()
    expect(num(null)).toBeNull()
    expect(num(true)).toBeNull()
  })
  it('treats "reasons": [""] as no reasons', () => {
    expect(strList([''])).toEqual([])
    expect(strList(['x', '', 3])).toEqual(['x'])
    expect(strList('x')).toBeNull()
  })
  it('reads booleans strictly', () => {
    expect(bool(true)).toBe(true)
    expect(bool('false')).toBe(false)
    expect(bool(1)).toBeNull()
  })
})
