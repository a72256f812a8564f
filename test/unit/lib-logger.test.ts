import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { fileLogger } from '../../src-main/lib/logger'
import { registerSecret } from '../../src-main/lib/redact'
import { useTmp } from '../helpers/tmp'

const tmp = useTmp()

describe("the main process's log", () => {
  it('masks secrets, keeps one event per line, and rotates by size', () => {
    const file = join(tmp(), 'logs', 'main.log')
    const log = fileLogger({ file, maxBytes: 400, keep: 2, now: () => new Date('2026-11-30T12:00:00Z') })
    registerSecret('dop_v1_0123456789abcdef0123456789abcdef')
    log.error('DigitalOcean refused', { url: 'postgres://u:pa/ss@db/x', token: 'dop_v1_0123456789abcdef0123456789abcdef' })
    log.info('two\nlines')
    const text = readFileSync(file, 'utf8')
    expect(text).not.toContain('pa/ss')
    expect(text).not.toContain('0123456789abcdef')
    expect(text.split('\n').filter(Boolean)).toHaveLength(2)
    expect(text).toContain('2026-11-30T12:00:00.000Z INFO  two\\nlines')
    for (let i = 0; i < 40; i++) log.info(`event ${i}`)
    expect(existsSync(`${file}.1`)).toBe(true)
    expect(existsSync(`${file}.2`)).toBe(true)
    expect(existsSync(`${file}.3`)).toBe(false)
    expect(readFileSync(file, 'utf8')).toContain('event 39')
  })
})
