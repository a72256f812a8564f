// runner_overhead_pct: the share of a full demo campaign's wall time (real sizes: 4 agents × 50
// writes, 1000 memories, 50 cycles × 100 writes per fault class) not spent in remote commands or in
// the waits the protocol requires.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { demoCampaign } from '../../src-main/demo/demo'
import { createServices } from '../../src-main/services/container'
import type { Figure } from './figure'

export async function benchRunner(): Promise<Figure[]> {
  const dir = mkdtempSync(join(tmpdir(), 'shipgate-bench-runner-'))
  const services = createServices({ dbPath: join(dir, 'h.sqlite'), appVersion: 'bench', knownHostsFiles: [], digitalOceanToken: () => null })
  try {
    const campaign = await demoCampaign()
    const outcome = await services.runs.start(campaign)
    if (outcome.evaluation.verdict !== 'pass') throw new Error(`the demo campaign did not pass: ${outcome.evaluation.reason}`)
    const timings = services.store.timings.list(outcome.runId).map((t) => ({ phase: t.phase, ms: (t.finishedAt ?? 0) - (t.startedAt ?? 0) }))
    const pct = Math.round((outcome.overheadMs / outcome.wallMs) * 10000) / 100
    return [
      { name: 'runner_overhead_pct', value: pct, unit: '%', target: '< 5', note: `${Math.round(outcome.overheadMs)} ms of ${Math.round(outcome.wallMs)} ms wall` },
      { name: 'demo_campaign_wall_ms', value: Math.round(outcome.wallMs), unit: 'ms', note: timings.map((t) => `P${t.phase} ${(t.ms / 1000).toFixed(1)}s`).join(', ') },
    ]
  } finally {
    services.close()
    rmSync(dir, { recursive: true, force: true })
  }
}
