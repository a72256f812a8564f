// `shipgate soak run` as a user runs it: the built CLI with real demo runs (phase 1 only, to stay
// short: each run is INCOMPLETE, so these soaks exit 1 by the rule "any run not PASS"). Concurrent
// runs of one series refused, Ctrl-C during a wait stops at once, Ctrl-C during a run lets it finish
// (teardown included), twice cancels it, and a restart resumes at the next index.
import type { ChildProcess } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { shipgate, shipgateAsync, startUntil } from '../helpers/cli'
import { useTmp } from '../helpers/tmp'

const tmp = useTmp()
const SOAK = ['soak', 'run', 'demo', '--phases', '1']

function exited(child: ChildProcess, out: { text: string }): Promise<number> {
  child.stdout?.on('data', (d: Buffer) => (out.text += d.toString()))
  child.stderr?.on('data', (d: Buffer) => (out.text += d.toString()))
  return new Promise((resolve) => child.on('exit', (code) => resolve(code ?? -1)))
}

function runsOf(db: string, series: string): { id: string; state: string }[] {
  const r = shipgate(['--db', db, 'runs', '--campaign', series, '--json'])
  return (JSON.parse(r.stdout) as { id: string }[]).map((x) => ({ id: x.id, state: (JSON.parse(shipgate(['--db', db, 'show', x.id, '--json']).stdout) as { state: string }).state }))
}

describe('shipgate soak run (real demo runs)', () => {
  it('names the runs, resumes at the next index, and writes the report', async () => {
    const dir = tmp()
    const db = join(dir, 'h.sqlite')
    const first = await shipgateAsync(['--db', db, ...SOAK, '--count', '1', '--every', '0s', '--series', 'sk-res'])
    expect(first.code, first.stderr).toBe(1)
    expect(first.stdout).toMatch(/\[soak\] sk-res-r1 ! INCOMPLETE \(completed\)/)
    const second = await shipgateAsync(['--db', db, ...SOAK, '--count', '2', '--every', '0s', '--series', 'sk-res', '--report', join(dir, 'soak.json')])
    expect(second.code, second.stderr).toBe(1)
    expect(second.stdout).toMatch(/resuming at r2/)
    expect(runsOf(db, 'sk-res').map((r) => r.id).sort()).toEqual(['sk-res-r1', 'sk-res-r2'])
    const report = JSON.parse(readFileSync(join(dir, 'soak.json'), 'utf8')) as { series: string; runs: number; verdict: string; criteria: { id: string; state: string }[] }
    expect(report).toMatchObject({ series: 'sk-res', runs: 2, verdict: 'incomplete' })
    expect(report.criteria.find((c) => c.id === 'window')?.state).toBe('pass')
    // The judge reads the window from the state the soak left.
    expect(shipgate(['--db', db, 'soak', 'sk-res', '--json']).stdout).toContain('"expected": 2')
  }, 180_000)

  it('refuses a second soak of the same series, and stops at once on Ctrl-C during a wait', async () => {
    const db = join(tmp(), 'h.sqlite')
    const { child, out } = await startUntil(['--db', db, ...SOAK, '--count', '2', '--every', '1h', '--series', 'sk-cc'], {}, /next run at/)
    const text = { text: out }
    const done = exited(child, text)
    const second = await shipgateAsync(['--db', db, ...SOAK, '--count', '2', '--every', '1h', '--series', 'sk-cc'])
    expect(second.code).toBe(1)
    expect(second.stderr).toMatch(/the soak sk-cc is already running \(pid \d+/)
    child.kill('SIGINT')
    expect(await done).toBe(1)
    expect(text.text).toMatch(/stopped at 1 of 2; run the same command again to continue/)
    expect(runsOf(db, 'sk-cc').map((r) => r.id)).toEqual(['sk-cc-r1'])
  }, 180_000)

  it('lets the current run finish on Ctrl-C, and cancels it (with its teardown) on a second one', async () => {
    const db = join(tmp(), 'h.sqlite')
    const a = await startUntil(['--db', db, ...SOAK, '--count', '2', '--every', '0s', '--series', 'sk-one'], {}, /run 1 starting/)
    const textA = { text: a.out }
    const doneA = exited(a.child, textA)
    a.child.kill('SIGINT')
    expect(await doneA).toBe(1)
    expect(textA.text).toMatch(/stopping the soak after the current run/)
    expect(textA.text).toMatch(/\[phase 1\] ✓ PASS/)
    expect(runsOf(db, 'sk-one')).toEqual([{ id: 'sk-one-r1', state: 'completed' }])

    const b = await startUntil(['--db', db, ...SOAK, '--count', '2', '--every', '0s', '--series', 'sk-two'], {}, /run 1 starting/)
    const textB = { text: b.out }
    const doneB = exited(b.child, textB)
    b.child.kill('SIGINT')
    await new Promise<void>((resolve) => {
      const check = () => (/stopping the soak/.test(textB.text) ? resolve() : setTimeout(check, 50))
      check()
    })
    b.child.kill('SIGINT')
    expect(await doneB).toBe(1)
    expect(textB.text).toMatch(/cancelling the current run/)
    expect(textB.text).toMatch(/\[soak\] cancelled: the current run was cancelled at 1 of 2/)
    expect(runsOf(db, 'sk-two')).toEqual([{ id: 'sk-two-r1', state: 'cancelled' }])
    // Nothing the run started is left: recover finds nothing.
    expect(shipgate(['--db', db, 'recover']).stdout).toMatch(/nothing to recover/)
  }, 180_000)
})
