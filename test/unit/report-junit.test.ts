// JUnit that CI can trust: a run that is not a pass can never export an all-green XML.
import { describe, expect, it } from 'vitest'
import type { RunDetail } from '@shared/domain'
import { junitXml } from '../../src-main/report/junit'
import { evaluateRun } from '../../src-main/verdict/evaluate'
import { fixtureRun } from '../helpers/fixtures'

function detail(name: string, thresholds = {}): RunDetail {
  const evaluation = evaluateRun({ artifacts: fixtureRun(name), thresholds }).evaluation
  return { id: name, campaign: 'c', source: 'import', state: 'completed', verdict: evaluation.verdict, reason: evaluation.reason, phaseStatuses: evaluation.phases.map((p) => p.status), aiMemoryRef: null, aiMemoryVersion: null, aiMemoryCommit: null, startedAt: null, completedAt: null, durationMs: null, warningCount: 0, costUsd: null, simulated: false, evaluation, artifacts: [], params: {}, phaseTimings: [], verdictHistory: [], stopReason: null }
}

const count = (xml: string, tag: string) => [...xml.matchAll(new RegExp(`<${tag}[ >]`, 'g'))].length

describe('JUnit', () => {
  it('an incomplete run (node-c never reported) carries errors for the phase and the verdict', () => {
    const xml = junitXml(detail('missing-node-r1'))
    expect(xml).toMatch(/<testcase classname="missing-node-r1\.verdict" name="Run verdict: INCOMPLETE"><error message="INCOMPLETE — phase 1 ERROR: [^"]*phase1-node-c\.json missing/)
    expect(xml).toMatch(/<testcase classname="missing-node-r1\.phase1" name="Phase 1 — functional \(per-node\): phase verdict"><error message="ERROR: /)
    expect(count(xml, 'error')).toBeGreaterThanOrEqual(2)
    expect(xml).not.toMatch(/<testsuite [^>]*errors="0"[^>]*>\n[^\n]*\.verdict/)
  })

  it('a failing run fails its phase and its verdict; a passing run is green and says what it rests on', () => {
    const fail = junitXml(detail('store-failed-r1'))
    expect(fail).toMatch(/name="Run verdict: FAIL"><failure message="FAIL — phase 1: store exited 1"/)
    const pass = junitXml(detail('good-r1'))
    expect(count(pass, 'failure') + count(pass, 'error')).toBe(0)
    expect(pass).toMatch(/name="Run verdict: PASS"><system-out>PASS — all four phases pass/)
    expect(pass).toContain('1 (stated by the harness, not recomputed)')
  })

  it('says when the thresholds were weakened', () => {
    const xml = junitXml(detail('good-r1', { p4BoundMin: 0 }))
    expect(xml).toContain('weakened: p4BoundMin 0 (default 0.995)')
  })
})
