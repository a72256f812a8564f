import { describe, expect, it } from 'vitest'
import type { PhaseResult, RunEvaluation } from '@shared/domain'
import { evaluateRun } from '../../src-main/verdict/evaluate'
import { fixtureRun } from '../helpers/fixtures'

function evaluate(name: string): RunEvaluation {
  return evaluateRun({ artifacts: fixtureRun(name) }).evaluation
}

function phase(e: RunEvaluation, n: number): PhaseResult {
  const p = e.phases.find((x) => x.phase === n)
  if (!p) throw new Error(`no phase ${n}`)
  return p
}

function allWarnings(e: RunEvaluation) {
  return [...e.warnings, ...e.phases.flatMap((p) => p.warnings)]
}

describe('verdict rules on hand-written pathologies', () => {
  it('passes a complete, healthy run and lists every check', () => {
    const e = evaluate('good-r1')
    expect(e.verdict).toBe('pass')
    expect(e.phases.map((p) => p.status)).toEqual(['pass', 'pass', 'pass', 'pass'])
    expect(phase(e, 1).checks.filter((c) => c.counted)).toHaveLength(19) // six per node, and the three nodes are three distinct hosts
    expect(e.reason).toMatch(/^PASS — all four phases pass/)
  })

  it('reads numbers and probe codes given as strings, ignores unknown fields and "reasons": [""]', () => {
    const e = evaluate('strings-r1')
    expect(e.verdict).toBe('pass')
    const b = phase(e, 2).checks.find((c) => c.id === 'p2.convergence' && c.subject === 'node-b')
    expect(b?.measured).toBe(199)
    expect(b?.value).toBe('b=199 / threshold 190')
    expect(phase(e, 2).checks.find((c) => c.id === 'p2.probe1')?.value).toBe('got 201')
  })

  it('makes an empty phase file an error, and later phases not run: incomplete', () => {
    const e = evaluate('empty-phase2-r1')
    expect(phase(e, 1).status).toBe('pass')
    expect(phase(e, 2).status).toBe('error')
    expect(phase(e, 2).summary).toMatch(/phase2\.json is empty/)
    expect(phase(e, 3).status).toBe('not_run')
    expect(phase(e, 4).status).toBe('not_run')
    expect(e.verdict).toBe('incomplete')
  })

  it('never passes phase 4 from a harness log, but keeps and explains its summary', () => {
    const e = evaluate('log-phase4-r1')
    const p4 = phase(e, 4)
    expect(p4.status).toBe('error')
    const kill = p4.checks.find((c) => c.id === 'p4.bound' && c.subject === 'kill_primary_mid_write')
    expect(kill?.status).toBe('error')
    expect(kill?.metricDefinition).toBe('chaos.bound.uptime@0')
    const partition = p4.checks.find((c) => c.id === 'p4.bound' && c.subject === 'partition_minority')
    expect(partition?.status).toBe('error')
    expect(partition?.value).toMatch(/aborted at cycle 1 of 3: node-0 failed to start/)
    const codes = p4.warnings.map((w) => w.code)
    expect(codes).toContain('harness_log')
    expect(codes).toContain('uptime_metric')
    expect(codes).toContain('cycles_short')
    expect(e.verdict).toBe('incomplete')
  })

  it('does not believe overall_pass: true with no phases', () => {
    const { evaluation: e, meta } = evaluateRun({ artifacts: fixtureRun('vacuous-r1') })
    expect(meta.overallPass).toBe(true)
    expect(e.phases.every((p) => p.status === 'not_run')).toBe(true)
    expect(e.verdict).toBe('incomplete')
    expect(e.warnings.find((w) => w.code === 'self_report_mismatch')?.message).toMatch(/overall_pass: true \(with 0 phase objects\)/)
  })

  it('turns the ERR sentinel into an error, never a number', () => {
    const e = evaluate('err-sentinel-r1')
    const b = phase(e, 2).checks.find((c) => c.id === 'p2.convergence' && c.subject === 'node-b')
    expect(b?.status).toBe('error')
    expect(b?.value).toBe('b=ERR / threshold 190')
    expect(phase(e, 2).status).toBe('error')
    const bound = phase(e, 4).checks.find((c) => c.id === 'p4.bound')
    expect(bound?.status).toBe('error')
    expect(allWarnings(e).filter((w) => w.code === 'err_sentinel')).toHaveLength(2)
    expect(e.verdict).toBe('incomplete')
  })

  it('makes a missing phase-1 node file an error of phase 1', () => {
    const e = evaluate('missing-node-r1')
    expect(phase(e, 1).status).toBe('error')
    expect(phase(e, 1).summary).toContain('phase1-node-c.json missing')
    expect(e.verdict).toBe('incomplete')
  })

  it("rejects a phase file holding another phase's object", () => {
    const e = evaluate('wrong-phase-r1')
    expect(phase(e, 3).status).toBe('error')
    expect(phase(e, 3).summary).toMatch(/not the phase-3 JSON object \("phase": 2\)/)
  })

  it('treats garbage, a JSON array and binary data as errors', () => {
    expect(phase(evaluate('garbage-r1'), 2).summary).toMatch(/not JSON/)
    const shapes = evaluate('shapes-r1')
    expect(phase(shapes, 2).summary).toMatch(/JSON an array, not an object/)
    expect(phase(shapes, 3).summary).toMatch(/binary data/)
    expect(shapes.verdict).toBe('incomplete')
  })

  it('recomputes the bound from per-cycle rows and flags cumulative counts (> 1)', () => {
    const e = evaluate('cumulative-r1')
    const bound = phase(e, 4).checks.find((c) => c.id === 'p4.bound')
    // rows: min counts 3, 6, 9 over ok 3+3+3 → 18/9 = 2 (the artifact also says 2)
    expect(bound?.measured).toBe(2)
    expect(bound?.status).toBe('error')
    expect(phase(e, 4).warnings.map((w) => w.code)).toContain('impossible_bound')
  })

  it('explains a bound of exactly 20/writes as the API page cap, and fails it', () => {
    const e = evaluate('pagecap-r1')
    expect(phase(e, 4).status).toBe('fail')
    expect(e.verdict).toBe('fail')
    expect(e.reason).toBe('FAIL — phase 4: partition_minority bound 0.2 < 0.995')
    const w = phase(e, 4).warnings.find((x) => x.code === 'page_cap')
    expect(w?.message).toMatch(/default page size/)
    expect(w?.evidence).toBe('phase4.json#convergence_by_fault.partition_minority')
  })

  it('does not pass a phase 4 in which every fault class timed out', () => {
    const e = evaluate('all-timeout-r1')
    expect(phase(e, 4).status).toBe('error')
    expect(phase(e, 4).checks.find((c) => c.id === 'p4.faults')?.status).toBe('error')
    expect(phase(e, 4).warnings.find((w) => w.code === 'self_report_mismatch')).toBeDefined()
    expect(e.verdict).toBe('incomplete')
  })

  it('warns when a phase-2 count equals the 200-row page while more writes were acknowledged', () => {
    const e = evaluate('p2cap-r1')
    const caps = phase(e, 2).warnings.filter((w) => w.code === 'page_cap')
    expect(caps.map((w) => w.evidence)).toEqual(['phase2.json#counts.b', 'phase2.json#counts.c'])
    expect(phase(e, 2).status).toBe('fail')
    expect(phase(e, 2).summary).toContain('burst ran 250 writes, 200 configured')
  })

  it('calls a bound with no acknowledged write degenerate, not a pass', () => {
    const e = evaluate('degenerate-r1')
    const bound = phase(e, 4).checks.find((c) => c.id === 'p4.bound')
    expect(bound?.status).toBe('error')
    expect(phase(e, 4).warnings.map((w) => w.code)).toContain('degenerate_bound')
  })

  it('takes thresholds and workload from the campaign, not from the artifact', () => {
    const e = evaluateRun({ artifacts: fixtureRun('good-r1'), thresholds: { p1McpToolsMin: 40 }, params: { phase3Memories: 500 } }).evaluation
    const mcp = phase(e, 1).checks.find((c) => c.id === 'p1.mcp_tools')
    expect(mcp?.label).toBe('MCP handshake advertises ≥ 40 tools')
    expect(mcp?.status).toBe('fail')
    expect(phase(e, 3).checks.find((c) => c.id === 'p3.src_count')?.status).toBe('fail')
    expect(e.verdict).toBe('fail')
  })

  it('fails a phase when a check misses even if another node is broken', () => {
    const artifacts = fixtureRun('missing-node-r1').map((a) =>
      a.name === 'phase1-node-a.json' ? { ...a, bytes: Buffer.from(a.bytes.toString().replace('"mcp_tool_count": 36', '"mcp_tool_count": 12')) } : a,
    )
    const e = evaluateRun({ artifacts }).evaluation
    expect(phase(e, 1).status).toBe('fail')
    expect(e.verdict).toBe('fail')
  })
})

