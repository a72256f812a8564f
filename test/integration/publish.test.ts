// The team's evidence repo: `shipgate publish` writes a run in ship-gate's layout, ship-gate's own
// generator renders it, `--git` commits that run and nothing else, and `shipgate import` of the
// checkout restores the run whole (hashes, timings, log, state) in a fresh history. Real git, bash,
// jq and demo runs (one full campaign and one phase-1-only run, shared by every test).
import { execFileSync, spawnSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { demoCampaign } from '../../src-main/demo/demo'
import { judgeStored } from '../../src-main/judge/judge'
import { Store } from '../../src-main/store/store'
import { shipgate, ROOT } from '../helpers/cli'
import { CORPUS } from '../helpers/fixtures'
import { testServices } from '../helpers/services'
import { useTmp } from '../helpers/tmp'

const tmp = useTmp()
const GENERATOR_DIR = join(ROOT, 'test', 'fixtures', 'ship-gate-generator')
const GENERATOR = join(GENERATOR_DIR, 'generate_run_html.sh')
const GENERATOR_SHA256 = '70454c16c38afd5c8c045908df89aafa19b996aea55d003909a35444147a410b'
const GIT_ENV = { GIT_AUTHOR_NAME: 'Shipgate Test', GIT_AUTHOR_EMAIL: 'test@shipgate.invalid', GIT_COMMITTER_NAME: 'Shipgate Test', GIT_COMMITTER_EMAIL: 'test@shipgate.invalid' }
const FULL = 'pub-demo-r1'
const HALF = 'pub-half-r1'
/** The full run's evidence, with a fault whose heal failed in its journal. */
const HEAL = 'pub-heal-r1'

let db: string

function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', args, { cwd, encoding: 'utf8', env: { ...process.env, ...GIT_ENV } })
}

function newRepo(): string {
  const dir = tmp()
  git(dir, 'init', '-q', '-b', 'main')
  writeFileSync(join(dir, 'README.md'), 'evidence\n')
  git(dir, 'add', 'README.md')
  git(dir, 'commit', '-q', '-m', 'start')
  return dir
}

function publish(args: string[], history = db) {
  return shipgate(['--db', history, 'publish', ...args], GIT_ENV)
}

function importJson(history: string, path: string) {
  const r = shipgate(['--db', history, 'import', path, '--json'])
  return { ...r, report: r.stdout ? (JSON.parse(r.stdout) as { results: { id: string; status: string; verdict?: string; restored?: boolean; note?: string }[] }) : null }
}

/** What a history holds of a run, for "identical". */
function snapshot(history: string, id: string) {
  const store = Store.open(history)
  try {
    const row = store.runs.get(id)
    if (!row) throw new Error(`no ${id} in ${history}`)
    return {
      run: { state: row.state, source: row.source, verdict: row.verdict, reason: row.reason, startedAt: row.startedAt, completedAt: row.completedAt, durationMs: row.durationMs, aiMemoryRef: row.aiMemoryRef, aiMemoryVersion: row.aiMemoryVersion, aiMemoryCommit: row.aiMemoryCommit, costUsd: row.costUsd, stopReason: row.stopReason, campaign: row.campaign },
      params: row.params,
      evaluation: row.evaluation,
      artifacts: store.artifacts.list(id).map((a) => ({ name: a.name, sha256: a.sha256, sizeBytes: a.sizeBytes })),
      timings: store.timings.list(id),
      log: store.logs.list(id, 0, 1_000_000).map(({ seq: _s, ...l }) => l),
    }
  } finally {
    store.close()
  }
}

function render(folder: string): string {
  const r = spawnSync('bash', [GENERATOR, folder], { encoding: 'utf8' })
  expect(r.status, r.stderr).toBe(0)
  return readFileSync(join(folder, 'index.html'), 'utf8')
}

function badges(html: string): Record<string, string> {
  return Object.fromEntries([...html.matchAll(/<h2>Phase (\d) — [^<]*<span class="badge [a-z]+">([^<]+)<\/span>/g)].map((m) => [m[1], m[2]]))
}

let shared: string

