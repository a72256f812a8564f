import { describe, expect, it } from 'vitest'
import { TimeAccounting } from '../../src-main/engine/accounting'
import { curlConfigString, parseCurlResponse } from '../../src-main/engine/context'
import { lastJsonObject } from '../../src-main/evidence/json-text'
import { redact, redactDeep } from '../../src-main/lib/redact'
import { parseArgs } from '../../src-main/sim/index'
import { parseBugs } from '../../src-main/sim/bugs'

describe('time accounting', () => {
  it('counts the union of overlapping busy intervals', () => {
    let t = 0
    const acc = new TimeAccounting(() => t)
    const a = acc.begin() // 0..10
    t = 5
    const b = acc.begin() // 5..20
    t = 10
    a()
    t = 20
    b()
    t = 30
    const c = acc.begin() // 30..35
    t = 35
    c()
    c() // ending twice counts once
    t = 50
    expect(acc.busyMs()).toBe(25)
  })
})

describe('curl helpers', () => {
  it('parses status, headers and body, skipping interim responses', () => {
    const r = parseCurlResponse('HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 503 Service Unavailable\r\nretry-after: 2\r\nDate: Sat, 28 Nov 2026 10:00:55 GMT\r\n\r\n{"error":"quorum_not_met"}', 0)
    expect(r.status).toBe(503)
    expect(r.headers['retry-after']).toBe('2')
    expect(r.body).toBe('{"error":"quorum_not_met"}')
    expect(parseCurlResponse('', 7)).toMatchObject({ status: 0, curlExit: 7 })
  })
  it('quotes config values so hostile text stays data', () => {
    expect(curlConfigString('a"b\\c\nd')).toBe('"a\\"b\\\\c\\nd"')
  })
})

describe('command output', () => {
  it('finds the JSON object after log lines', () => {
    expect(lastJsonObject('[x] starting\n{\n  "total": 3\n}\n')).toEqual({ total: 3 })
    expect(lastJsonObject('no json here')).toBeNull()
    expect(lastJsonObject('[1,2]')).toBeNull()
  })
})

describe('secrets', () => {
  it('masks URL passwords in text and in nested values', () => {
    expect(redact('migrate --to postgres://ai:s3cr3t@10.0.0.1:5432/db --batch 5')).toBe('migrate --to postgres://ai:***@10.0.0.1:5432/db --batch 5')
    expect(redactDeep({ a: ['postgres://u:p@h/d'], n: 1 })).toEqual({ a: ['postgres://u:***@h/d'], n: 1 })
  })
})

describe('simulator command line', () => {
  it('parses flags like clap: long, short, =value, booleans', () => {
    const a = parseArgs(['store', '-T', 'title', '--content=c', '--json', '--tier', 'mid', '--', '--not-a-flag'])
    expect(a.positional).toEqual(['store', '--not-a-flag'])
    expect(Object.fromEntries(a.flags)).toEqual({ title: 'title', content: 'c', json: true, tier: 'mid' })
    expect(() => parseArgs(['store', '--title'])).toThrow(/needs a value/)
  })
  it('knows its bug switches and refuses unknown ones', () => {
    expect(parseBugs('drop-fanout, lose-rows=5')).toEqual({ 'drop-fanout': 'on', 'lose-rows': '5' })
    expect(() => parseBugs('nope')).toThrow(/unknown bug switch/)
  })
})