function check(e: RunEvaluation, id: string, subject?: string) {
  const c = e.phases.flatMap((p) => p.checks).find((x) => x.id === id && (subject === undefined || x.subject === subject))
  if (!c) throw new Error(`no check ${id}${subject ? ` (${subject})` : ''}`)
  return c
}

// Each hole through which a bad run used to pass, with a fixture of its own (test/fixtures/runs).
describe('per-cycle rows are the truth wherever they exist', () => {
  it('a stated bound of 1 over JSONL rows that give 0.2 is an error that shows both figures', () => {
    const e = evaluate('stated-vs-rows-r1')
    const b = check(e, 'p4.bound', 'kill_primary_mid_write')
    expect(b.status).toBe('error')
    expect(b.value).toBe('the artifact states 1 but its rows give 0.2 (Σmin=200 / Σok=1000)')
    expect(e.verdict).not.toBe('pass')
    expect(check(e, 'p4.rows').status).toBe('pass')
  })

  it('one torn line of the JSONL is an error that names the line', () => {
    const e = evaluate('jsonl-bad-line-r1')
    const rows = check(e, 'p4.rows')
    expect(rows.status).toBe('error')
    expect(rows.value).toMatch(/^phase4-cycles\.jsonl line 4 is not JSON/)
    expect(phase(e, 4).status).toBe('error')
  })

  it('cycles in error count against the fault class even when no cycle count is configured', () => {
    const e = evaluate('errored-cycles-r1')
    const cycles = check(e, 'p4.cycles', 'kill_primary_mid_write')
    expect(cycles.status).toBe('error')
    expect(cycles.value).toBe('10/10 cycles, 9 in error (cycle 2: timed out after 600 s)')
    expect(phase(e, 4).status).toBe('error')
    expect(e.verdict).toBe('incomplete')
  })

  it('a stated cycle count that disagrees with the rows is an error, never the count that decides', () => {
    const e = evaluate('recorded-override-r1')
    const cycles = check(e, 'p4.cycles', 'kill_primary_mid_write')
    expect(cycles.status).toBe('error')
    expect(cycles.value).toBe('the artifact says 10 cycles recorded, but it holds 3 rows')
  })
})