beforeAll(async () => {
  // One history for every test (useTmp's folders go after each test).
  shared = mkdtempSync(join(tmpdir(), 'shipgate-publish-'))
  db = join(shared, 'history.sqlite')
  const services = testServices(db)
  try {
    const full = await demoCampaign({ name: 'pub-demo', faults: ['kill_primary_mid_write'], cycles: 3, writesPerCycle: 50, writesPerAgent: 10, memories: 100 })
    await services.runs.start(full)
    const half = await demoCampaign({ name: 'pub-half', phases: [1] })
    await services.runs.start(half)
    services.imports.import([join(CORPUS, 'runs', 'v0.6.0.0-final-r17')])
    const store = services.store
    const row = store.runs.get(FULL)
    if (!row) throw new Error('the demo run is missing')
    const now = Date.now()
    store.runs.insert({ ...row, id: HEAL, campaign: 'pub-heal', contentSha256: null, createdAt: now })
    for (const a of store.artifacts.all(FULL)) store.artifacts.put(HEAL, a.name, a.bytes, now)
    const j = store.journal.insert({ runId: HEAL, hostRole: 'node-b', kind: 'fault', label: 'SIGSTOP of node-b', undo: 'kill -CONT 4242', createdAt: now })
    store.journal.resolve(j, 'failed', now, 'kill: (4242) - No such process')
    judgeStored(store, HEAL)
  } finally {
    services.close()
  }
}, 300_000)

afterAll(() => rmSync(shared, { recursive: true, force: true }))

