// src-main/sim/bugs.ts: the simulator's bug switches, the faults the self-test plants, each shown changing what a check reads.

import { readdirSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { BUG_SWITCHES, parseBugs } from '../../src-main/sim/bugs'
import { useTmp } from '../helpers/tmp'
import { aim } from '../helpers/sim'

const tmp = useTmp()

describe('bug switches', () => {
  it('parses a list of switches and refuses unknown ones', () => {
    expect(parseBugs('drop-fanout, lose-rows=5')).toEqual({ 'drop-fanout': 'on', 'lose-rows': '5' })
    expect(() => parseBugs('nope')).toThrow(/unknown bug switch/)
  })

  it('every switch the self-test uses is known, with a one-line description', () => {
    for (const name of ['stats-zero', 'extra-snapshot', 'quorum-never-ok', 'forward-short', 'idempotent-dup', 'reverse-error']) {
      expect(BUG_SWITCHES[name as keyof typeof BUG_SWITCHES]).toMatch(/^[^\n]{10,}$/)
    }
    expect(parseBugs('forward-short=3,stats-zero')).toEqual({ 'forward-short': '3', 'stats-zero': 'on' })
    expect(() => parseBugs('no-such-bug')).toThrow(/unknown bug switch no-such-bug/)
  })

  it('stats-zero and extra-snapshot change what the phase-1 checks read', () => {
    const d = tmp()
    const env = { AI_MEMORY_SIM_BUGS: 'stats-zero,extra-snapshot' }
    aim(['--db', join(d, 'm.db'), 'store', '--title', 't', '--content', 'c', '--namespace', 'p'], { cwd: d, env })
    expect((JSON.parse(aim(['--db', join(d, 'm.db'), 'stats', '--json'], { cwd: d, env }).stdout) as { total: number }).total).toBe(0)
    expect((JSON.parse(aim(['--db', join(d, 'm.db'), 'stats', '--json'], { cwd: d }).stdout) as { total: number }).total).toBe(1)
    aim(['--db', join(d, 'm.db'), 'backup', '--to', join(d, 'b'), '--keep', '1'], { cwd: d, env })
    expect(readdirSync(join(d, 'b')).filter((f) => f.endsWith('.db'))).toHaveLength(2)
  })
})