describe('only metric definitions the catalog knows are trusted', () => {
  it('an unknown definition is an error, whatever the figure', () => {
    const e = evaluate('unknown-definition-r1')
    const b = check(e, 'p4.bound', 'kill_primary_mid_write')
    expect(b.status).toBe('error')
    expect(b.value).toBe('unknown metric definition "chaos.bound.trust-me@9": only definitions Shipgate Lab knows are trusted')
    expect(e.verdict).toBe('incomplete')
  })

  it("a known, trustworthy figure that cannot be recomputed passes, and says it was stated by the harness", () => {
    const e = evaluate('good-r1')
    const b = check(e, 'p4.bound', 'kill_primary_mid_write')
    expect(b.status).toBe('pass')
    expect(b.provenance).toBe('stated')
    expect(b.value).toBe('1 (stated by the harness, not recomputed)')
    expect(allWarnings(e).map((w) => w.code)).toContain('stated_value')
  })
})

describe('the bound counts acknowledged writes, faults must bite', () => {
  it('full namespaces do not hide acknowledged writes that are missing (acked-writes@3)', () => {
    const e = evaluate('acked-lost-r1')
    const b = check(e, 'p4.bound', 'kill_primary_mid_write')
    expect(b.metricDefinition).toBe('chaos.bound.acked-writes@3')
    expect(b.value).toBe('0.9 (Σmin=900 / Σok=1000)')
    expect(b.status).toBe('fail')
  })

  it('a cycle where no write was attempted while the fault was in force is an error', () => {
    const e = evaluate('no-fault-window-r1')
    const w = check(e, 'p4.fault_window', 'kill_primary_mid_write')
    expect(w.status).toBe('error')
    expect(w.value).toBe('no write during the fault in cycle 4')
  })
})

