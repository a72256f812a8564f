// The verdict first: run id, verdict and its marks, the one-line reason, what it rests on, the
// exports, the phase strip, the notes a reader needs, and the run's warnings.
import { useState } from 'react'
import { useShallow } from 'zustand/react/shallow'
import { fmtUsd } from '@shared/money'
import { isWeakenedSet } from '@shared/thresholds'
import type { ReportData } from '@shared/views'
import { RunMarks } from '../../components/RunMarks'
import { StatusBadge } from '../../components/Status'
import { Warnings } from '../../components/Warnings'
import { fmtDuration, fmtTime } from '../../lib/format'
import { useApp } from '../../store'
import { CertifyRelease } from './CertifyRelease'
import { VerdictNotes } from './VerdictNotes'

export function ReportHeader({ report }: { report: ReportData }) {
  const { exportRun, go } = useApp(useShallow((s) => ({ exportRun: s.exportRun, go: s.go })))
  const { run } = report
  const e = run.evaluation
  const previous = report.previous
  // A verdict line that lists every cause (a preflight stopping all phases) is clamped to three lines.
  const [reasonOpen, setReasonOpen] = useState(false)
  const [certifying, setCertifying] = useState(false)
  const longReason = e.reason.length > 400
  return (
    <header className="report-head">
      <h1>
        <span className="mono">{run.id}</span> <StatusBadge status={e.verdict} big /> <RunMarks simulated={e.simulated} weakened={isWeakenedSet(e.thresholdSet ?? '')} />
      </h1>
      <p className={`reason${longReason && !reasonOpen ? ' clamped' : ''}`} data-testid="verdict-reason" title={longReason && !reasonOpen ? e.reason : undefined}>
        {e.reason}
      </p>
      {longReason && (
        <button className="link small" onClick={() => setReasonOpen(!reasonOpen)}>
          {reasonOpen ? 'show less' : 'show the whole verdict line'}
        </button>
      )}
      <VerdictNotes run={run} />
      <p className="meta">
        ai-memory {run.aiMemoryRef ?? '—'}
        {run.aiMemoryVersion && ` (${run.aiMemoryVersion})`}
        {run.aiMemoryCommit && <span className="mono"> @ {run.aiMemoryCommit.slice(0, 12)}</span>} · completed {fmtTime(run.completedAt)} · duration {fmtDuration(run.durationMs)}
        {run.costUsd !== null && <span data-testid="run-cost"> · cloud cost {fmtUsd(run.costUsd)}</span>} · {run.source === 'import' ? 'imported' : run.source}
        {run.state !== 'completed' && ` · ${run.state}`} · rules {e.evaluatorVersion}
      </p>
      <div className="actions">
        <button onClick={() => void exportRun('pdf')}>Export PDF</button>
        <button onClick={() => void exportRun('html')}>HTML</button>
        <button onClick={() => void exportRun('junit')}>JUnit</button>
        <button onClick={() => void exportRun('bundle')}>Bundle</button>
        <button onClick={() => setCertifying(!certifying)} aria-expanded={certifying}>
          Certify release…
        </button>
        {previous && (
          <button onClick={() => go({ name: 'compare', a: previous.id, b: run.id })} data-testid="compare-previous">
            Compare with {previous.id}
          </button>
        )}
      </div>
      {certifying && <CertifyRelease defaultVersion={releaseVersionOf(run.aiMemoryVersion)} onClose={() => setCertifying(false)} />}
      <nav className="phase-strip" aria-label="Phases">
        {e.phases.map((p) => (
          <a
            key={p.phase}
            href={`#phase-${p.phase}`}
            className="phase-chip"
            onClick={(ev) => {
              ev.preventDefault()
              document.getElementById(`phase-${p.phase}`)?.scrollIntoView({ behavior: window.matchMedia?.('(prefers-reduced-motion: reduce)').matches ? 'auto' : 'smooth' })
            }}
          >
            <StatusBadge status={p.status} /> Phase {p.phase}
          </a>
        ))}
      </nav>
      <Warnings list={e.warnings.filter((w) => w.code !== 'simulated' && w.code !== 'weakened')} />
    </header>
  )
}

/** The release a run's binary reports (`ai-memory 0.6.0+shipgate-sim` → `v0.6.0`), as the form's first guess. */
function releaseVersionOf(reported: string | null): string {
  const m = /(\d+\.\d+\.\d+(?:\.\d+)?(?:-[A-Za-z0-9.-]+)?)/.exec(reported ?? '')
  return m ? `v${m[1]}` : ''
}
