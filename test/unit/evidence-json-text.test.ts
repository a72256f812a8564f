// src-main/evidence/json-text.ts: the JSON a command printed after its log lines.

import { describe, expect, it } from 'vitest'
import { lastJsonObject } from '../../src-main/evidence/json-text'

describe('command output', () => {
  it('finds the JSON object after log lines', () => {
    expect(lastJsonObject('[x] starting\n{\n  "total": 3\n}\n')).toEqual({ total: 3 })
    expect(lastJsonObject('no json here')).toBeNull()
    expect(lastJsonObject('[1,2]')).toBeNull()
  })
})
