// Charts load on demand: echarts is its own chunk, fetched the first time a view draws a chart.
import { lazy, Suspense } from 'react'

const LazyEChart = lazy(() => import('./EChart'))

export function EChart(props: { option: Record<string, unknown>; height?: number; label: string }) {
  return (
    <Suspense fallback={<div className="echart loading" style={{ height: props.height ?? 260 }} aria-busy="true" />}>
      <LazyEChart {...props} />
    </Suspense>
  )
}
