// A run as it happens: progress per phase, per host and per chaos cycle, checks ticking in, the log
// stream, and a cancel that shows the teardown it performs.
import { useEffect, useMemo, useState } from 'react'
import { useShallow } from 'zustand/react/shallow'
import { StatusBadge } from '../../components/Status'
import { VirtualList } from '../../components/VirtualList'
import { fmtDuration } from '../../lib/format'
import { logBuffer } from '../../lib/log-buffer'
import { useApp } from '../../store'
import type { LiveRun } from '../../store/live'
import { LiveCycles } from './LiveCycles'
import { SetupPanel } from './SetupPanel'

function Elapsed({ run }: { run: LiveRun }) {
  const [now, setNow] = useState(() => Date.now())
  const finished = run.finished !== null
  // A clock that ticks while the run is running: the elapsed time moves even between events.
  useEffect(() => {
    if (finished) return
    const t = setInterval(() => setNow(Date.now()), 1000)
    return () => clearInterval(t)
  }, [finished])
  const end = run.finished ? run.startedAt + run.finished.durationMs : Math.max(now, run.startedAt)
  return <span className="mono">{fmtDuration(end - run.startedAt)}</span>
}

function RunPanel({ run }: { run: LiveRun }) {
  const { cancelRun, go } = useApp(useShallow((s) => ({ cancelRun: s.cancelRun, go: s.go })))
  const [hostFilter, setHostFilter] = useState('')
  // One line per step with its latest state, newest first.
  const lastSteps = useMemo(() => {
    const latest = new Map<string, LiveRun['steps'][number]>()
    for (const s of run.steps) {
      const key = `${s.phase}|${s.host ?? ''}|${s.step}`
      latest.delete(key)
      latest.set(key, s)
    }
    return [...latest.values()].slice(-12).reverse()
  }, [run.steps])
  const logIndex = useMemo(() => {
    if (!hostFilter) return null
    const idx: number[] = []
    for (let i = 0; i < run.logCount; i++) if (logBuffer.get(run.runId, i)?.host === hostFilter) idx.push(i)
    return idx
  }, [hostFilter, run.logCount, run.runId])
  const logCount = logIndex ? logIndex.length : run.logCount
  const logRow = (i: number) => {
    const l = logBuffer.get(run.runId, logIndex ? (logIndex[i] as number) : i)
    if (!l) return null
    return (
      <span className={`logline s-${l.stream}`}>
        <span className="muted">{new Date(l.at).toISOString().slice(11, 23)}</span> {l.phase ? <span className="muted">P{l.phase}</span> : null} {l.host ? <span className="host">{l.host}</span> : null} {l.line}
      </span>
    )
  }
  const running = !run.finished
  return (
    <div className="live-run" data-testid="live-run" data-run={run.runId}>
      <header className="report-head">
        <h1>
          <span className="mono">{run.runId}</span> {run.finished ? <StatusBadge status={run.finished.verdict} big /> : <StatusBadge status="running" big />}
        </h1>
        <p className="meta">
          {run.campaign} · elapsed <Elapsed run={run} /> · {run.hosts.map((h) => `${h.role}=${h.name}`).join(' · ')}
        </p>
        {run.finished && (
          <p className="reason" data-testid="live-finished">
            {run.finished.state !== 'completed' && <strong>{run.finished.state.toUpperCase()}: </strong>}
            {run.finished.reason}{' '}
            <button className="primary" onClick={() => go({ name: 'report', runId: run.runId })}>
              Open the report
            </button>
          </p>
        )}
        {running && (
          <button className="danger" onClick={() => cancelRun(run.runId)} disabled={run.cancelling} data-testid="cancel-run">
            {run.cancelling ? 'Cancelling: tearing down…' : 'Cancel'}
          </button>
        )}
      </header>
      {(run.provisioner !== 'static' || run.setup.length > 0) && <SetupPanel run={run} />}
      <div className="phase-progress">
        {Object.entries(run.phases).map(([p, s]) => (
          <div key={p} className="phase-card" data-phase={p}>
            <div>
              Phase {p} {s.status === 'pending' ? <span className="muted">waiting</span> : s.status === 'running' ? <StatusBadge status="running" /> : <StatusBadge status={s.status} />}
            </div>
            <div className="small muted">
              {s.stepsDone} steps done{s.stepsFailed ? `, ${s.stepsFailed} failed` : ''}
              {s.durationMs !== undefined ? ` · ${fmtDuration(s.durationMs)}` : ''}
            </div>
            {s.summary && <div className="small">{s.summary}</div>}
          </div>
        ))}
      </div>
      <div className="live-grid">
        <section>
          <h2>Steps</h2>
          <ul className="steps">
            {lastSteps.map((s, i) => (
              <li key={i} className={`step-${s.status}`}>
                {s.status === 'done' ? '✓' : s.status === 'failed' ? '✗' : '…'} <span className="muted">P{s.phase}</span> {s.host && <span className="host">{s.host}</span>} {s.step}
                {s.detail && <div className="small error">{s.detail}</div>}
              </li>
            ))}
          </ul>
        </section>
        <section>
          <h2>Checks ({run.checks.filter((c) => c.counted).length})</h2>
          <ul className="checks-live" data-testid="live-checks">
            {run.checks
              .filter((c) => c.counted)
              .slice(-40)
              .map((c, i) => (
                <li key={i}>
                  <StatusBadge status={c.status} /> {c.label}
                  {c.subject && <span className="subject"> {c.subject}</span>} <span className="mono small">{c.value}</span>
                </li>
              ))}
          </ul>
        </section>
      </div>
      <LiveCycles run={run} />
      {run.teardown.length > 0 && (
        <section data-testid="teardown">
          <h2>Teardown</h2>
          <ul>
            {run.teardown.map((t, i) => (
              <li key={i}>
                {t.ok ? '✓' : '✗'} {t.action} {!t.ok && t.detail && <span className="error small">{t.detail}</span>}
              </li>
            ))}
          </ul>
        </section>
      )}
      <section className="logs">
        <h2>
          Log ({logCount.toLocaleString()} lines){' '}
          <select value={hostFilter} onChange={(e) => setHostFilter(e.target.value)} aria-label="Host filter">
            <option value="">all hosts</option>
            {run.hosts.map((h) => (
              <option key={h.role} value={h.name}>
                {h.name}
              </option>
            ))}
          </select>
        </h2>
        <VirtualList count={logCount} rowHeight={18} renderRow={logRow} follow className="log-list" ariaLabel="Live log" />
      </section>
    </div>
  )
}

export default function LiveView({ runId }: { runId?: string }) {
  const { liveRuns, liveOrder, go } = useApp(useShallow((s) => ({ liveRuns: s.liveRuns, liveOrder: s.liveOrder, go: s.go })))
  const id = runId ?? liveOrder[0]
  const run = id ? liveRuns[id] : undefined
  return (
    <div className="view live">
      {liveOrder.length > 1 && (
        <div className="toolbar">
          {liveOrder.map((r) => (
            <button key={r} className={r === id ? 'active' : ''} onClick={() => go({ name: 'live', runId: r })}>
              {r} {liveRuns[r]?.finished ? '' : '…'}
            </button>
          ))}
        </div>
      )}
      {run ? <RunPanel run={run} /> : <p className="muted">No run launched from this window yet. Start one from Campaigns, or run the demo lab.</p>}
    </div>
  )
}
