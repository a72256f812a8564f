// `shipgate demo`, `run`, `selftest`, `recover` as a user runs them: the built CLI in a child process.
import { spawn, spawnSync } from 'node:child_process'
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import YAML from 'yaml'
import { describe, expect, it, vi } from 'vitest'
import { ALL_CHECK_IDS } from '@shared/catalog'
import { SELFTEST_CASES } from '../../src-main/services/selftest'
import { BIN, shipgate, startUntil } from '../helpers/cli'
import { labCampaignInput } from '../helpers/campaigns'
import { droplet, inNamespace, lab } from '../helpers/lab'
import { useTmp } from '../helpers/tmp'

const tmp = useTmp()
const SMALL = ['--writes-per-agent', '10', '--memories', '40', '--cycles', '2', '--writes', '12']

interface ShownRun {
  id: string
  state: string
  verdict: string
  phases: { phase: number; status: string }[]
  artifacts: { name: string; sha256: string }[]
  warnings: { code: string; message: string }[]
}

function show(db: string, id: string): ShownRun {
  const r = shipgate(['--db', db, 'show', id, '--json'])
  if (r.code !== 0) throw new Error(r.stderr)
  return JSON.parse(r.stdout) as ShownRun
}

function serversAlive(marker: string): string[] {
  return spawnSync('ps', ['-eo', 'stat=,args='], { encoding: 'utf8' })
    .stdout.split('\n')
    .map((l) => l.trim())
    .filter((l) => l.includes(marker) && !l.startsWith('Z'))
}

