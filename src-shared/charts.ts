// Chart options as pure functions of domain data: the renderer draws them, the report export renders
// the same options to SVG on the server. One colour per series everywhere; no animation in exports.
import type { ChaosCycle, PhaseStatus } from './domain'
import type { TrendRun } from './views'
import { METRIC_DEFINITIONS, runningBound } from './catalog'

export const SERIES_COLORS = {
  ok: '#4c78a8',
  node1: '#59a14f',
  node2: '#9c755f',
  bound: '#e15759',
  threshold: '#b07aa1',
  fault: ['#4c78a8', '#f58518', '#54a24b', '#b279a2'],
  phase: ['#4c78a8', '#f58518', '#54a24b', '#b279a2'],
}

export const STATUS_COLORS: Record<PhaseStatus, string> = { pass: '#2e7d32', fail: '#c62828', error: '#b26a00', not_run: '#9e9e9e' }

type Option = Record<string, unknown>

/**
 * Per-cycle chart of one fault class: acknowledged writes, both survivors' counts, the running bound,
 * and the threshold the run was judged with (its evaluation's own; null draws no threshold line).
 */
export function cycleChartOption(fault: string, cycles: ChaosCycle[], threshold: number | null, opts: { animation?: boolean; definition?: string } = {}): Option {
  const rows = cycles.filter((c) => c.fault === fault).sort((a, b) => a.cycle - b.cycle)
  // The catalog's rule, cycle by cycle: a missing count breaks the line, it is never read as 0.
  const bound = runningBound(rows, opts.definition ?? definitionOfRows(rows)).map((b) => (b === null ? null : Number(b.toFixed(4))))
  const errored = rows.filter((c) => c.status === 'error').map((c) => ({ xAxis: String(c.cycle) }))
  // What each survivor holds of the acknowledged writes (by title), else the namespace count of older rows.
  const held = (c: ChaosCycle, i: 0 | 1) => c.ackedHeld?.[i] ?? c.counts[i + 1] ?? null
  return {
    animation: opts.animation ?? true,
    title: { text: fault, left: 0, top: 0, textStyle: { fontSize: 13 } },
    tooltip: { trigger: 'axis' },
    legend: { bottom: 0, left: 'center', itemGap: 22, textStyle: { fontSize: 11 }, data: ['acknowledged (201)', 'node-1 holds', 'node-2 holds', 'bound (running)', ...(threshold === null ? [] : [`threshold ${threshold}`])] },
    grid: { left: 56, right: 64, top: 48, bottom: 68 },
    xAxis: { type: 'category', name: 'cycle', nameLocation: 'middle', nameGap: 26, data: rows.map((c) => String(c.cycle)) },
    yAxis: [
      { type: 'value', name: 'writes per cycle', nameTextStyle: { align: 'left' }, minInterval: 1 },
      { type: 'value', name: 'bound', nameTextStyle: { align: 'right' }, min: 0, max: 1.2, interval: 0.2, splitLine: { show: false } },
    ],
    series: [
      { name: 'acknowledged (201)', type: 'bar', data: rows.map((c) => c.ok), itemStyle: { color: SERIES_COLORS.ok }, markArea: errored.length ? { itemStyle: { color: 'rgba(178,106,0,0.15)' }, data: errored.map((e) => [e, e]) } : undefined },
      { name: 'node-1 holds', type: 'line', data: rows.map((c) => held(c, 0)), itemStyle: { color: SERIES_COLORS.node1 }, symbolSize: 4 },
      { name: 'node-2 holds', type: 'line', data: rows.map((c) => held(c, 1)), itemStyle: { color: SERIES_COLORS.node2 }, symbolSize: 4, lineStyle: { type: 'dashed' } },
      {
        name: 'bound (running)',
        type: 'line',
        yAxisIndex: 1,
        data: bound,
        itemStyle: { color: SERIES_COLORS.bound },
        symbol: 'none',
      },
      // The threshold as a series of its own: named in the legend, no label over the bars.
      ...(threshold === null ? [] : [{ name: `threshold ${threshold}`, type: 'line', yAxisIndex: 1, data: rows.map(() => threshold), symbol: 'none', silent: true, itemStyle: { color: SERIES_COLORS.threshold }, lineStyle: { type: 'dotted', width: 2 } }]),
    ],
  }
}

/**
 * Convergence bound per fault class across runs (x = runs in order). Figures the checks judged
 * unusable (an uptime metric, an impossible value, a harness log) are left out of the line. The
 * threshold line follows each run's own threshold (a campaign may change it); runs that do not
 * record one leave a gap. The legend names the threshold when every run shares one.
 */
