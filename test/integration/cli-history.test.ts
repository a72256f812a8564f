import { existsSync, mkdirSync, writeFileSync, cpSync } from 'node:fs'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { shipgate, BIN } from '../helpers/cli'
import { CORPUS, FIXTURE_RUNS, SEED } from '../helpers/fixtures'
import { useTmp } from '../helpers/tmp'
import { readFileSync } from 'node:fs'

const tmp = useTmp()

beforeAll(() => {
  if (!existsSync(join(BIN, '..', '..', 'out', 'main', 'cli.js'))) throw new Error('build first: npm run build')
})

describe('shipgate import / runs / show / compare', () => {
  it('imports fixtures, lists them, and prints the stable JSON shape', () => {
    const db = join(tmp(), 'h.sqlite')
    const imp = shipgate(['--db', db, 'import', FIXTURE_RUNS])
    expect(imp.code, imp.stderr).toBe(0)
    expect(imp.stdout).toMatch(/24 run\(s\): 24 imported, 0 replaced, 0 unchanged, 0 failed/)
    const runs = shipgate(['--db', db, 'runs', '--json'])
    expect(runs.code).toBe(0)
    const list = JSON.parse(runs.stdout) as { id: string; verdict: string; phases: { phase: number; status: string; checks: { id: string; label: string; status: string; value: string; threshold: string }[] }[]; warnings: unknown[] }[]
    expect(list).toHaveLength(24)
    const good = list.find((r) => r.id === 'good-r1')
    expect(good?.verdict).toBe('pass')
    expect(good?.phases.map((p) => p.phase)).toEqual([1, 2, 3, 4])
    expect(Object.keys(good?.phases[1]?.checks[0] ?? {})).toEqual(expect.arrayContaining(['id', 'label', 'status', 'value', 'threshold']))
    expect(list.find((r) => r.id === 'vacuous-r1')?.warnings.length).toBe(1)
    const filtered = shipgate(['--db', db, 'runs', '--verdict', 'fail'])
    expect(filtered.stdout).toContain('pagecap-r1')
    expect(filtered.stdout).not.toContain('good-r1')
  })

  it('uses SHIPGATE_DB when --db is absent', () => {
    const db = join(tmp(), 'env.sqlite')
    expect(shipgate(['import', join(FIXTURE_RUNS, 'good-r1')], { SHIPGATE_DB: db }).code).toBe(0)
    expect(existsSync(db)).toBe(true)
    expect(shipgate(['runs'], { SHIPGATE_DB: db }).stdout).toContain('good-r1')
  })

  it('gives one clear message and a non-zero exit for a garbage file, an empty folder and an unknown run', () => {
    const dir = tmp()
    const db = join(dir, 'h.sqlite')
    const garbage = join(dir, 'garbage.bin')
    writeFileSync(garbage, Buffer.from([0, 1, 2, 3, 255]))
    const a = shipgate(['--db', db, 'import', garbage])
    expect(a.code).toBe(2)
    expect(a.stderr.trim().split('\n')).toHaveLength(1)
    expect(a.stderr).toMatch(/garbage\.bin is a file, not a folder/)
    mkdirSync(join(dir, 'empty'))
    // A folder is imported on its own (one bad path never stops the others): it is a failed import.
    const b = shipgate(['--db', db, 'import', join(dir, 'empty')])
    expect(b.code).toBe(1)
    expect(b.stdout).toMatch(/failed .*empty: no ship-gate runs found/)
    const c = shipgate(['--db', db, 'show', 'nope-r1'])
    expect(c.code).toBe(2)
    expect(c.stderr).toMatch(/no run "nope-r1"/)
  })

  it('refuses a 50 MB log as an artifact without importing half a run', () => {
    const dir = tmp()
    const run = join(dir, 'big-r1')
    cpSync(join(FIXTURE_RUNS, 'good-r1'), run, { recursive: true })
    const line = '[chaos] cycle 1: nodes ready (pids 1 2 3)\n'
    writeFileSync(join(run, 'phase4.json'), line.repeat(Math.ceil((50 * 1024 * 1024) / line.length)))
    cpSync(join(FIXTURE_RUNS, 'pagecap-r1'), join(dir, 'pagecap-r1'), { recursive: true })
    const db = join(dir, 'h.sqlite')
    const r = shipgate(['--db', db, 'import', dir])
    expect(r.code).toBe(1)
    expect(r.stdout).toMatch(/failed\s+big-r1\s+big-r1\/phase4\.json is 50\.0 MB, over the 16 MB limit/)
    expect(r.stdout).toMatch(/imported\s+pagecap-r1/)
    const runs = JSON.parse(shipgate(['--db', db, 'runs', '--json']).stdout) as { id: string }[]
    expect(runs.map((x) => x.id)).toEqual(['pagecap-r1'])
  })

  it('refuses to overwrite different evidence under the same id unless asked', () => {
    const dir = tmp()
    const db = join(dir, 'h.sqlite')
    const run = join(dir, 'good-r1')
    cpSync(join(FIXTURE_RUNS, 'good-r1'), run, { recursive: true })
    expect(shipgate(['--db', db, 'import', run]).code).toBe(0)
    writeFileSync(join(run, 'phase2.json'), '')
    const r = shipgate(['--db', db, 'import', run])
    expect(r.code).toBe(1)
    expect(r.stdout).toMatch(/already in the history with different evidence/)
    expect(JSON.parse(shipgate(['--db', db, 'show', 'good-r1', '--json']).stdout).verdict).toBe('pass')
    const replaced = shipgate(['--db', db, 'import', '--replace', run])
    expect(replaced.stdout).toMatch(/replaced\s+good-r1/)
    expect(JSON.parse(shipgate(['--db', db, 'show', 'good-r1', '--json']).stdout).verdict).toBe('incomplete')
  })
})

