// The one echarts wrapper: init, setOption, resize and dispose.
import { useEffect, useRef } from 'react'
import * as echarts from 'echarts/core'
import { BarChart, HeatmapChart, LineChart } from 'echarts/charts'
import { GridComponent, LegendComponent, MarkAreaComponent, MarkLineComponent, TitleComponent, TooltipComponent, VisualMapComponent } from 'echarts/components'
import { SVGRenderer } from 'echarts/renderers'

echarts.use([BarChart, LineChart, HeatmapChart, GridComponent, LegendComponent, MarkAreaComponent, MarkLineComponent, TitleComponent, TooltipComponent, VisualMapComponent, SVGRenderer])

export function EChart({ option, height = 260, label }: { option: Record<string, unknown>; height?: number; label: string }) {
  const ref = useRef<HTMLDivElement>(null)
  const chart = useRef<echarts.ECharts | null>(null)
  useEffect(() => {
    if (!ref.current) return
    const c = echarts.init(ref.current, window.matchMedia?.('(prefers-color-scheme: dark)').matches ? 'dark' : undefined, { renderer: 'svg' })
    chart.current = c
    const observer = new ResizeObserver(() => c.resize())
    observer.observe(ref.current)
    return () => {
      observer.disconnect()
      c.dispose()
      chart.current = null
    }
  }, [])
  useEffect(() => {
    // Short animations: the data should be readable at once.
    chart.current?.setOption({ backgroundColor: 'transparent', animationDuration: 250, animationDurationUpdate: 150, ...option }, true)
  }, [option])
  return <div ref={ref} className="echart" style={{ height }} role="img" aria-label={label} />
}
