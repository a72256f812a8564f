import { describe, expect, it } from 'vitest'
import { boundTrendOption } from '@shared/charts'
import type { TrendRun } from '@shared/views'

function run(id: string, bounds: TrendRun['bounds']): TrendRun {
  return { id, campaign: 'c', version: null, completedAt: null, verdict: 'pass', phases: ['pass', 'pass', 'pass', 'pass'], bounds, durations: {}, threshold: 0.995, simulated: false }
}

describe('the convergence trend', () => {
  it('leaves gaps for runs without the fault class and drops untrustworthy figures', () => {
    const runs = [
      run('r1', { partition_minority: { value: 0.2, definition: 'chaos.bound.surviving-peers@2', status: 'fail' } }),
      run('r2', { kill_primary_mid_write: { value: 0.03, definition: 'chaos.bound.uptime@0', status: 'fail' } }),
      run('r3', { partition_minority: { value: 1, definition: 'chaos.bound.surviving-peers@2', status: 'pass' } }),
    ]
    const option = boundTrendOption(runs, 0.995, { animation: false }) as { series: { name: string; data: (number | null)[]; connectNulls?: boolean; z?: number }[] }
    const byName = Object.fromEntries(option.series.map((s) => [s.name, s]))
    expect(byName.partition_minority?.data).toEqual([0.2, null, 1])
    expect(byName.partition_minority?.connectNulls).toBe(false)
    // The uptime metric of r17's era is not a convergence bound: no point at all.
    expect(byName.kill_primary_mid_write?.data).toEqual([null, null, null])
    expect(byName['threshold 0.995']?.data).toEqual([0.995, 0.995, 0.995])
    expect(byName['threshold 0.995']?.z).toBeGreaterThan(2)
  })
})
