import { randomBytes } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { jsonSyntaxError } from '../../src-main/evidence/json-text'
import { parseInsights } from '../../src-main/import/insights'

function parses(text: string): boolean {
  try {
    JSON.parse(text)
    return true
  } catch {
    return false
  }
}

describe('narratives JSON errors', () => {
  it('locates errors by line and column, in words that quote nothing of the text', () => {
    expect(jsonSyntaxError('{"a": 1}')).toBeNull()
    expect(jsonSyntaxError('root:x:0:0:root:/root:/bin/bash')).toEqual({ line: 1, column: 1, reason: 'unexpected character' })
    expect(jsonSyntaxError('{\n  "a": 1,\n  secret\n}')).toEqual({ line: 3, column: 3, reason: 'expected a property name in double quotes' })
    expect(jsonSyntaxError('["abc')).toEqual({ line: 1, column: 6, reason: 'unterminated string' })
    expect(jsonSyntaxError('{"a": tru}')).toEqual({ line: 1, column: 7, reason: 'unexpected character' })
    expect(jsonSyntaxError('{} x')).toEqual({ line: 1, column: 4, reason: 'unexpected text after the JSON value' })
    expect(jsonSyntaxError('[1,]')).toEqual({ line: 1, column: 4, reason: 'unexpected character' })
    expect(jsonSyntaxError('"\\q"')).toEqual({ line: 1, column: 2, reason: 'bad escape in a string' })
    expect(jsonSyntaxError('[01]')).toEqual({ line: 1, column: 3, reason: "expected ',' or ']'" })
    expect(jsonSyntaxError(`${'['.repeat(5000)}`)?.reason).toMatch(/nested deeper/)
  })

  it('agrees with JSON.parse on what is JSON (random mutations of a narratives file)', () => {
    const base = JSON.stringify({ __schema__: 'x', 'v0.6.0.0-final-r13': { headline: 'a "quoted" \\ line\n', bugs: [{ title: 't', fixed_in: [{ url: 'https://e.x/1', label: 'PR' }] }], n: -1.5e3, ok: true, no: null } }, null, 1)
    const alphabet = '{}[]":,\\ \n0123456789-+.eEtrufalsn\u0001aé'
    for (let i = 0; i < 3000; i++) {
      const bytes = randomBytes(4)
      const at = (bytes.readUInt16BE(0) % (base.length + 1)) as number
      const ch = alphabet[(bytes[2] as number) % alphabet.length] as string
      const text = bytes[3]! % 2 ? base.slice(0, at) + ch + base.slice(at) : base.slice(0, at) + base.slice(at + 1)
      expect(jsonSyntaxError(text) === null, text).toBe(parses(text))
    }
  })

  it('parse errors name the position, not the content', () => {
    expect(() => parseInsights('root:SECRET-5f3a:19700:0')).toThrow(/^not valid JSON: unexpected character at line 1, column 1$/)
  })
})
