// The campaign schema refuses campaigns that would test nothing or mean something else on a host.
import { describe, expect, it } from 'vitest'
import { campaignSchema, campaignWarnings, describeIssues } from '@shared/campaign'

const hosts = { 'node-a': { address: 'a' }, 'node-b': { address: 'b' }, 'node-c': { address: 'c' }, chaos: { address: 'd' } }

function issues(input: Record<string, unknown>): string[] {
  const r = campaignSchema.safeParse({ name: 'c', hosts, ...input })
  return r.success ? [] : describeIssues(r.error)
}

describe('the campaign schema', () => {
  it('refuses a fault injected after every write, naming both fields', () => {
    expect(issues({ parameters: { phase4: { writes_per_cycle: 10, fault_at_write: 10 } } })).toEqual([
      'parameters.phase4.fault_at_write: must be below parameters.phase4.writes_per_cycle (10): with fault_at_write 10 every write lands before the fault',
    ])
    expect(issues({ parameters: { phase4: { writes_per_cycle: 10, fault_at_write: 9 } } })).toEqual([])
  })

  it('refuses relative paths and control characters in paths', () => {
    expect(issues({ hosts: { ...hosts, 'node-a': { address: 'a', workdir: 'tmp/shipgate' } } })).toEqual(['hosts.node-a.workdir: must be an absolute path (start with /)'])
    expect(issues({ hosts: { ...hosts, 'node-b': { address: 'b', workdir: '/tmp/ship\ngate' } } })).toEqual(['hosts.node-b.workdir: must not contain control characters (newline, tab, NUL …)'])
    expect(issues({ ai_memory: { binary: '/usr/local/bin/ai-memory\t' } })).toEqual(['ai_memory.binary: must not contain control characters (newline, tab, NUL …)'])
  })

  it('isolates ai-memory from the host config and pins the tier by default', () => {
    const c = campaignSchema.parse({ name: 'c', hosts })
    expect(c.ai_memory.config).toBe('shipgate')
    expect(c.ai_memory.tier).toBe('keyword')
  })

  it('warns about a run whose failure is known in advance', () => {
    const c = campaignSchema.parse({ name: 'c', hosts, parameters: { phase3: { memories: 1500 } } })
    expect(campaignWarnings(c)[0]).toMatch(/phase3\.memories is 1500: ai-memory v0\.6\.0 clamps a Postgres list to 1000 rows/)
    expect(campaignWarnings(campaignSchema.parse({ name: 'c', hosts }))).toEqual([])
  })
})