describe('phase 1 is three hosts in their roles, every command exiting 0', () => {
  it("one node's file standing for all three is an error", () => {
    const e = evaluate('same-host-r1')
    const n = check(e, 'p1.nodes')
    expect(n.status).toBe('error')
    expect(n.value).toMatch(/node-a and node-b both come from host aim-good-r1-node-a/)
    expect(n.value).toMatch(/phase1-node-b\.json comes from aim-good-r1-node-a, a node-a host/)
    expect(phase(e, 1).status).toBe('error')
  })

  it('the host the campaign gives a role must be the one that answered', () => {
    const e = evaluateRun({ artifacts: fixtureRun('good-r1'), params: { nodeHosts: { 'node-b': 'droplet-b' } } }).evaluation
    expect(check(e, 'p1.nodes').value).toBe('node-b ran on aim-good-r1-node-b, but the campaign gives that role to droplet-b')
  })

  it('a failed store fails the node, whatever the rest of its output says', () => {
    const e = evaluate('store-failed-r1')
    const s = check(e, 'p1.steps', 'node-a')
    expect(s.status).toBe('fail')
    expect(s.value).toBe('store exited 1')
    expect(e.verdict).toBe('fail')
  })
})

describe('weakened thresholds and workloads leave a trace', () => {
  it('get a threshold-set id of their own and a list of changes', () => {
    const e = evaluateRun({ artifacts: fixtureRun('good-r1'), thresholds: { p4BoundMin: 0, p2Probe2Code: 201 }, params: { writesPerAgent: 1 } }).evaluation
    expect(e.thresholdSet).toMatch(/^shipgate-thresholds@1~weakened-[0-9a-f]{8}$/)
    expect(e.deviations.map((d) => d.text)).toEqual(expect.arrayContaining(['weakened: p4BoundMin 0 (default 0.995)', 'weakened: p2Probe2Code 201 (default 503)', 'weakened: writesPerAgent 1 (default 50)']))
    expect(e.warnings.find((w) => w.code === 'weakened')?.message).toContain('weakened: p4BoundMin 0 (default 0.995)')
    // The default set keeps its name; a stricter one says it is custom.
    expect(evaluate('good-r1').thresholdSet).toBe('shipgate-thresholds@1')
    expect(evaluateRun({ artifacts: fixtureRun('good-r1'), thresholds: { p4BoundMin: 0.999 } }).evaluation.thresholdSet).toMatch(/~custom-/)
  })
})

describe('facts of the run reach the verdict', () => {
  it('a fault whose heal was never verified keeps a passing run from a clean pass', () => {
    const clean = evaluateRun({ artifacts: fixtureRun('good-r1'), facts: { state: 'completed', journal: [{ kind: 'fault', state: 'released', hostRole: 'chaos', label: 'partition', detail: 'healed' }] } }).evaluation
    expect(clean.verdict).toBe('pass')
    const e = evaluateRun({ artifacts: fixtureRun('good-r1'), facts: { state: 'completed', journal: [{ kind: 'fault', state: 'failed', hostRole: 'chaos', label: 'partition_minority (cycle 50)', detail: 'exit 1: partition rule still in place' }] } }).evaluation
    expect(e.verdict).toBe('incomplete')
    expect(e.reason).toBe('INCOMPLETE — heal not verified on chaos: partition_minority (cycle 50) (undo failed: exit 1: partition rule still in place)')
    expect(e.warnings.map((w) => w.code)).toContain('heal_unverified')
  })

  it('a server the teardown could not stop is a warning, not a verdict change', () => {
    const e = evaluateRun({ artifacts: fixtureRun('good-r1'), facts: { state: 'completed', journal: [{ kind: 'process', state: 'failed', hostRole: 'node-a', label: 'stop serve', detail: 'still running' }] } }).evaluation
    expect(e.verdict).toBe('pass')
    expect(e.warnings.find((w) => w.code === 'teardown')?.message).toMatch(/may still be running on node-a/)
  })
})
