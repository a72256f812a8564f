// src-main/cli/release.ts: `shipgate release` in process: exit codes, refusals and overwrite protection.

import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { main } from '../../src-main/cli/main'
import { Store } from '../../src-main/store/store'
import { useTmp } from '../helpers/tmp'
import { type FakeRun, storeSeriesIn } from './soak-fixtures'

const tmp = useTmp()

function storeWith(runs: Record<string, FakeRun[]>): { store: Store; db: string } {
  return storeSeriesIn(tmp(), runs)
}

async function cli(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = ''
  let err = ''
  const code = await main(['node', 'shipgate', ...args], { out: (t) => void (out += `${t}\n`), err: (t) => void (err += `${t}\n`), env: {}, isTty: false })
  return { code, out, err }
}

describe('shipgate release (in process)', () => {
  it('exits 0 for a PASS file, 1 for a FAIL file, 1 for a refusal or an existing file, 2 for a bad version', async () => {
    const { store, db } = storeWith({ c: [{}, { verdict: 'fail' }, { simulated: true }] })
    store.close()
    const dir = tmp()
    const pass = await cli(['--db', db, 'release', 'v0.6.0', '--run', 'c-r1', '--out', join(dir, 'v0.6.0', 'summary.json')])
    expect(pass.code, pass.err).toBe(0)
    expect(JSON.parse(readFileSync(join(dir, 'v0.6.0', 'summary.json'), 'utf8'))).toMatchObject({ verdict: 'pass', campaign_run_id: 'c-r1' })
    const again = await cli(['--db', db, 'release', 'v0.6.0', '--run', 'c-r1', '--out', join(dir, 'v0.6.0', 'summary.json')])
    expect(again.code).toBe(1)
    expect(again.err).toMatch(/exists; pass --force/)
    expect((await cli(['--db', db, 'release', 'v0.6.0', '--run', 'c-r1', '--out', join(dir, 'v0.6.0', 'summary.json'), '--force'])).code).toBe(0)
    const fail = await cli(['--db', db, 'release', 'v0.6.0', '--run', 'c-r2', '--out', join(dir, 'fail.json')])
    expect(fail.code).toBe(1)
    expect(JSON.parse(readFileSync(join(dir, 'fail.json'), 'utf8'))).toMatchObject({ verdict: 'fail', fail_count: 1 })
    const refused = await cli(['--db', db, 'release', 'v0.6.0', '--run', 'c-r3', '--out', join(dir, 'sim.json')])
    expect(refused.code).toBe(1)
    expect(refused.err).toMatch(/simulated ai-memory/)
    expect(existsSync(join(dir, 'sim.json'))).toBe(false)
    expect((await cli(['--db', db, 'release', 'latest', '--run', 'c-r1', '--out', join(dir, 'x.json')])).code).toBe(2)
    writeFileSync(join(dir, 'keep.json'), 'mine')
    await cli(['--db', db, 'release', 'v0.6.0', '--run', 'c-r3', '--out', join(dir, 'keep.json'), '--force'])
    expect(readFileSync(join(dir, 'keep.json'), 'utf8')).toBe('mine')
  })
})
