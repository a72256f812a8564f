// src-main/transport/output.ts: a command's output is capped, and the cap says what it dropped.

import { describe, expect, it } from 'vitest'
import { CappedStream } from '../../src-main/transport/output'

describe('output cap', () => {
  it('keeps the tail and splits lines across chunks', () => {
    const lines: string[] = []
    const s = new CappedStream(10, (l) => lines.push(l))
    s.push('abc\ndef')
    s.push('ghi\r\njkl')
    s.push(Buffer.from('mno\n'))
    s.end()
    expect(lines).toEqual(['abc', 'defghi', 'jklmno'])
    expect(s.text()).toBe('i\r\njklmno\n')
    expect(s.dropped).toBe(9)
  })
})