describe('shipgate publish --git', { timeout: 120_000 }, () => {
  it("writes ship-gate's layout, commits only that run, and ship-gate's generator renders four phases PASS with the per-cycle table", () => {
    const repo = newRepo()
    // Something else staged in the checkout must stay out of the run's commit.
    writeFileSync(join(repo, 'notes.txt'), 'not part of the run\n')
    git(repo, 'add', 'notes.txt')
    const r = publish([FULL, '--to', repo, '--git', '--json'])
    expect(r.code, r.stderr).toBe(0)
    const out = JSON.parse(r.stdout) as { runId: string; verdict: string; changed: boolean; commit: string | null; files: { name: string; sha256: string }[] }
    expect(out.verdict).toBe('pass')
    expect(out.changed).toBe(true)
    expect(out.commit).toMatch(/^[0-9a-f]{40}$/)

    const folder = join(repo, 'runs', FULL)
    // Every stored artifact, byte for byte.
    const store = Store.open(db)
    const artifacts = store.artifacts.all(FULL)
    store.close()
    expect(artifacts.length).toBeGreaterThanOrEqual(7)
    for (const a of artifacts) expect(readFileSync(join(folder, a.name)).equals(a.bytes), a.name).toBe(true)
    expect(readdirSync(folder).sort()).toEqual([...artifacts.map((a) => a.name), 'campaign-summary.json', 'shipgate-run.json', 'shipgate-run.log'].sort())

    // campaign-summary.json: collect_reports.sh's keys, `phases` = `jq -s` of the phase files.
    const summary = JSON.parse(readFileSync(join(folder, 'campaign-summary.json'), 'utf8')) as Record<string, unknown>
    expect(Object.keys(summary)).toEqual(['campaign_id', 'ai_memory_git_ref', 'completed_at', 'overall_pass', 'phases'])
    expect(summary.campaign_id).toBe(FULL)
    expect(summary.overall_pass).toBe(true)
    const slurped = execFileSync('bash', ['-c', 'jq -s . phase1-node-*.json phase2.json phase3.json phase4.json'], { cwd: folder, encoding: 'utf8' })
    expect(summary.phases).toEqual(JSON.parse(slurped))
    expect((summary.phases as unknown[]).length).toBe(6)

    // The record: stable shape, redacted params, evidence hashes.
    const record = JSON.parse(readFileSync(join(folder, 'shipgate-run.json'), 'utf8')) as { format: string; run: { id: string }; params: unknown; phaseTimings: unknown[]; evidence: { name: string; sha256: string; sizeBytes: number }[]; log: unknown[] }
    expect(Object.keys(record)).toEqual(['format', 'run', 'params', 'phaseTimings', 'evaluation', 'evidence', 'log'])
    expect(record.format).toBe('shipgate-published-run@1')
    expect(record.phaseTimings).toHaveLength(4)
    for (const e of record.evidence) expect(createHash('sha256').update(readFileSync(join(folder, e.name))).digest('hex')).toBe(e.sha256)
    // The log as text: one tab-separated line per stored line, after a header.
    const logLines = readFileSync(join(folder, 'shipgate-run.log'), 'utf8').split('\n').filter(Boolean)
    expect(logLines).toHaveLength(record.log.length + 1)
    for (const l of logLines) expect(l.split('\t')).toHaveLength(5)

    // The commit touches only runs/<id>/; the staged file is still staged, not committed.
    const touched = git(repo, 'show', '--name-only', '--format=', 'HEAD').split('\n').filter(Boolean)
    expect(touched.length).toBe(readdirSync(folder).length)
    for (const f of touched) expect(f.startsWith(`runs/${FULL}/`), f).toBe(true)
    expect(git(repo, 'log', '-1', '--format=%s')).toContain(`${FULL} PASS`)
    expect(git(repo, 'diff', '--cached', '--name-only').trim()).toBe('notes.txt')

    // ship-gate's own generator, vendored unchanged.
    expect(createHash('sha256').update(readFileSync(GENERATOR)).digest('hex')).toBe(GENERATOR_SHA256)
    const html = render(folder)
    expect(badges(html)).toEqual({ 1: 'PASS', 2: 'PASS', 3: 'PASS', 4: 'PASS' })
    expect(html).toMatch(/<h1>Campaign pub-demo-r1 <span class="badge pass">PASS<\/span><\/h1>/)
    expect(html).toContain('Per-cycle convergence detail')
    expect(html).toMatch(/<summary>kill_primary_mid_write — 3 cycles<\/summary>/)
    expect(html.match(/<tr><td>\d+<\/td><td>\d+<\/td>/g)?.length).toBe(3)
  })

  it('publishing the same run again changes nothing and makes no commit', () => {
    const repo = newRepo()
    expect(publish([FULL, '--to', repo, '--git']).code).toBe(0)
    const head = git(repo, 'rev-parse', 'HEAD')
    const record = readFileSync(join(repo, 'runs', FULL, 'shipgate-run.json'))
    const again = publish([FULL, '--to', repo, '--git', '--json'])
    expect(again.code, again.stderr).toBe(0)
    const out = JSON.parse(again.stdout) as { changed: boolean; commit: string | null; files: { written: boolean }[] }
    expect(out.changed).toBe(false)
    expect(out.commit).toBeNull()
    expect(out.files.every((f) => !f.written)).toBe(true)
    expect(git(repo, 'rev-parse', 'HEAD')).toBe(head)
    expect(readFileSync(join(repo, 'runs', FULL, 'shipgate-run.json')).equals(record)).toBe(true)
    expect(git(repo, 'status', '--porcelain')).toBe('')
  })

  it('imported into a fresh history the run is identical: hashes, timings, log lines, params, state and verdict', () => {
    const repo = newRepo()
    expect(publish([FULL, '--to', repo, '--git']).code).toBe(0)
    const fresh = join(tmp(), 'fresh.sqlite')
    const imp = importJson(fresh, repo)
    expect(imp.code, imp.stderr).toBe(0)
    const item = imp.report?.results.find((r) => r.id === FULL)
    expect(item).toMatchObject({ status: 'imported', verdict: 'pass', restored: true })
    expect(item?.note).toMatch(/restored params, 4 phase timing\(s\), \d+ log line\(s\) and state completed/)
    const before = snapshot(db, FULL)
    const after = snapshot(fresh, FULL)
    expect(after.artifacts).toEqual(before.artifacts)
    expect(after.timings).toEqual(before.timings)
    expect(after.log.length).toBeGreaterThan(50)
    expect(after.log).toEqual(before.log)
    expect(after.params).toEqual(before.params)
    expect(after.run).toEqual(before.run)
    expect(after.evaluation).toEqual(before.evaluation)
    // Again: nothing changes. And the history that published it sees it as the same run.
    expect(importJson(fresh, repo).report?.results[0]?.status).toBe('unchanged')
    expect(importJson(db, repo).report?.results[0]?.status).toBe('unchanged')
  })

  it('a fault whose heal failed keeps the restored run from passing, and nothing of it can be re-run by recover', () => {
    const repo = newRepo()
    expect(publish([HEAL, '--to', repo, '--git']).code).toBe(0)
    const fresh = join(tmp(), 'heal.sqlite')
    const item = importJson(fresh, repo).report?.results[0]
    expect(item).toMatchObject({ id: HEAL, restored: true, verdict: 'incomplete' })
    const before = snapshot(db, HEAL)
    const after = snapshot(fresh, HEAL)
    expect(before.run.reason).toMatch(/heal not verified on node-b: SIGSTOP of node-b/)
    expect(after.run.verdict).toBe(before.run.verdict)
    expect(after.run.reason).toBe(before.run.reason)
    const store = Store.open(fresh)
    const journal = store.journal.entries(HEAL)
    store.close()
    expect(journal).toMatchObject([{ state: 'failed', undo: '', kind: 'fault', hostRole: 'node-b' }])
  })

  it('an incomplete run says overall_pass false and its page says FAIL', () => {
    const repo = newRepo()
    const r = publish([HALF, '--to', repo, '--git'])
    expect(r.code, r.stderr).toBe(0)
    expect(r.stdout).toContain('INCOMPLETE')
    const folder = join(repo, 'runs', HALF)
    const summary = JSON.parse(readFileSync(join(folder, 'campaign-summary.json'), 'utf8')) as { overall_pass: boolean; phases: unknown[] }
    expect(summary.overall_pass).toBe(false)
    // Its phase files passed on their own: overall_pass is our verdict, not their flags.
    expect(summary.phases).toHaveLength(3)
    expect((summary.phases as { pass: boolean }[]).every((p) => p.pass)).toBe(true)
    const html = render(folder)
    expect(html).toMatch(/<h1>Campaign pub-half-r1 <span class="badge fail">FAIL<\/span><\/h1>/)
    expect(badges(html)).toEqual({ 1: 'PASS', 2: 'NOT RUN', 3: 'NOT REACHED', 4: 'NOT REACHED' })
    expect(git(repo, 'log', '-1', '--format=%s')).toContain(`${HALF} INCOMPLETE`)
  })
})