describe('the eight public runs of the shared corpus', () => {
  const dir = () => tmp()
  it('get the verdicts the evidence supports', () => {
    const db = join(dir(), 'corpus.sqlite')
    const r = shipgate(['--db', db, 'import', CORPUS])
    expect(r.code, r.stderr).toBe(0)
    const runs = JSON.parse(shipgate(['--db', db, 'runs', '--json']).stdout) as { id: string; verdict: string; phases: { phase: number; status: string }[]; warnings: { code: string; message: string }[] }[]
    const verdict = Object.fromEntries(runs.map((x) => [x.id, x.verdict]))
    expect(verdict).toEqual({
      'v0.6.0.0-final-r25': 'pass',
      'ship-gate-v0.6.3-rc1-r2': 'pass',
      'v0.6.0.0-final-r14': 'fail',
      'v0.6.0.0-final-r24': 'fail',
      'v0.6.0.0-final-r13': 'incomplete',
      'soak-v0.6.0-r70': 'incomplete',
      'v0.6.0.0-final-r17': 'incomplete',
      'v0.6.0.0-final-r18': 'incomplete',
    })
    for (const id of ['v0.6.0.0-final-r17', 'v0.6.0.0-final-r18']) {
      const run = runs.find((x) => x.id === id)
      expect(run?.phases.map((p) => p.status)).toEqual(['pass', 'pass', 'pass', 'error'])
    }
    const codes = (id: string) => runs.find((x) => x.id === id)?.warnings.map((w) => w.code) ?? []
    expect(codes('v0.6.0.0-final-r17')).toEqual(expect.arrayContaining(['uptime_metric', 'harness_log', 'self_report_mismatch']))
    expect(codes('v0.6.0.0-final-r18')).toEqual(expect.arrayContaining(['uptime_metric', 'cycles_short']))
    expect(codes('v0.6.0.0-final-r24')).toContain('page_cap')
    expect(codes('soak-v0.6.0-r70')).toContain('self_report_mismatch')
    const again = shipgate(['--db', db, 'import', CORPUS])
    expect(again.stdout).toMatch(/8 run\(s\): 0 imported, 0 replaced, 8 unchanged, 0 failed/)
  })

  it('shows r17 with the seed report\'s phase 1–3 check lists, labels and values', () => {
    const db = join(dir(), 'corpus.sqlite')
    shipgate(['--db', db, 'import', CORPUS])
    const out = shipgate(['--db', db, 'show', 'v0.6.0.0-final-r17']).stdout
    const seed = readFileSync(SEED, 'utf8').split('\n')
    const start = seed.findIndex((l) => l.startsWith('Phase 1 — functional'))
    const end = seed.findIndex((l) => l.startsWith('Phase 4 — chaos'))
    const seedChecks = seed.slice(start, end).filter((l) => l.startsWith('- ✓') && !l.includes('Overall')).map((l) => l.slice(2))
    expect(seedChecks.length).toBe(3 * 6 + 6 + 5)
    const shown = out.split('\n').map((l) => l.trim().replace(/\s+\[threshold .*\]$/, ''))
    for (const line of seedChecks) expect(shown, line).toContain(line)
    expect(out).toContain('Run focus: Writes now land (150 ok), but the convergence metric itself is wrong for kill-type faults')
  })

  it('compares r17 with r18: what flipped, what moved', () => {
    const db = join(dir(), 'corpus.sqlite')
    shipgate(['--db', db, 'import', CORPUS])
    const c = JSON.parse(shipgate(['--db', db, 'compare', 'final-r17', 'final-r18', '--json']).stdout) as { flipped: { key: string; from: string; to: string }[]; moved: unknown[] }
    expect(c.flipped).toContainEqual(expect.objectContaining({ key: 'p4.bound.partition_minority', from: 'absent', to: 'error' }))
    const text = shipgate(['--db', db, 'compare', 'v0.6.0.0-final-r24', 'v0.6.0.0-final-r25']).stdout
    expect(text).toContain('phase 4  Convergence bound ≥ 0.995 (partition_minority): ✗ FAIL → — absent')
    expect(text).toContain('phases: 1 ✓→✓   2 ✓→✓   3 ✓→✓   4 ✗→✓')
  })
})
