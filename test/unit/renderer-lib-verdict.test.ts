// src-renderer/src/lib/verdict.ts: the pure verdict helpers of the report (preflight cause and fix, verdict history, headlines).

import { describe, expect, it } from 'vitest'
import type { RunDetail } from '@shared/domain'
import { preflightProblems, verdictHistoryLine, withoutCitations } from '../../src-renderer/src/lib/verdict'

describe('verdict helpers', () => {
  it('splits preflight problems into cause and fix, once per problem with the phases it stopped', () => {
    const summary = 'preflight: ai-memory --version failed on node-a: not found — fix: install ai-memory on node-a; ai-memory --version failed on node-b: not found — fix: install ai-memory on node-b'
    const phase = (n: 1 | 2) => ({ phase: n, status: 'error', summary, checks: [], warnings: [], metrics: [], artifacts: ['preflight.json'] })
    const run = { evaluation: { phases: [phase(1), phase(2)] } } as unknown as RunDetail
    expect(preflightProblems(run)).toEqual([
      { phases: [1, 2], cause: 'ai-memory --version failed on node-a: not found', fix: 'install ai-memory on node-a' },
      { phases: [1, 2], cause: 'ai-memory --version failed on node-b: not found', fix: 'install ai-memory on node-b' },
    ])
  })

  it('reads the verdict history oldest first, and keeps citations out of a headline', () => {
    const e = { verdict: 'incomplete', evaluatorVersion: 'evaluator@2' } as RunDetail['evaluation']
    expect(verdictHistoryLine([{ evaluatorVersion: 'evaluator@1', thresholdSet: 's', verdict: 'fail', reason: 'r', judgedAt: 1 }], e)).toBe('judged FAIL by evaluator@1, INCOMPLETE by evaluator@2')
    expect(withoutCitations('All four phases pass [cite: verdict, p1.nodes].')).toBe('All four phases pass.')
  })
})