describe('shipgate demo and run', { timeout: 300_000 }, () => {
  it('runs the whole demo campaign, stores it, and writes JSON and JUnit', () => {
    const dir = tmp()
    const db = join(dir, 'h.sqlite')
    const r = shipgate(['--db', db, 'demo', ...SMALL, '--json', join(dir, 'run.json'), '--junit', join(dir, 'junit.xml')], {}, 280_000)
    expect(r.code, r.stdout + r.stderr).toBe(0)
    expect(r.stdout).toMatch(/▶ demo-r1 · phases 1, 2, 3, 4/)
    expect(r.stdout).toMatch(/\[phase 4\] kill_primary_mid_write cycle 2\/2 ✓/)
    expect(r.stdout).toMatch(/demo-r1 ✓ PASS — stored in /)
    const run = JSON.parse(readFileSync(join(dir, 'run.json'), 'utf8')) as ShownRun & { ai_memory_version: string; phase_timings: unknown[]; chaos_cycles: Record<string, unknown>[] }
    expect(run.verdict).toBe('pass')
    // One row per cycle: 2 fault classes × 2 cycles, each verified and converged.
    expect(run.chaos_cycles).toHaveLength(4)
    expect(run.chaos_cycles[0]).toMatchObject({ cycle: 1, fault: 'kill_primary_mid_write', writes: 12, ok: 3, count_node1: 3, count_node2: 3, verified: true, converged: true, status: 'ok' })
    expect(Object.keys(run.chaos_cycles[0] ?? {})).toEqual(expect.arrayContaining(['fault_applied_at', 'fault_healed_at', 'converge_ms', 'quorum_not_met', 'fail', 'count_node0']))
    expect(run.ai_memory_version).toBe('ai-memory 0.6.0+shipgate-sim')
    expect(run.phase_timings).toHaveLength(4)
    const junit = readFileSync(join(dir, 'junit.xml'), 'utf8')
    expect(junit).toContain('<testcase classname="demo-r1.phase2" name="Burst writes returned 201">')
    expect(junit).not.toMatch(/<failure|<error/)
    const table = shipgate(['--db', db, 'runs']).stdout.split('\n')
    expect(table[1]).toMatch(/demo-r1\s+✓ PASS/)
    // The simulator's long version string does not push the COMPLETED column out of line.
    expect(table[1]?.search(/\d{4}-\d\d-\d\d /)).toBe(table[0]?.indexOf('COMPLETED'))
  })

  it('leaves an interrupted run with its completed phases and evidence intact when the runner is killed', async () => {
    const dir = tmp()
    const db = join(dir, 'h.sqlite')
    const { child, out } = await startUntil(['--db', db, 'demo', '--phases', '1,2,3', ...SMALL], {}, /\[phase 2\] ✓ PASS/)
    const runId = /▶ (demo-r\d+)/.exec(out)?.[1] as string
    child.kill('SIGKILL')
    await new Promise((r) => child.once('exit', r))
    const raw = new Database(db, { readonly: true })
    const stateBefore = raw.prepare('SELECT state FROM runs WHERE id = ?').pluck().get(runId)
    const servers = raw.prepare("SELECT label FROM journal WHERE run_id = ? AND kind = 'process' AND state = 'pending'").pluck().all(runId) as string[]
    raw.close()
    expect(stateBefore).toBe('running')
    const run = show(db, runId)
    expect(run.state).toBe('interrupted')
    expect(run.phases.slice(0, 2).map((p) => p.status)).toEqual(['pass', 'pass'])
    expect(run.phases[3]?.status).toBe('not_run')
    expect(run.warnings.map((w) => w.code)).toContain('interrupted')
    expect(run.artifacts.map((a) => a.name)).toEqual(expect.arrayContaining(['phase1-node-a.json', 'phase1-node-b.json', 'phase1-node-c.json', 'phase2.json']))
    // The servers the killed runner left behind were stopped by the recovery.
    for (const label of servers) {
      const marker = /stop (serve --host \S+ --port \d+)/.exec(label)?.[1] as string
      expect(serversAlive(marker), marker).toEqual([])
    }
  })

  it('leaves no server behind when the runner is killed the instant a server appears (six kills, recovered)', async () => {
    for (let k = 0; k < 6; k++) {
      const dir = tmp()
      const db = join(dir, 'h.sqlite')
      const labDir = join(dir, 'lab')
      const child = spawn(process.execPath, [BIN, '--db', db, 'demo', '--phases', '2', '--lab-dir', labDir, ...SMALL], { env: { ...process.env, NO_COLOR: '1' }, stdio: 'ignore' })
      const exited = new Promise((r) => child.once('exit', r))
      // The (k mod 3 + 1)-th server of the run to appear is the instant of the kill.
      const nth = (k % 3) + 1
      const deadline = Date.now() + 60_000
      const seen = new Set<string>()
      while (seen.size < nth) {
        if (Date.now() > deadline) throw new Error(`no server appeared under ${labDir}`)
        for (const line of serversAlive(labDir)) if (/ serve /.test(line)) seen.add(line)
        if (seen.size < nth) await new Promise((r) => setImmediate(r))
      }
      child.kill('SIGKILL')
      await exited
      const r = shipgate(['--db', db, 'recover'])
      expect(r.code, `kill ${k + 1}: ${r.stdout}${r.stderr}`).toBe(0)
      expect(r.stdout).toMatch(/demo-r1: interrupted/)
      await vi.waitFor(() => expect(serversAlive(labDir)).toEqual([]), { timeout: 10_000, interval: 50 })
    }
  })

  it('refuses an invalid campaign file with a clear message', () => {
    const dir = tmp()
    const file = join(dir, 'bad.yaml')
    writeFileSync(file, 'name: "bad name"\nhosts:\n  node-a: { address: "a;rm -rf /" }\nphases: [5]\n')
    const r = shipgate(['--db', join(dir, 'h.sqlite'), 'run', file])
    expect(r.code).toBe(2)
    expect(r.stderr).toContain('is not a valid campaign')
    expect(r.stderr).toContain('hosts.node-a.address: must be a host name or an IP address')
    expect(r.stderr).toContain('hosts.chaos.address: required (or let a provisioner create the host)')
  })

  it('selftest: every check of the catalog shown passing on the healthy simulator and failing under a switch or altered evidence', { timeout: 900_000 }, () => {
    const r = shipgate(['selftest', '--json'], {}, 880_000)
    expect(r.code, r.stderr).toBe(0)
    const report = JSON.parse(r.stdout) as {
      ok: boolean
      healthy: { phase: number; status: string }[]
      cases: { check: string; subject: string | null; expect: string; got: string; ok: boolean; by: { switch?: string; evidence?: string } }[]
      matrix: { check: string; subject?: string; passed: boolean; failedBy: string[]; unavailable?: string }[]
      gaps: string[]
    }
    expect(report.healthy.map((h) => [h.phase, h.status])).toEqual([[1, 'pass'], [2, 'pass'], [3, 'pass'], [4, 'pass']])
    expect(report.cases).toHaveLength(SELFTEST_CASES.length)
    expect(report.cases.filter((c) => !c.ok)).toEqual([])
    // The switches the simulator gained for the checks nothing used to fail.
    const bySwitch = new Map(report.cases.flatMap((c) => (c.by.switch ? [[c.by.switch, c.check]] : [])))
    for (const [bug, check] of [['stats-zero', 'p1.stats_total'], ['extra-snapshot', 'p1.snapshot'], ['quorum-never-ok', 'p2.probe1'], ['forward-short=3', 'p3.forward_counts'], ['idempotent-dup', 'p3.idempotent'], ['reverse-error', 'p3.reverse_errors']]) expect(bySwitch.get(bug as string), bug).toBe(check)
    // Every check of the catalog appears, passing when healthy and failed by something.
    expect(new Set(report.matrix.map((m) => m.check))).toEqual(new Set(ALL_CHECK_IDS))
    for (const m of report.matrix) {
      expect(m.failedBy.length, `${m.check} ${m.subject ?? ''}`).toBeGreaterThan(0)
      expect(m.passed || Boolean(m.unavailable), `${m.check} ${m.subject ?? ''}`).toBe(true)
    }
    expect(report.gaps).toEqual([])
    expect(report.ok).toBe(true)
  })
})

