// src-main/engine/context.ts: the curl helpers the engines send every HTTP request through.

import { describe, expect, it } from 'vitest'
import { curlConfigString, parseCurlResponse } from '../../src-main/engine/context'

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
