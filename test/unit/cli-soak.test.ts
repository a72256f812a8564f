// `shipgate soak` in process over a stored series: the JSON keys, exit codes, and untrusted names
// (a check subject from a host's artifact) cleaned of terminal escape codes.
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { main } from '../../src-main/cli/main'
import { soakRunExitCode } from '../../src-main/cli/soak'
import { Store } from '../../src-main/store/store'
import { useTmp } from '../helpers/tmp'
import { type FakeRun, storeSeries } from './soak-fixtures'

const tmp = useTmp()

async function cli(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = ''
  let err = ''
  const code = await main(['node', 'shipgate', ...args], { out: (t) => void (out += `${t}\n`), err: (t) => void (err += `${t}\n`), env: {}, isTty: false })
  return { code, out, err }
}

function db(series: Record<string, FakeRun[]>): string {
  const file = join(tmp(), 'h.sqlite')
  const store = Store.open(file)
  for (const [name, runs] of Object.entries(series)) storeSeries(store, name, runs)
  store.close()
  return file
}

describe('shipgate soak <series>', () => {
  it('prints exactly the documented JSON keys and exits 0 only on PASS', async () => {
    const file = db({ green: [{}, {}, {}], red: [{}, { verdict: 'fail' }] })
    const green = await cli(['--db', file, 'soak', 'green', '--json', '--expect', '3'])
    expect(green.code, green.err).toBe(0)
    const json = JSON.parse(green.out) as Record<string, unknown> & { criteria: Record<string, unknown>[] }
    expect(Object.keys(json)).toEqual(['series', 'runs', 'pass', 'fail', 'incomplete', 'verdict', 'criteria', 'gaps', 'flips'])
    expect(json.verdict).toBe('pass')
    expect(Object.keys(json.criteria[0] ?? {})).toEqual(['id', 'title', 'gating', 'state', 'summary', 'findings', 'detail'])
    expect(json.criteria.map((c) => c.id)).toEqual(['no_regression', 'kill_bound', 'wall_clock', 'cost', 'window', 'standard_thresholds', 'pass_rate'])
    // Without a window the same series is not proven.
    expect((await cli(['--db', file, 'soak', 'green'])).code).toBe(1)
    const red = await cli(['--db', file, 'soak', 'red', '--expect', '2'])
    expect(red.code).toBe(1)
    expect(red.out).toMatch(/✗ FAIL\s+No regression after the first pass/)
    expect(red.out).toMatch(/1 run\(s\) failed, 1 after the first pass \(red-r1\)/)
  })

  it('exits 2 for an unknown series and bad options', async () => {
    const file = db({ s: [{}] })
    const unknown = await cli(['--db', file, 'soak', 'nope'])
    expect(unknown.code).toBe(2)
    expect(unknown.err).toMatch(/no soak series "nope"/)
    expect((await cli(['--db', file, 'soak', 's', '--baseline', 'soon'])).code).toBe(2)
    expect((await cli(['--db', file, 'soak', 's', '--expect', '0'])).code).toBe(2)
    expect((await cli(['--db', file, 'soak', 's', '--cost-envelope', 'free'])).code).toBe(2)
    expect((await cli(['--db', file, 'soak', 'run', 'demo', '--count', '2', '--every', 'often'])).code).toBe(2)
  })

  it('cleans escape codes out of names that come from hosts', async () => {
    const hostile = '\x1b[2J\x1b]0;owned\x07fault'
    const flip = (s: 'pass' | 'fail'): FakeRun => ({ checks: { 'p1.x': s }, subject: hostile })
    const file = db({ h: [flip('pass'), flip('fail'), flip('pass')] })
    const r = await cli(['--db', file, 'soak', 'h', '--expect', '3'])
    expect(r.out).toContain('fault')
    expect(r.out).toMatch(/flaky p1\.x\[/)
    // eslint-disable-next-line no-control-regex
    expect(r.out).not.toMatch(/[\x1b\x07]/)
  })

  it('soak run: 1 when any run is not PASS, else 130 when stopped early, else 0', () => {
    expect(soakRunExitCode({ runs: 3, pass: 2 }, 'completed')).toBe(1)
    expect(soakRunExitCode({ runs: 3, pass: 2 }, 'stopped')).toBe(1)
    expect(soakRunExitCode({ runs: 2, pass: 2 }, 'stopped')).toBe(130)
    expect(soakRunExitCode({ runs: 2, pass: 2 }, 'cancelled')).toBe(130)
    expect(soakRunExitCode({ runs: 2, pass: 2 }, 'completed')).toBe(0)
  })
})
