// The pure parts of a publication: ship-gate's campaign-summary.json, the log as text, reading a
// record someone else wrote, and cleaning escape codes out of untrusted text.
import { execFileSync } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { campaignSummary, clean, logText, parseRecord } from '../../src-main/publish/record'

const json = (v: unknown) => Buffer.from(JSON.stringify(v, null, 2))

describe('campaign-summary.json', () => {
  it("has collect_reports.sh's keys, the run's own completion time, and phases in bash's glob order, as jq -s reads them", () => {
    const artifacts = [
      { name: 'phase2.json', bytes: json({ phase: 2, pass: true, ok: 200.0 }) },
      { name: 'preflight.json', bytes: json({ problems: [] }) },
      { name: 'phase1-node-b.json', bytes: json({ node: 'b', pass: true }) },
      { name: 'phase1-node-a.json', bytes: json({ node: 'a', pass: true }) },
      { name: 'phase4-cycles.jsonl', bytes: Buffer.from('{"cycle":1}\n') },
    ]
    const text = campaignSummary({ id: 'x-r1', aiMemoryRef: null, completedAt: Date.UTC(2026, 0, 2, 3, 4, 5, 678), verdict: 'pass', artifacts })
    expect(text).toBe(campaignSummary({ id: 'x-r1', aiMemoryRef: null, completedAt: Date.UTC(2026, 0, 2, 3, 4, 5, 678), verdict: 'pass', artifacts }))
    const s = JSON.parse(text) as Record<string, unknown>
    expect(Object.keys(s)).toEqual(['campaign_id', 'ai_memory_git_ref', 'completed_at', 'overall_pass', 'phases'])
    expect(s).toMatchObject({ campaign_id: 'x-r1', ai_memory_git_ref: 'unknown', completed_at: '2026-01-02T03:04:05Z', overall_pass: true })
    const dir = mkdtempSync(join(tmpdir(), 'shipgate-summary-'))
    try {
      for (const a of artifacts) writeFileSync(join(dir, a.name), a.bytes)
      // collect_reports.sh's phase-reports/ held only phase files.
      const slurped = execFileSync('bash', ['-c', 'jq -s . phase1-node-*.json phase2.json'], { cwd: dir, encoding: 'utf8' })
      expect(s.phases).toEqual(JSON.parse(slurped))
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })

  it('says overall_pass false for any verdict but pass, whatever the files claim, and phases [] when a phase file is a harness log (as the script falls back)', () => {
    const artifacts = [
      { name: 'phase1-node-a.json', bytes: json({ pass: true }) },
      { name: 'phase4.json', bytes: Buffer.from('[chaos] cycle 1 of 50\n[chaos] killed primary\n') },
    ]
    for (const verdict of ['fail', 'incomplete']) {
      const s = JSON.parse(campaignSummary({ id: 'y-r2', aiMemoryRef: 'v0.6.0', completedAt: null, verdict, artifacts })) as { overall_pass: boolean; phases: unknown[]; completed_at: string }
      expect(s.overall_pass).toBe(false)
      expect(s.phases).toEqual([])
      expect(s.completed_at).toBe('unknown')
    }
  })
})

describe('shipgate-run.log', () => {
  it('is one tab-separated line per log line, with tabs, newlines, backslashes and control characters escaped', () => {
    const text = logText([
      { at: 0, phase: 2, host: 'node-a', stream: 'stdout', line: 'a\tb\nc\\d\re\u001b[31m' },
      { at: 1000, phase: null, host: null, stream: 'info', line: 'done' },
    ])
    const lines = text.split('\n')
    expect(lines).toEqual(['time\tphase\thost\tstream\tline', '1970-01-01T00:00:00.000Z\t2\tnode-a\tstdout\ta\\tb\\nc\\\\d\\re\\x1b[31m', '1970-01-01T00:00:01.000Z\t-\t-\tinfo\tdone', ''])
  })
})

describe('a record from someone else', () => {
  it('is refused with the reason, never its content: garbled, foreign, or with a bad field', () => {
    expect(parseRecord(Buffer.from('{"format": "shipgate-published-run@1", secret'))).toEqual({ problem: 'shipgate-run.json is garbled (not JSON)' })
    expect(parseRecord(Buffer.from('[1, 2]'))).toEqual({ problem: 'shipgate-run.json is garbled (not a JSON object)' })
    expect(parseRecord(json({ format: 'other@1' }))).toEqual({ problem: 'shipgate-run.json is foreign: its format is "other@1", not shipgate-published-run@1' })
    expect(parseRecord(json({}))).toEqual({ problem: 'shipgate-run.json is foreign: its format is missing, not shipgate-published-run@1' })
    const bad = parseRecord(json({ format: 'shipgate-published-run@1', run: { id: '../../etc' }, params: {}, phaseTimings: [], evaluation: {}, evidence: [], log: [] }))
    expect('problem' in bad && bad.problem).toMatch(/^shipgate-run\.json is not a valid record: run\.id: letters, digits/)
  })

  it('has its escape codes removed: CSI, OSC (title) sequences, a lone ESC and other controls (newlines and tabs stay)', () => {
    expect(clean('a\u001b[2J\u001b[31mb\u001b[0m')).toBe('ab')
    expect(clean('x\u001b]0;owned\u0007y\u001b]8;;http://e\u001b\\z')).toBe('xyz')
    expect(clean('p\u001bq\u0000r\u009bs\nt')).toBe('pqrs\nt')
  })
})