export function boundTrendOption(runs: TrendRun[], opts: { animation?: boolean } = {}): Option {
  const thresholds = [...new Set(runs.map((r) => r.threshold).filter((t): t is number => t !== null))]
  const thresholdName = thresholds.length === 1 ? `threshold ${thresholds[0]}` : 'threshold (per run)'
  const faults = [...new Set(runs.flatMap((r) => Object.keys(r.bounds)))].sort()
  const trusted = (b: TrendRun['bounds'][string] | undefined) =>
    b && b.value !== null && b.status !== 'error' && (!b.definition || METRIC_DEFINITIONS[b.definition]?.trustworthy !== false) ? b.value : null
  return {
    animation: opts.animation ?? true,
    tooltip: { trigger: 'axis' },
    legend: { top: 0, type: 'scroll', itemGap: 22, data: [...faults, ...(thresholds.length ? [thresholdName] : [])] },
    grid: { left: 56, right: 24, top: 40, bottom: 80 },
    xAxis: { type: 'category', data: runs.map((r) => r.id), axisLabel: { rotate: 30, fontSize: 10 } },
    yAxis: { type: 'value', name: 'bound', min: 0, max: 1.2, interval: 0.2 },
    series: [
      ...faults.map((f, i) => ({
        name: f,
        type: 'line',
        // A run that did not record the fault class is a gap, not a straight line across it.
        connectNulls: false,
        showSymbol: true,
        showAllSymbol: true,
        symbolSize: 9,
        data: runs.map((r) => trusted(r.bounds[f])),
        itemStyle: { color: SERIES_COLORS.fault[i % SERIES_COLORS.fault.length] },
      })),
      // Drawn over the series: a bound of 1 would otherwise hide the 0.995 line.
      ...(thresholds.length === 1
        ? [{ name: thresholdName, type: 'line', z: 3, connectNulls: false, data: runs.map((r) => r.threshold), symbol: 'none', silent: true, itemStyle: { color: SERIES_COLORS.threshold }, lineStyle: { type: 'dotted', width: 2 } }]
        : thresholds.length > 1
          ? // Thresholds that differ between runs: a dash at each run's own, never a line that suggests a trend.
            [{ name: thresholdName, type: 'scatter', z: 3, data: runs.map((r) => r.threshold), symbol: 'rect', symbolSize: [26, 3], silent: true, itemStyle: { color: SERIES_COLORS.threshold } }]
          : []),
    ],
  }
}

/** Rows that carry what each survivor holds of the acknowledged writes are under the acknowledged-writes bound. */
function definitionOfRows(rows: ChaosCycle[]): string {
  return rows.some((r) => r.ackedHeld !== null) ? 'chaos.bound.acked-writes@3' : 'chaos.bound.surviving-peers@2'
}

const STATUS_INDEX: Record<PhaseStatus, number> = { pass: 0, fail: 1, error: 2, not_run: 3 }

/** A phase × run matrix of statuses. */
export function phaseMatrixOption(runs: TrendRun[], opts: { animation?: boolean } = {}): Option {
  const data = runs.flatMap((r, x) => r.phases.map((s, y) => [x, y, STATUS_INDEX[s]]))
  return {
    animation: opts.animation ?? true,
    tooltip: {},
    grid: { left: 72, right: 24, top: 12, bottom: 72 },
    xAxis: { type: 'category', data: runs.map((r) => r.id), axisLabel: { rotate: 30, fontSize: 10 }, splitArea: { show: true } },
    yAxis: { type: 'category', data: ['phase 1', 'phase 2', 'phase 3', 'phase 4'], inverse: true },
    visualMap: {
      type: 'piecewise',
      show: false,
      dimension: 2,
      pieces: [
        { value: 0, color: STATUS_COLORS.pass, label: 'PASS' },
        { value: 1, color: STATUS_COLORS.fail, label: 'FAIL' },
        { value: 2, color: STATUS_COLORS.error, label: 'ERROR' },
        { value: 3, color: STATUS_COLORS.not_run, label: 'NOT RUN' },
      ],
    },
    series: [{ type: 'heatmap', data, label: { show: true, formatter: (p: { value: number[] }) => ['✓', '✗', '!', '–'][p.value[2] ?? 3], color: '#fff' } }],
  }
}

/** Phase durations per run, stacked (seconds). */
export function durationsOption(runs: TrendRun[], opts: { animation?: boolean } = {}): Option {
  return {
    animation: opts.animation ?? true,
    tooltip: { trigger: 'axis' },
    legend: { top: 0, data: ['phase 1', 'phase 2', 'phase 3', 'phase 4'] },
    grid: { left: 56, right: 24, top: 36, bottom: 72 },
    xAxis: { type: 'category', data: runs.map((r) => r.id), axisLabel: { rotate: 30, fontSize: 10 } },
    yAxis: { type: 'value', name: 'seconds' },
    series: ([1, 2, 3, 4] as const).map((p, i) => ({
      name: `phase ${p}`,
      type: 'bar',
      stack: 'duration',
      data: runs.map((r) => (r.durations[p] !== undefined ? Math.round((r.durations[p] as number) / 100) / 10 : null)),
      itemStyle: { color: SERIES_COLORS.phase[i] },
    })),
  }
}
