// One phase: status and duration, what it proves, why this status, its checks, warnings, charts
// (phase 4) and the evidence it was judged on.
import { PHASE_INFO } from '@shared/catalog'
import type { PhaseResult } from '@shared/domain'
import type { ReportData } from '@shared/views'
import { StatusBadge } from '../../components/Status'
import { Warnings } from '../../components/Warnings'
import { fmtDuration } from '../../lib/format'
import { boundThreshold } from '../../lib/verdict'
import { ChaosCharts } from './ChaosCharts'
import { CheckTable } from './CheckTable'
import { Evidence } from './Evidence'

export function PhaseSection({ data, phase }: { data: ReportData; phase: PhaseResult }) {
  const info = PHASE_INFO[phase.phase]
  const timing = data.run.phaseTimings.find((t) => t.phase === phase.phase)
  return (
    <section className="phase" id={`phase-${phase.phase}`} data-phase={phase.phase}>
      <h2>
        {info.title} <StatusBadge status={phase.status} />
        {timing?.startedAt && timing.finishedAt && <span className="muted small"> {fmtDuration(timing.finishedAt - timing.startedAt)}</span>}
      </h2>
      <p className="proves">
        <strong>What this phase proves:</strong> {info.proves}
      </p>
      <p className="summary">{phase.status === 'not_run' ? 'No artifact: this phase did not run.' : phase.summary}</p>
      {phase.checks.length > 0 && <CheckTable phase={phase} />}
      <Warnings list={phase.warnings} />
      {phase.phase === 4 && <ChaosCharts cycles={data.cycles} threshold={boundThreshold(data.run.evaluation)} />}
      {phase.artifacts.map((name) => {
        const a = data.run.artifacts.find((x) => x.name === name)
        return a ? <Evidence key={name} runId={data.run.id} info={a} /> : null
      })}
    </section>
  )
}
