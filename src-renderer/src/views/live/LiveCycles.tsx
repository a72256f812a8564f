// The chaos cycles of a live run: progress per fault class and the per-cycle chart, against the
// threshold this run is judged with (the campaign's, announced when the run started).
import { useMemo } from 'react'
import { cycleChartOption } from '@shared/charts'
import { EChart } from '../../components/Chart'
import type { LiveRun } from '../../store/live'

export function LiveCycles({ run }: { run: LiveRun }) {
  const faults = useMemo(() => [...new Set(run.cycles.map((c) => c.fault))], [run.cycles])
  if (faults.length === 0) return null
  return (
    <section>
      <h2>Chaos cycles</h2>
      {faults.map((f) => {
        const done = run.cycles.filter((c) => c.fault === f)
        return (
          <div key={f}>
            <p className="small">
              <span className="mono">{f}</span>: {done.length}/{run.cyclesConfigured} cycles, {done.filter((c) => c.status === 'error').length} in error
            </p>
            <div className="bar">
              <div style={{ width: `${Math.min(100, (done.length / Math.max(1, run.cyclesConfigured)) * 100)}%` }} />
            </div>
            <EChart option={cycleChartOption(f, run.cycles, run.boundMin, { animation: false })} height={200} label={`live cycles of ${f}`} />
          </div>
        )
      })}
    </section>
  )
}
