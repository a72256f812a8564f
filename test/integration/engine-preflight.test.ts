// A campaign against hosts that miss a prerequisite fails in preflight (or, for the PostgreSQL
// under phase 3, as an environment error) with the cause and the fix, never with a product FAIL.
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { campaignWarnings } from '@shared/campaign'
import { demoCampaign } from '../../src-main/demo/demo'
import type { Services } from '../../src-main/services/container'
import { testServices } from '../helpers/services'

let dir: string
let s: Services
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'shipgate-preflight-'))
  s = testServices(join(dir, 'h.sqlite'))
})
afterAll(() => {
  s.close()
  rmSync(dir, { recursive: true, force: true })
})

describe('host preflight', { timeout: 180_000 }, () => {
  it('a binary that does not answer stops every phase as an error naming the cause and the fix', async () => {
    const campaign = await demoCampaign({ name: 'nobinary', baseDir: mkdtempSync(join(dir, 'lab-')), phases: [1, 2], binary: '/nonexistent/ai-memory' })
    const outcome = await s.runs.start(campaign)
    const e = outcome.evaluation
    expect(e.verdict).toBe('incomplete')
    for (const phase of [1, 2]) {
      const p = e.phases.find((x) => x.phase === phase)
      expect(p?.status).toBe('error')
      expect(p?.summary).toMatch(/^preflight: /)
      for (const node of ['demo-node-a', 'demo-node-b', 'demo-node-c']) expect(p?.summary).toContain(`/nonexistent/ai-memory --version failed on ${node}: /bin/sh: 1: /nonexistent/ai-memory: not found — fix: install ai-memory at /nonexistent/ai-memory on ${node}`)
    }
    expect(s.store.artifacts.list(outcome.runId).map((a) => a.name)).toEqual(['preflight.json'])
  })

  it('a build other than the one the campaign expects is refused before any phase', async () => {
    const campaign = await demoCampaign({ name: 'wrongversion', baseDir: mkdtempSync(join(dir, 'lab-')), phases: [1] })
    campaign.ai_memory.version = '9.9.9'
    const e = (await s.runs.start(campaign)).evaluation
    expect(e.phases[0]?.status).toBe('error')
    expect(e.phases[0]?.summary).toMatch(/preflight: demo-node-a runs ai-memory 0\.6\.0\+shipgate-sim, but the campaign expects 9\.9\.9 — fix: install ai-memory 9\.9\.9/)
  })

  // The simulator's build features stand in for cargo's (src/main.rs:182-183: `migrate` needs `sal`,
  // a postgres:// store needs `sal-postgres`); a default build must stop phase 3 in preflight.
  for (const [features, cause] of [
    ['', /preflight: ai-memory on demo-node-a has no `migrate` command \(the `sal` feature is not compiled in\): error: unrecognized subcommand 'migrate'/],
    ['sal', /preflight: ai-memory on demo-node-a has `migrate` but no Postgres support \(the `sal-postgres` feature is not compiled in\): .*unrecognised store URL/],
  ] as const) {
    it(`a build with features "${features}" stops phase 3 in preflight with the cargo command that fixes it`, async () => {
      const campaign = await demoCampaign({ name: `features-${features || 'none'}`, baseDir: mkdtempSync(join(dir, 'lab-')), phases: [1, 3], memories: 10 })
      campaign.ai_memory.env = { ...campaign.ai_memory.env, AI_MEMORY_SIM_FEATURES: features }
      const e = (await s.runs.start(campaign)).evaluation
      expect(e.phases.find((p) => p.phase === 1)?.status).toBe('pass')
      const p3 = e.phases.find((p) => p.phase === 3)
      expect(p3?.status).toBe('error')
      expect(p3?.summary).toMatch(cause)
      expect(p3?.summary).toContain('fix: build ai-memory with `cargo build --release --features sal,sal-postgres`')
      expect(p3?.checks.filter((c) => c.status === 'fail')).toEqual([])
      expect(e.verdict).toBe('incomplete')
    })
  }

  // handlers.rs:82-125: with an api_key every route but health answers 401 without X-API-Key. The
  // campaign's key goes into the run's config and every request of the engines, so phase 1 passes; but
  // v0.6.0's quorum fan-out posts to peers without the key (federation.rs:293), so a keyed federation
  // never reaches quorum. Phase 2 fails for real, and the campaign says so before it runs.
  it('a campaign api_key reaches the servers and every engine request, is never kept in clear, and a keyed federation fails as v0.6.0 does', async () => {
    const secret = 'k3y-only-in-the-keychain'
    const campaign = await demoCampaign({ name: 'apikey', baseDir: mkdtempSync(join(dir, 'lab-')), phases: [1, 2] })
    campaign.ai_memory.api_key = secret
    expect(campaignWarnings(campaign).join('\n')).toMatch(/sends no X-API-Key on its quorum fan-out .*phases 2 and 4 fail/)
    const outcome = await s.runs.start(campaign)
    const [p1, p2] = outcome.evaluation.phases
    expect(p1?.status).toBe('pass')
    expect(p2?.status).toBe('fail')
    expect(p2?.checks.find((c) => c.id === 'p2.burst')?.status).toBe('fail')
    // The engine's own writes carried the key (no 401); the peers' fan-out did not (503 quorum_not_met).
    const burst = JSON.parse(s.store.artifacts.get(outcome.runId, 'phase2.json')?.bytes.toString() ?? '{}') as { codes?: Record<string, number> }
    expect(burst.codes?.['401']).toBeUndefined()
    expect(burst.codes?.['503']).toBeGreaterThan(0)
    expect(JSON.stringify(s.store.runs.get(outcome.runId)?.params)).not.toContain(secret)
    expect(s.store.logs.list(outcome.runId, 0, 100_000).some((l) => l.line.includes(secret))).toBe(false)
  })

  it('a PostgreSQL without pgvector is an environment error of phase 3, never a product FAIL', async () => {
    // Debian's own PostgreSQL has no pgvector package: the managed cluster from its binaries lacks the extension.
    const campaign = await demoCampaign({ name: 'novector', baseDir: mkdtempSync(join(dir, 'lab-')), phases: [3], memories: 10 })
    campaign.parameters.phase3.postgres = { managed: true, server: 'system' }
    const e = (await s.runs.start(campaign)).evaluation
    const p3 = e.phases.find((p) => p.phase === 3)
    expect(p3?.status).toBe('error')
    expect(p3?.summary).toMatch(/^(environment: PostgreSQL at 127\.0\.0\.1:\d+\/postgres has no pgvector .*install pgvector|preflight: the PostgreSQL on demo-node-a has no pgvector extension)/)
    expect(e.verdict).toBe('incomplete')
    expect(p3?.checks.filter((c) => c.status === 'fail')).toEqual([])
  })
})