describe('two teammates and one evidence repo', { timeout: 120_000 }, () => {
  it('both publish into a bare repo (one rebases), and a fresh history imports both', () => {
    const bare = join(tmp(), 'evidence.git')
    execFileSync('git', ['init', '-q', '--bare', '-b', 'main', bare])
    const seed = newRepo()
    git(seed, 'push', '-q', bare, 'main')
    const alice = join(tmp(), 'alice')
    const bob = join(tmp(), 'bob')
    git(ROOT, 'clone', '-q', bare, alice)
    git(ROOT, 'clone', '-q', bare, bob)

    expect(publish([FULL, '--to', alice, '--git']).code).toBe(0)
    expect(publish([HALF, '--to', bob, '--git']).code).toBe(0)
    git(alice, 'push', '-q', 'origin', 'main')
    // Bob's push is refused (Alice got there first); he rebases and pushes.
    const refused = spawnSync('git', ['push', '-q', 'origin', 'main'], { cwd: bob, encoding: 'utf8' })
    expect(refused.status).not.toBe(0)
    git(bob, 'pull', '-q', '--rebase', 'origin', 'main')
    git(bob, 'push', '-q', 'origin', 'main')

    const checkout = join(tmp(), 'ci')
    git(ROOT, 'clone', '-q', bare, checkout)
    const fresh = join(tmp(), 'team.sqlite')
    const imp = importJson(fresh, checkout)
    expect(imp.code, imp.stderr).toBe(0)
    const byId = Object.fromEntries((imp.report?.results ?? []).map((r) => [r.id, r]))
    expect(byId[FULL]).toMatchObject({ status: 'imported', verdict: 'pass', restored: true })
    expect(byId[HALF]).toMatchObject({ status: 'imported', verdict: 'incomplete', restored: true })
    expect(snapshot(fresh, HALF).log).toEqual(snapshot(db, HALF).log)
    expect(snapshot(fresh, FULL).artifacts).toEqual(snapshot(db, FULL).artifacts)
  })
})

