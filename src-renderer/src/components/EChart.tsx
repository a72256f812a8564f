// The one echarts wrapper: init, setOption, resize and dispose. Loaded lazily through Chart.tsx.
import { useEffect, useRef } from 'react'
import { withDisplayPrefs } from '../lib/chart-options'
import { usePrefersDark, useReducedMotion } from '../lib/hooks'
import { echarts } from './echarts-core'

export default function EChart({ option, height = 260, label }: { option: Record<string, unknown>; height?: number; label: string }) {
  const ref = useRef<HTMLDivElement>(null)
  const chart = useRef<ReturnType<typeof echarts.init> | null>(null)
  const dark = usePrefersDark()
  const reducedMotion = useReducedMotion()
  useEffect(() => {
    if (!ref.current) return
    const c = echarts.init(ref.current, dark ? 'dark' : undefined, { renderer: 'svg' })
    chart.current = c
    const observer = new ResizeObserver(() => c.resize())
    observer.observe(ref.current)
    return () => {
      observer.disconnect()
      c.dispose()
      chart.current = null
    }
  }, [dark])
  useEffect(() => {
    chart.current?.setOption(withDisplayPrefs(option, { dark, reducedMotion }), true)
  }, [option, dark, reducedMotion])
  return <div ref={ref} className="echart" style={{ height }} role="img" aria-label={label} />
}
