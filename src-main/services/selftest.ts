// The gate's self-test: each phase against a healthy simulator (it must pass) and against each bug
// switch (the check meant to catch that bug must fail), so the gate is shown able to fail.
import type { CheckStatus, PhaseNumber, PhaseStatus } from '@shared/domain'
import { demoCampaign } from '../demo/demo'
import { DEFAULT_ENGINES } from '../engine/engines'
import { errorMessage } from '../lib/errors'
import { RunService } from './runs'
import type { Store } from '../store/store'

export interface SelftestCase {
  phase: PhaseNumber
  /** Bug switch (AI_MEMORY_SIM_BUGS) or null for the healthy simulator. */
  bug: string | null
  /** The check that guards against the bug, and the status it must reach. */
  guard: { check: string; subject?: string; expect: CheckStatus } | null
  why: string
}

export const SELFTEST_CASES: SelftestCase[] = [
  { phase: 1, bug: null, guard: null, why: 'healthy node' },
  { phase: 1, bug: 'mcp-tools=12', guard: { check: 'p1.mcp_tools', expect: 'fail' }, why: 'MCP server advertises too few tools' },
  { phase: 1, bug: 'no-manifest', guard: { check: 'p1.manifest', expect: 'fail' }, why: 'backup without its manifest' },
  { phase: 1, bug: 'recall-empty', guard: { check: 'p1.recall', expect: 'fail' }, why: 'recall finds nothing' },
  { phase: 1, bug: 'curator-error', guard: { check: 'p1.curator', expect: 'fail' }, why: 'curator reports an unexpected error' },
  { phase: 2, bug: null, guard: null, why: 'healthy federation' },
  { phase: 2, bug: 'drop-fanout', guard: { check: 'p2.convergence', subject: 'node-c', expect: 'fail' }, why: 'post-quorum fan-outs lost (r14)' },
  { phase: 2, bug: 'reject-source=api', guard: { check: 'p2.burst', expect: 'fail' }, why: 'source "api" rejected with 400 (r12)' },
  { phase: 2, bug: 'crash-on-start', guard: { check: 'p2.burst', expect: 'fail' }, why: 'serve crashes on start' },
  { phase: 2, bug: 'quorum-always-ok', guard: { check: 'p2.probe2', expect: 'fail' }, why: '201 without a quorum (misclassification)' },
  { phase: 3, bug: null, guard: null, why: 'healthy migration' },
  { phase: 3, bug: 'lose-rows=5', guard: { check: 'p3.dst_count', expect: 'fail' }, why: 'migration silently drops rows' },
  { phase: 3, bug: 'migrate-error', guard: { check: 'p3.forward_errors', expect: 'fail' }, why: 'migration reports an error' },
  { phase: 4, bug: null, guard: null, why: 'healthy chaos cycles' },
  { phase: 4, bug: 'drop-fanout', guard: { check: 'p4.bound', subject: 'drop_random_acks', expect: 'fail' }, why: 'post-quorum fan-outs lost under stopped peer' },
  { phase: 4, bug: 'reject-source=chaos', guard: { check: 'p4.bound', subject: 'kill_primary_mid_write', expect: 'error' }, why: 'source "chaos" rejected (r16): no write acknowledged' },
]

export interface SelftestResult {
  case: SelftestCase
  phaseStatus: PhaseStatus
  guardStatus: CheckStatus | 'absent' | null
  ok: boolean
  detail: string
  ms: number
}

/** Small sizes: the self-test proves the checks react, the benchmark and the demo use real sizes. */
const SIZES = { writesPerAgent: 10, memories: 40, cycles: 2, writesPerCycle: 12 }

export async function runSelftest(store: Store, options: { cases?: SelftestCase[]; onResult?: (r: SelftestResult) => void; concurrency?: number } = {}): Promise<SelftestResult[]> {
  const cases = options.cases ?? SELFTEST_CASES
  const results: SelftestResult[] = new Array(cases.length)
  let next = 0
  const worker = async () => {
    for (;;) {
      const i = next++
      const c = cases[i]
      if (!c) return
      const started = Date.now()
      let result: SelftestResult
      try {
        const campaign = await demoCampaign({
          name: `selftest-p${c.phase}-${(c.bug ?? 'healthy').replace(/[^A-Za-z0-9]+/g, '-')}`,
          phases: [c.phase],
          faults: ['kill_primary_mid_write', 'drop_random_acks'],
          ...SIZES,
          ...(c.bug ? { env: { AI_MEMORY_SIM_BUGS: c.bug } } : {}),
          overrides: {},
        })
        campaign.parameters.phase2.settle_deadline_s = 5
        campaign.parameters.phase4.settle_deadline_s = 3
        const outcome = await new RunService(store, {}, DEFAULT_ENGINES).start(campaign)
        const phase = outcome.evaluation.phases.find((p) => p.phase === c.phase)
        const phaseStatus = phase?.status ?? 'not_run'
        if (!c.guard) {
          const ok = phaseStatus === 'pass'
          result = { case: c, phaseStatus, guardStatus: null, ok, detail: ok ? 'no false alarm' : `false alarm: ${phase?.summary ?? ''}`, ms: Date.now() - started }
        } else {
          const guard = c.guard
          const check = phase?.checks.find((k) => k.id === guard.check && (guard.subject === undefined || k.subject === guard.subject))
          const guardStatus = check?.status ?? 'absent'
          const ok = guardStatus === guard.expect && phaseStatus !== 'pass'
          result = { case: c, phaseStatus, guardStatus, ok, detail: check ? `${check.label}${check.subject ? ` (${check.subject})` : ''}: ${check.value}` : `${guard.check} not found`, ms: Date.now() - started }
        }
      } catch (err) {
        result = { case: c, phaseStatus: 'error', guardStatus: null, ok: false, detail: errorMessage(err), ms: Date.now() - started }
      }
      results[i] = result
      options.onResult?.(result)
    }
  }
  await Promise.all(Array.from({ length: Math.max(1, options.concurrency ?? 2) }, worker))
  return results
}