describe('publish refuses', { timeout: 120_000 }, () => {
  it('a folder of the same name that holds another run, unless --replace', () => {
    const repo = newRepo()
    expect(publish([HALF, '--to', repo]).code).toBe(0)
    mkdirSync(join(repo, 'runs'), { recursive: true })
    renameSync(join(repo, 'runs', HALF), join(repo, 'runs', FULL))
    const r = publish([FULL, '--to', repo, '--git'])
    expect(r.code).toBe(1)
    expect(r.stderr).toMatch(/already holds a different run with the same name.*--replace/)
    expect(readFileSync(join(repo, 'runs', FULL, 'shipgate-run.json'), 'utf8')).toContain(`"id": "${HALF}"`)
    expect(git(repo, 'log', '--format=%s').split('\n').filter(Boolean)).toEqual(['start'])

    // ship-gate's own run folder under that name is another run too.
    const other = newRepo()
    cpSync(join(CORPUS, 'runs', 'v0.6.0.0-final-r17'), join(other, 'runs', FULL), { recursive: true })
    const r2 = publish([FULL, '--to', other])
    expect(r2.code).toBe(1)
    expect(r2.stderr).toMatch(/files that were not published by Shipgate Lab/)

    const replaced = publish([FULL, '--to', repo, '--git', '--replace'])
    expect(replaced.code, replaced.stderr).toBe(0)
    expect(readFileSync(join(repo, 'runs', FULL, 'shipgate-run.json'), 'utf8')).toContain(`"id": "${FULL}"`)
    expect(existsSync(join(repo, 'runs', FULL, 'phase2.json'))).toBe(true)
  })

  it('a .gitignore that would drop files, with nothing written', () => {
    const repo = newRepo()
    writeFileSync(join(repo, '.gitignore'), '*.jsonl\n*.log\n')
    const r = publish([FULL, '--to', repo, '--git'])
    expect(r.code).toBe(2)
    expect(r.stderr).toMatch(/\.gitignore .* would leave out runs\/pub-demo-r1\/phase4-cycles\.jsonl, runs\/pub-demo-r1\/shipgate-run\.log/)
    expect(existsSync(join(repo, 'runs'))).toBe(false)
  })

  it('a folder outside git with --git (without --git it publishes)', () => {
    const plain = tmp()
    const r = publish([FULL, '--to', plain, '--git'])
    expect(r.code).toBe(2)
    expect(r.stderr).toMatch(/is not in a git repository; --git needs a checkout/)
    expect(existsSync(join(plain, 'runs'))).toBe(false)
    expect(publish([FULL, '--to', plain]).code).toBe(0)
    expect(existsSync(join(plain, 'runs', FULL, 'shipgate-run.json'))).toBe(true)
  })

  it('a runs/ folder that is a symbolic link', () => {
    const repo = newRepo()
    const elsewhere = tmp()
    symlinkSync(elsewhere, join(repo, 'runs'))
    const r = publish([FULL, '--to', repo, '--git'])
    expect(r.code).toBe(2)
    expect(r.stderr).toMatch(/runs is a symbolic link/)
    expect(readdirSync(elsewhere)).toEqual([])
  })

  it('publishing an imported ship-gate run back', () => {
    const repo = newRepo()
    const r = publish(['final-r17', '--to', repo, '--git'])
    expect(r.code).toBe(2)
    expect(r.stderr).toMatch(/was imported from ship-gate run files; .* not published back/)
    expect(existsSync(join(repo, 'runs'))).toBe(false)
  })
})

