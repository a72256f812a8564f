// One per-cycle chart per fault class, against the threshold this run was judged with.
import { useMemo, useState } from 'react'
import { cycleChartOption } from '@shared/charts'
import type { ChaosCycle } from '@shared/domain'
import { EChart } from '../../components/Chart'
import { CycleTable } from './CycleTable'

export function ChaosCharts({ cycles, threshold }: { cycles: ChaosCycle[]; threshold: number | null }) {
  const options = useMemo(() => [...new Set(cycles.map((c) => c.fault))].map((f) => ({ f, option: cycleChartOption(f, cycles, threshold) })), [cycles, threshold])
  const [showCycles, setShowCycles] = useState(false)
  if (options.length === 0) return null
  return (
    <div className="charts">
      {options.map(({ f, option }) => (
        <EChart key={f} option={option} label={`per-cycle chart of ${f}`} />
      ))}
      {threshold === null && <p className="small muted">This record does not say which convergence threshold it was judged with: no threshold line is drawn.</p>}
      <button className="link" onClick={() => setShowCycles(!showCycles)}>
        {showCycles ? 'hide' : 'show'} the {cycles.length} cycle rows as a table
      </button>
      {showCycles && <CycleTable cycles={cycles} />}
    </div>
  )
}