describe('the fault journal after a crash', { timeout: 300_000 }, () => {
  it('heals a partition left by a killed runner on the next start, and says so', async () => {
    const dir = tmp()
    const db = join(dir, 'h.sqlite')
    const file = join(dir, 'partition.yaml')
    const chaos = droplet(18)
    const input = labCampaignInput([15, 16, 17, 18], {
      name: 'crash',
      phases: [4],
      parameters: { phase4: { topology: 'harness', cycles: 1, writes_per_cycle: 12, faults: ['partition_minority'], fault_duration_ms: 120_000, harness_ports: [19177, 19178, 19179] } },
    })
    writeFileSync(file, YAML.stringify(input))
    const env = { SHIPGATE_KNOWN_HOSTS: lab().knownHosts }
    const { child } = await startUntil(['--db', db, 'run', file], env, /\[phase 4\] lab-chaos\s+✓ partition_minority: preflight/)
    // Wait until the partition is in place on the chaos host: journal entry first, then the rules.
    const deadline = Date.now() + 60_000
    while (!inNamespace(chaos, ['iptables', '-S', 'OUTPUT']).includes('shipgate-crash-r1')) {
      if (Date.now() > deadline) throw new Error('the partition never appeared')
      await new Promise((r) => setTimeout(r, 100))
    }
    child.kill('SIGKILL')
    await new Promise((r) => child.once('exit', r))
    expect(inNamespace(chaos, ['iptables', '-S', 'OUTPUT'])).toContain('shipgate-crash-r1')

    const r = shipgate(['--db', db, 'recover'], env)
    expect(r.code, r.stdout + r.stderr).toBe(0)
    expect(r.stdout).toMatch(/✓ chaos: partition_minority \(cycle 1\): DROP from node-0 to node-1 and node-2/)
    expect(r.stdout).toMatch(/crash-r1: interrupted; \d+ journal entries undone/)
    expect(inNamespace(chaos, ['iptables', '-S', 'OUTPUT'])).not.toContain('shipgate-')
    const raw = new Database(db, { readonly: true })
    const journal = raw.prepare("SELECT kind, state FROM journal WHERE run_id = 'crash-r1'").all() as { kind: string; state: string }[]
    raw.close()
    expect(journal.filter((j) => j.kind === 'fault')).toEqual([{ kind: 'fault', state: 'undone' }])
    expect(journal.every((j) => j.state === 'undone' || j.state === 'released')).toBe(true)
    const run = show(db, 'crash-r1')
    expect(run.state).toBe('interrupted')
    expect(run.warnings.map((w) => w.message)).toContainEqual(expect.stringMatching(/^the runner died; recovery undid \d+ pending journal entries \(faults healed, servers stopped\) and found no process of the run alive$/))
    expect(existsSync(db)).toBe(true)
  })
})
