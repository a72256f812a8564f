// The report of one run: loads it, checks the record, lays it out. Verdict first, then the
// narrative (in a boundary of its own), each phase, the journal, the log and the artifacts.
import { useEffect } from 'react'
import { useShallow } from 'zustand/react/shallow'
import { ErrorBoundary } from '../../components/ErrorBoundary'
import { ErrorPanel } from '../../components/ErrorPanel'
import { Loading } from '../../components/Loading'
import { useApp } from '../../store'
import { Artifacts } from './Artifacts'
import { Journal } from './Journal'
import { LogPane } from './LogPane'
import { Narrative } from './Narrative'
import { NarrativeError } from './NarrativeError'
import { PhaseSection } from './PhaseSection'
import { ReportHeader } from './ReportHeader'

export default function ReportView({ runId }: { runId: string }) {
  const { report, reportError, loadReport, go } = useApp(useShallow((s) => ({ report: s.report, reportError: s.reportError, loadReport: s.loadReport, go: s.go })))
  useEffect(() => {
    void loadReport(runId)
  }, [runId, loadReport])
  if (reportError)
    return (
      <div className="view">
        <ErrorPanel title={`The report of ${runId} cannot be shown`} message={reportError} onBack={() => go({ name: 'history' })} onRetry={() => void loadReport(runId)} />
      </div>
    )
  if (!report || report.run.id !== runId) return <Loading what={runId} />
  const { run } = report
  return (
    <div className="view report" data-testid="report" data-run={run.id}>
      <ReportHeader report={report} />
      <ErrorBoundary view="narrative" resetKey={report} fallback={(error) => <NarrativeError runId={run.id} message={error.message} />}>
        <Narrative data={report} />
      </ErrorBoundary>
      {run.evaluation.phases.map((p) => (
        <PhaseSection key={p.phase} data={report} phase={p} />
      ))}
      <Journal entries={report.journal} />
      {report.logLines > 0 && <LogPane key={run.id} runId={run.id} total={report.logLines} />}
      <Artifacts artifacts={run.artifacts} />
    </div>
  )
}
