// The release verdict file: ship-gate's own schema (vendored unchanged, sha256 checked) accepts what
// `shipgate release` writes and ship-gate's own v0.6.3 summary, rejects broken files; every refusal
// says why; exit codes through the real CLI in process.
import { createHash } from 'node:crypto'
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import { evaluateSoak } from '@shared/soak'
import { main } from '../../src-main/cli/main'
import { SHIP_GATE_SCHEMA_SHA256, releaseSchemaErrors } from '../../src-main/release/schema'
import { type ReleaseInput, buildReleaseSummary, releaseRefusals, releaseVersion } from '../../src-main/release/summary'
import { HistoryService } from '../../src-main/services/history'
import { readSeries } from '../../src-main/soak/series'
import { Store } from '../../src-main/store/store'
import { useTmp } from '../helpers/tmp'
import { type FakeRun, storeSeries } from './soak-fixtures'

const tmp = useTmp()
const VENDORED = resolve(__dirname, '..', '..', 'resources', 'ship-gate')

function storeWith(runs: Record<string, FakeRun[]>): { store: Store; db: string } {
  const db = join(tmp(), 'h.sqlite')
  const store = Store.open(db)
  for (const [series, list] of Object.entries(runs)) storeSeries(store, series, list)
  return { store, db }
}

function input(store: Store, runId: string, extra: Partial<ReleaseInput> = {}): ReleaseInput {
  return { version: 'v0.6.0', run: new HistoryService(store).detail(runId), generatedBy: 'test', now: Date.UTC(2026, 4, 1), ...extra }
}

async function cli(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = ''
  let err = ''
  const code = await main(['node', 'shipgate', ...args], { out: (t) => void (out += `${t}\n`), err: (t) => void (err += `${t}\n`), env: {}, isTty: false })
  return { code, out, err }
}

describe("ship-gate's release schema", () => {
  it('is the vendored file, unchanged', () => {
    expect(createHash('sha256').update(readFileSync(join(VENDORED, 'schema.json'))).digest('hex')).toBe(SHIP_GATE_SCHEMA_SHA256)
  })

  it("accepts ship-gate's own v0.6.3 summary and rejects broken ones", () => {
    const own = JSON.parse(readFileSync(join(VENDORED, 'v0.6.3', 'summary.json'), 'utf8')) as Record<string, unknown>
    expect(releaseSchemaErrors(own)).toEqual([])
    expect(releaseSchemaErrors({ ...own, verdict: 'incomplete' }).join()).toMatch(/\/verdict: must be equal to one of the allowed values/)
    expect(releaseSchemaErrors({ ...own, nhi_verdict: 'pass' }).join()).toMatch(/\/nhi_verdict: must be null/)
    expect(releaseSchemaErrors({ ...own, version: '0.6.3' }).join()).toMatch(/\/version: must match pattern/)
    const { phases: _p, ...noPhases } = own
    expect(releaseSchemaErrors(noPhases).join()).toMatch(/must have required property 'phases'/)
    expect(releaseSchemaErrors({ ...own, wall_seconds: 1.5 }).join()).toMatch(/\/wall_seconds: must be integer/)
  })
})