describe('records that cannot be trusted', { timeout: 120_000 }, () => {
  /** The half run published into a plain folder, edited by `edit`, imported into a fresh history. */
  function importEdited(edit: (folder: string) => void) {
    const dir = tmp()
    expect(publish([HALF, '--to', dir]).code).toBe(0)
    const folder = join(dir, 'runs', HALF)
    edit(folder)
    const fresh = join(tmp(), 'h.sqlite')
    const imp = importJson(fresh, dir)
    expect(imp.code, imp.stderr).toBe(0)
    return { item: imp.report?.results[0], history: fresh }
  }
  const editRecord = (folder: string, change: (r: Record<string, unknown> & { run: Record<string, unknown>; log: { line: string }[] }) => void) => {
    const file = join(folder, 'shipgate-run.json')
    const r = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown> & { run: Record<string, unknown>; log: { line: string }[] }
    change(r)
    writeFileSync(file, JSON.stringify(r, null, 2))
  }

  it('edited evidence: imported as a plain run, and the import says why nothing was restored', () => {
    const { item, history } = importEdited((f) => writeFileSync(join(f, 'phase1-node-a.json'), readFileSync(join(f, 'phase1-node-a.json'), 'utf8').replace('"pass": true', '"pass": false')))
    expect(item).toMatchObject({ status: 'imported', restored: false })
    expect(item?.note).toMatch(/imported as a plain run, nothing restored: phase1-node-a\.json does not match its sha256 in shipgate-run\.json/)
    const s = snapshot(history, HALF)
    expect(s.run.source).toBe('import')
    expect(s.timings).toEqual([])
    expect(s.log).toEqual([])
  })

  it('a garbled record and a foreign one', () => {
    const garbled = importEdited((f) => writeFileSync(join(f, 'shipgate-run.json'), '{"format": "shipgate-published-run@1", "run": '))
    expect(garbled.item).toMatchObject({ status: 'imported', restored: false })
    expect(garbled.item?.note).toMatch(/shipgate-run\.json is garbled \(not JSON\)/)
    const foreign = importEdited((f) => editRecord(f, (r) => (r.format = 'someone-else-run@7')))
    expect(foreign.item?.restored).toBe(false)
    expect(foreign.item?.note).toMatch(/shipgate-run\.json is foreign: its format is "someone-else-run@7"/)
    const misnamed = importEdited((f) => editRecord(f, (r) => (r.run.id = 'another-r9')))
    expect(misnamed.item?.note).toMatch(/foreign: it records run "another-r9"/)
    expect(snapshot(misnamed.history, HALF).run.source).toBe('import')
  })

  it('a record that lies about the version and the verdict loses to the evidence; escape codes are cleaned', () => {
    const { item, history } = importEdited((f) =>
      editRecord(f, (r) => {
        r.run.aiMemoryVersion = 'ai-memory 0.6.0'
        r.run.verdict = 'pass'
        r.run.stopReason = 'stopped \u001b[31mRED\u001b[0m \u0007here'
        const first = r.log[0]
        if (first) first.line = 'hello \u001b]0;pwned\u0007\u001b[2Jworld'
      }),
    )
    expect(item).toMatchObject({ status: 'imported', verdict: 'incomplete', restored: true })
    expect(item?.note).toContain('the record says PASS, the evidence gives INCOMPLETE')
    expect(item?.note).toMatch(/ai-memory version "ai-memory 0\.6\.0" is not the evidence's "[^"]*shipgate-sim[^"]*"/)
    const s = snapshot(history, HALF)
    expect(s.run.aiMemoryVersion).toContain('shipgate-sim')
    expect(s.run.verdict).toBe('incomplete')
    expect(s.evaluation.simulated).toBe(true)
    expect(s.run.stopReason).toBe('stopped RED here')
    expect(s.log[0]?.line).toBe('hello world')
    const controls = (t: string) => [...t].filter((c) => c.charCodeAt(0) < 32 && c !== '\n' && c !== '\t').length
    expect(s.log.reduce((n, l) => n + controls(l.line) + controls(l.host ?? ''), controls(s.run.stopReason ?? ''))).toBe(0)
  })
})
