// Chart options of the Soak view: the run × check heatmap, the kill_primary_mid_write bound and the
// wall-clock against the ±25 % band. Built from the series as judged in main (pure).
import { STATUS_COLORS } from '@shared/charts'
import type { SoakReport, SoakRunInput } from '@shared/soak'
import { THRESHOLDS } from '@shared/thresholds'

type Option = Record<string, unknown>

/**
 * One slot per index 1…max, so a run absent from the history is an empty column, not a missing one.
 */
export function slots(runs: SoakRunInput[]): { index: number; run: SoakRunInput | null }[] {
  const by = new Map(runs.map((r) => [r.index, r]))
  const max = runs.reduce((m, r) => Math.max(m, r.index), 0)
  return Array.from({ length: max }, (_, i) => ({ index: i + 1, run: by.get(i + 1) ?? null }))
}

const axis = (runs: SoakRunInput[]) => slots(runs).map((s) => `r${s.index}`)

const CHECK_STATUS = { pass: 0, fail: 1, error: 2 } as const

/** Rows of the heatmap: every check key seen in the series, the unsteady ones first. */
export function heatmapRows(runs: SoakRunInput[]): string[] {
  const keys = new Map<string, Set<string>>()
  for (const r of runs) for (const c of r.checks) {
    const key = c.subject ? `${c.check}[${c.subject}]` : c.check
    keys.set(key, (keys.get(key) ?? new Set()).add(c.status))
  }
  return [...keys].sort(([a, sa], [b, sb]) => Number(sb.size > 1 || !sb.has('pass')) - Number(sa.size > 1 || !sa.has('pass')) || a.localeCompare(b)).map(([k]) => k)
}

export function heatmapOption(runs: SoakRunInput[], rows: string[]): Option {
  const y = new Map(rows.map((k, i) => [k, i]))
  const data = runs.flatMap((r) => r.checks.map((c) => [r.index - 1, y.get(c.subject ? `${c.check}[${c.subject}]` : c.check) ?? 0, CHECK_STATUS[c.status]]))
  return {
    tooltip: { position: 'top' },
    grid: { left: 230, right: 16, top: 8, bottom: 64 },
    xAxis: { type: 'category', data: axis(runs), axisLabel: { fontSize: 10 }, splitArea: { show: true } },
    yAxis: { type: 'category', data: rows, inverse: true, axisLabel: { fontSize: 10, width: 220, overflow: 'truncate' } },
    visualMap: {
      type: 'piecewise',
      orient: 'horizontal',
      left: 'center',
      bottom: 0,
      dimension: 2,
      pieces: [
        { value: 0, color: STATUS_COLORS.pass, label: 'PASS' },
        { value: 1, color: STATUS_COLORS.fail, label: 'FAIL' },
        { value: 2, color: STATUS_COLORS.error, label: 'ERROR' },
      ],
    },
    series: [{ type: 'heatmap', data, itemStyle: { borderColor: '#fff', borderWidth: 1 } }],
  }
}

export function boundOption(runs: SoakRunInput[]): Option {
  const min = THRESHOLDS.p4BoundMin
  const values = slots(runs).map((s) => (s.run?.bound && s.run.bound.status !== 'error' ? s.run.bound.measured : null))
  return {
    tooltip: { trigger: 'axis' },
    legend: { top: 0 },
    grid: { left: 56, right: 24, top: 32, bottom: 32 },
    xAxis: { type: 'category', data: axis(runs) },
    yAxis: { type: 'value', min: (v: { min: number }) => Math.min(0.98, Math.floor(v.min * 100) / 100), max: 1, name: 'bound' },
    series: [
      { name: 'kill_primary_mid_write', type: 'line', connectNulls: false, data: values },
      // The gate's threshold as a line of its own (never the run's own, possibly weakened, one).
      { name: `threshold ${min}`, type: 'line', symbol: 'none', data: values.map(() => min), lineStyle: { color: STATUS_COLORS.fail, type: 'dashed' }, itemStyle: { color: STATUS_COLORS.fail } },
    ],
  }
}

export function durationOption(runs: SoakRunInput[], report: SoakReport): Option {
  const detail = report.criteria.find((c) => c.id === 'wall_clock')?.detail as { baselineMs: number | null; band: { low: number | null; high: number | null } } | undefined
  const minutes = (ms: number | null) => (ms === null ? null : Math.round(ms / 600) / 100)
  const band = detail?.band
  return {
    tooltip: { trigger: 'axis' },
    grid: { left: 56, right: 72, top: 24, bottom: 32 },
    xAxis: { type: 'category', data: axis(runs) },
    yAxis: { type: 'value', name: 'minutes' },
    series: [
      {
        name: 'wall-clock',
        type: 'line',
        data: slots(runs).map((s) => (!s.run || s.run.state === 'cancelled' ? null : minutes(s.run.durationMs))),
        ...(band && band.low !== null && band.high !== null
          ? {
              markArea: { silent: true, itemStyle: { color: 'rgba(46, 125, 50, 0.12)' }, data: [[{ yAxis: minutes(band.low), name: '±25 % of the baseline' }, { yAxis: minutes(band.high) }]] },
              markLine: { symbol: 'none', data: [{ yAxis: minutes(detail?.baselineMs ?? null), name: 'baseline' }], lineStyle: { type: 'dashed' }, label: { formatter: 'baseline' } },
            }
          : {}),
      },
    ],
  }
}