describe('building the release file', () => {
  it("writes recorded timings in v0.6.3's style and validates", () => {
    const { store } = storeWith({ 'ship-v0.6.0': [{ durationMs: 840_000 }] })
    const id = 'ship-v0.6.0-r1'
    const t0 = Date.UTC(2026, 3, 27, 16, 0)
    store.timings.insertAll(id, [
      { phase: 1, startedAt: t0, finishedAt: t0 + 3_000 },
      { phase: 2, startedAt: t0 + 3_000, finishedAt: t0 + 119_000 },
      { phase: 3, startedAt: t0 + 119_000, finishedAt: t0 + 204_000 },
      { phase: 4, startedAt: t0 + 204_000, finishedAt: t0 + 528_000 },
    ])
    const s = buildReleaseSummary(input(store, id))
    expect(releaseSchemaErrors(s)).toEqual([])
    expect(s).toMatchObject({ version: 'v0.6.0', campaign_run_id: id, verdict: 'pass', pass_count: 4, fail_count: 0, wall_seconds: 840, wall_human: '14m', nhi_verdict: null })
    expect(s.phases.map((p) => [p.name, p.wall_seconds, p.wall_human])).toEqual([
      ['functional', 3, '3s'],
      ['federation', 116, '1m56s'],
      ['migration', 85, '1m25s'],
      ['chaos', 324, '5m24s'],
    ])
    expect(s.evidence).toMatchObject({ threshold_set: 'shipgate-thresholds@1', threshold_overrides: [], artifacts: {} })
    expect(s.release).toEqual({ generated_by: 'test', allow_weakened: false, date_source: 'run completed_at' })
    store.close()
  })

  it('says so when an imported run has no timings, and gives a failing run a FAIL file', () => {
    const { store } = storeWith({ x: [{ durationMs: null, verdict: 'fail' }] })
    store.db.prepare("UPDATE runs SET source = 'import'").run()
    const s = buildReleaseSummary(input(store, 'x-r1'))
    expect(releaseSchemaErrors(s)).toEqual([])
    expect(s).toMatchObject({ verdict: 'fail', pass_count: 3, fail_count: 1, wall_seconds: 0, wall_human: 'not recorded (imported run)' })
    expect(s.phases.every((p) => p.wall_seconds === 0 && p.wall_human === 'not recorded (imported run)')).toBe(true)
    store.close()
  })

  it('refuses what cannot certify a release, each with its reason', () => {
    const { store } = storeWith({
      r: [{ verdict: 'incomplete', state: 'interrupted' }, { simulated: true, version: '0.6.0+shipgate-sim' }, { version: '0.6.1' }, { thresholdSet: 'shipgate-thresholds@1~weakened-1234abcd' }, {}],
    })
    const why = (k: number, extra: Partial<ReleaseInput> = {}) => releaseRefusals(input(store, `r-r${k}`, extra)).join('\n')
    expect(why(1)).toMatch(/is interrupted, not completed[\s\S]*INCOMPLETE/)
    expect(why(2)).toMatch(/simulated ai-memory/)
    expect(why(3)).toMatch(/tested ai-memory 0\.6\.1, not 0\.6\.0/)
    expect(why(4)).toMatch(/weakened thresholds.*--allow-weakened/)
    expect(why(4, { allowWeakened: true })).toBe('')
    expect(buildReleaseSummary(input(store, 'r-r4', { allowWeakened: true })).release.allow_weakened).toBe(true)
    expect(why(5)).toBe('')
    expect(() => releaseVersion('latest')).toThrow(/not a release version/)
    expect(releaseVersion('0.6.0')).toBe('v0.6.0')
    store.close()
  })

  it('refuses a soak that is not PASS, has simulated runs, another version, or no known window', () => {
    const { store } = storeWith({ g: [{}], bad: [{}, { verdict: 'fail' }], sim: [{ simulated: true }, {}], other: [{ version: '0.5.9' }, {}] })
    const soak = (series: string, expect: number | null) => {
      const runs = readSeries(store, series)
      return { report: evaluateSoak(series, runs, { expect }), runs }
    }
    const why = (series: string, expect: number | null) => releaseRefusals(input(store, 'g-r1', { soak: soak(series, expect) })).join('\n')
    expect(why('g', 1)).toBe('')
    expect(why('g', null)).toMatch(/soak g is INCOMPLETE[\s\S]*no known window/)
    expect(why('bad', 2)).toMatch(/soak bad is FAIL, not PASS/)
    expect(why('sim', 2)).toMatch(/1 run\(s\) of the simulated ai-memory \(sim-r1\)/)
    expect(why('other', 2)).toMatch(/another or unknown version than 0\.6\.0: other-r1 \(0\.5\.9\)/)
    const s = buildReleaseSummary(input(store, 'g-r1', { soak: soak('g', 1) }))
    expect(s.evidence.soak).toEqual({ series: 'g', verdict: 'pass', runs: 1, pass: 1, fail: 0, incomplete: 0, criteria: { no_regression: 'pass', kill_bound: 'pass', wall_clock: 'pass', cost: 'not_applicable', window: 'pass', standard_thresholds: 'pass', pass_rate: 'info' } })
    expect(releaseSchemaErrors(s)).toEqual([])
    store.close()
  })
})

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
