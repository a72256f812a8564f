import { describe, expect, it } from 'vitest'
import { boundTrendOption, cycleChartOption } from '@shared/charts'
import type { TrendRun } from '@shared/views'

function run(id: string, bounds: TrendRun['bounds'], threshold: number | null = 0.995): TrendRun {
  return { id, campaign: 'c', version: null, completedAt: null, verdict: 'pass', phases: ['pass', 'pass', 'pass', 'pass'], bounds, durations: {}, threshold, simulated: false }
}

describe('the convergence trend', () => {
  it('leaves gaps for runs without the fault class and drops untrustworthy figures', () => {
    const runs = [
      run('r1', { partition_minority: { value: 0.2, definition: 'chaos.bound.surviving-peers@2', status: 'fail' } }),
      run('r2', { kill_primary_mid_write: { value: 0.03, definition: 'chaos.bound.uptime@0', status: 'fail' } }),
      run('r3', { partition_minority: { value: 1, definition: 'chaos.bound.surviving-peers@2', status: 'pass' } }),
    ]
    const option = boundTrendOption(runs, { animation: false }) as { series: { name: string; data: (number | null)[]; connectNulls?: boolean; z?: number }[] }
    const byName = Object.fromEntries(option.series.map((s) => [s.name, s]))
    expect(byName.partition_minority?.data).toEqual([0.2, null, 1])
    expect(byName.partition_minority?.connectNulls).toBe(false)
    // The uptime metric of r17's era is not a convergence bound: no point at all.
    expect(byName.kill_primary_mid_write?.data).toEqual([null, null, null])
    expect(byName['threshold 0.995']?.data).toEqual([0.995, 0.995, 0.995])
    expect(byName['threshold 0.995']?.z).toBeGreaterThan(2)
  })
})

type Series = { name: string; data: (number | null)[] }

describe('threshold lines come from each run\'s own evaluation', () => {
  it('follows a campaign that changed the bound, and leaves a gap where a run records none', () => {
    const runs = [run('r1', {}, 0.995), run('r2', {}, 0.9), run('r3', {}, null)]
    const option = boundTrendOption(runs, { animation: false }) as { series: Series[]; legend: { data: string[] } }
    const line = option.series.find((s) => s.name === 'threshold (per run)')
    expect(line?.data).toEqual([0.995, 0.9, null])
    expect(option.legend.data).toContain('threshold (per run)')
  })

  it('draws no threshold line for runs that record none, and names a shared one', () => {
    const none = boundTrendOption([run('r1', {}, null)], { animation: false }) as { series: Series[] }
    expect(none.series.some((s) => s.name.startsWith('threshold'))).toBe(false)
    const cycles = [{ fault: 'partition_minority', cycle: 1, writes: 10, ok: 10, quorumNotMet: 0, fail: 0, counts: [10, 10, 10], ackedHeld: null, convergeMs: 5, converged: true, verified: true, status: 'ok', error: null }]
    const withBound = cycleChartOption('partition_minority', cycles as never, 0.9, { animation: false }) as { series: Series[] }
    expect(withBound.series.map((s) => s.name)).toContain('threshold 0.9')
    const without = cycleChartOption('partition_minority', cycles as never, null, { animation: false }) as { series: Series[] }
    expect(without.series.some((s) => s.name.startsWith('threshold'))).toBe(false)
  })
})
