// The report of one run: verdict first, then the narrative, then each phase with its checks,
// warnings, charts and raw evidence one click away; the log and the fault journal at the end.
import { type ReactNode, useCallback, useEffect, useMemo, useRef, useState } from 'react'
import { useShallow } from 'zustand/react/shallow'
import { METRIC_DEFINITIONS, PHASE_INFO, THRESHOLDS } from '@shared/catalog'
import { cycleChartOption } from '@shared/charts'
import { fmtUsd } from '@shared/money'
import type { Annotation, ArtifactInfo, CheckResult, PhaseResult, RunWarning } from '@shared/domain'
import type { LogLineView, ReportData } from '@shared/views'
import { Dialog } from '../components/Dialog'
import { EChart } from '../components/EChart'
import { JsonView } from '../components/JsonView'
import { StatusBadge } from '../components/Status'
import { VirtualList } from '../components/VirtualList'
import { api, unwrap } from '../lib/api'
import { errorText, fmtBytes, fmtDuration, fmtTime } from '../lib/format'
import { useApp } from '../store'

function Prose({ text }: { text: string }) {
  if (!text.trim()) return <p className="muted">—</p>
  return (
    <>
      {text.split(/\n{2,}/).map((para, i) => (
        <p key={i}>
          {para.split(/(\[cite: [^\]]*\])/).map((part, k) =>
            part.startsWith('[cite: ') ? (
              <span key={k} className="cite" title="what this sentence rests on">
                [{part.slice(7, -1)}]
              </span>
            ) : (
              part
            ),
          )}
        </p>
      ))}
    </>
  )
}

function Warnings({ list }: { list: RunWarning[] }) {
  if (!list.length) return null
  return (
    <ul className="warnings">
      {list.map((w, i) => (
        <li key={i}>
          <span className="badge tone-warn-outline">! WARNING</span> {w.message} {w.evidence && <span className="cite">[{w.evidence}]</span>}
        </li>
      ))}
    </ul>
  )
}

function ExternalLink({ label, url }: { label: string; url: string }) {
  const notify = useApp((s) => s.notify)
  const open = async () => {
    try {
      await unwrap(api().app.openExternal({ url }))
    } catch (err) {
      notify('info', `${errorText(err)} — ${url}`)
    }
  }
  return (
    <button className="link" onClick={open} title={url}>
      {label}
    </button>
  )
}

function CheckTable({ phase }: { phase: PhaseResult }) {
  let subject: string | undefined
  const rows: ReactNode[] = []
  phase.checks.forEach((c: CheckResult, i) => {
    if (phase.phase === 1 && c.subject !== subject) {
      subject = c.subject
      rows.push(
        <tr key={`g${i}`} className="group">
          <td colSpan={4}>{subject}</td>
        </tr>,
      )
    }
    rows.push(
      <tr key={i} className={c.counted ? '' : 'info'} data-check={`${c.id}${c.subject ? `.${c.subject}` : ''}`}>
        <td>{c.counted ? <StatusBadge status={c.status} /> : <span className="badge tone-none">ℹ INFO</span>}</td>
        <td>
          {c.label}
          {c.subject && phase.phase !== 1 && <span className="subject"> {c.subject}</span>}
          {c.metricDefinition && (
            <div className="def" title={METRIC_DEFINITIONS[c.metricDefinition]?.formula}>
              {c.metricDefinition}
            </div>
          )}
        </td>
        <td className="mono">{c.value}</td>
        <td className="mono">{c.threshold}</td>
      </tr>,
    )
  })
  return (
    <table className="checks">
      <thead>
        <tr>
          <th />
          <th>Check</th>
          <th>Measured</th>
          <th>Threshold</th>
        </tr>
      </thead>
      <tbody>{rows}</tbody>
    </table>
  )
}

function Evidence({ runId, info }: { runId: string; info: ArtifactInfo }) {
  const [open, setOpen] = useState(false)
  const [text, setText] = useState<string | null>(null)
  const [note, setNote] = useState('')
  useEffect(() => {
    if (!open || text !== null) return
    unwrap(api().runs.artifact({ id: runId, name: info.name }))
      .then((a) => {
        setText(a.binary ? '' : a.text)
        setNote(a.binary ? 'binary content, not shown' : a.truncated ? `first ${fmtBytes(a.text.length)} of ${fmtBytes(a.info.sizeBytes)} shown` : '')
      })
      .catch((err: unknown) => setNote(errorText(err)))
  }, [open, text, runId, info.name])
  return (
    <details className="evidence" onToggle={(e) => setOpen((e.target as HTMLDetailsElement).open)}>
      <summary>
        <span className="mono">{info.name}</span> · {fmtBytes(info.sizeBytes)} · sha256 <span className="mono small">{info.sha256}</span>
      </summary>
      {note && <p className="muted small">{note}</p>}
      {text !== null && text !== '' && <JsonView text={text} />}
    </details>
  )
}

function Phase({ data, phase }: { data: ReportData; phase: PhaseResult }) {
  const info = PHASE_INFO[phase.phase]
  const timing = data.run.phaseTimings.find((t) => t.phase === phase.phase)
  const faults = useMemo(() => [...new Set(data.cycles.map((c) => c.fault))], [data.cycles])
  const options = useMemo(() => faults.map((f) => ({ f, option: cycleChartOption(f, data.cycles, THRESHOLDS.p4BoundMin) })), [faults, data.cycles])
  const [showCycles, setShowCycles] = useState(false)
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
      {phase.phase === 4 && options.length > 0 && (
        <div className="charts">
          {options.map(({ f, option }) => (
            <EChart key={f} option={option} label={`per-cycle chart of ${f}`} />
          ))}
          <button className="link" onClick={() => setShowCycles(!showCycles)}>
            {showCycles ? 'hide' : 'show'} the {data.cycles.length} cycle rows as a table
          </button>
          {showCycles && (
            <table className="cycles">
              <thead>
                <tr>
                  <th>fault</th>
                  <th>cycle</th>
                  <th>writes</th>
                  <th>ok</th>
                  <th>qnm</th>
                  <th>fail</th>
                  <th>node-0</th>
                  <th>node-1</th>
                  <th>node-2</th>
                  <th>converged</th>
                  <th>verified</th>
                  <th />
                </tr>
              </thead>
              <tbody>
                {data.cycles.map((c, i) => (
                  <tr key={i}>
                    <td className="mono">{c.fault}</td>
                    <td>{c.cycle}</td>
                    <td>{c.writes}</td>
                    <td>{c.ok}</td>
                    <td>{c.quorumNotMet}</td>
                    <td>{c.fail}</td>
                    {c.counts.map((n, k) => (
                      <td key={k}>{n ?? 'ERR'}</td>
                    ))}
                    <td>{c.convergeMs !== null ? `${c.converged ? '✓' : '✗'} ${c.convergeMs} ms` : '—'}</td>
                    <td>{c.verified ? '✓' : '✗'}</td>
                    <td className="small">{c.error ?? ''}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </div>
      )}
      {phase.artifacts.map((name) => {
        const a = data.run.artifacts.find((x) => x.name === name)
        return a ? <Evidence key={name} runId={data.run.id} info={a} /> : null
      })}
    </section>
  )
}

const FIELDS: { key: keyof Omit<Annotation, 'bugs'>; label: string; rows: number }[] = [
  { key: 'headline', label: 'Headline', rows: 1 },
  { key: 'verdictLine', label: 'Verdict in one paragraph', rows: 3 },
  { key: 'whatItTested', label: 'What this campaign set out to test', rows: 3 },
  { key: 'whatItProved', label: 'What it demonstrated', rows: 4 },
  { key: 'forNonTechnical', label: 'Non-technical end users', rows: 5 },
  { key: 'forCLevel', label: 'C-level decision makers', rows: 5 },
  { key: 'forEngineers', label: 'Engineers & architects', rows: 6 },
  { key: 'nextRunChange', label: 'What changes going into the next campaign', rows: 3 },
]

function NarrativeEditor({ initial, onClose }: { initial: Annotation; onClose: () => void }) {
  const save = useApp((s) => s.saveNarrative)
  const [a, setA] = useState<Annotation>(initial)
  const [bugs, setBugs] = useState(initial.bugs.map((b) => ({ ...b, fixedInText: b.fixedIn.map((f) => `${f.label} | ${f.url}`).join('\n') })))
  const submit = async () => {
    await save(
      {
        ...a,
        bugs: bugs.map(({ fixedInText, ...b }) => ({
          ...b,
          fixedIn: fixedInText
            .split('\n')
            .map((l) => l.split('|').map((x) => x.trim()))
            .filter(([label, url]) => label && url)
            .map(([label, url]) => ({ label: label as string, url: url as string })),
        })),
      },
      false,
    )
    onClose()
  }
  return (
    <Dialog title="Edit the narrative" onClose={onClose}>
      <div className="editor">
        {FIELDS.map((f) => (
          <label key={f.key}>
            {f.label}
            <textarea rows={f.rows} value={a[f.key]} onChange={(e) => setA({ ...a, [f.key]: e.target.value })} />
          </label>
        ))}
        <h3>Bugs surfaced</h3>
        {bugs.map((b, i) => (
          <fieldset key={i}>
            <input placeholder="title" value={b.title} onChange={(e) => setBugs(bugs.map((x, k) => (k === i ? { ...x, title: e.target.value } : x)))} />
            <textarea rows={2} placeholder="impact" value={b.impact} onChange={(e) => setBugs(bugs.map((x, k) => (k === i ? { ...x, impact: e.target.value } : x)))} />
            <textarea rows={2} placeholder="root cause" value={b.rootCause} onChange={(e) => setBugs(bugs.map((x, k) => (k === i ? { ...x, rootCause: e.target.value } : x)))} />
            <textarea rows={2} placeholder="fixed in: one 'label | https://…' per line" value={b.fixedInText} onChange={(e) => setBugs(bugs.map((x, k) => (k === i ? { ...x, fixedInText: e.target.value } : x)))} />
            <button className="link" onClick={() => setBugs(bugs.filter((_x, k) => k !== i))}>
              remove
            </button>
          </fieldset>
        ))}
        <button onClick={() => setBugs([...bugs, { title: '', impact: '', rootCause: '', fixedIn: [], fixedInText: '' }])}>Add a bug</button>
      </div>
      <div className="actions">
        <button className="primary" onClick={submit}>
          Save (keeps the earlier versions)
        </button>
        <button onClick={onClose}>Cancel</button>
      </div>
    </Dialog>
  )
}

function Narrative({ data }: { data: ReportData }) {
  const save = useApp((s) => s.saveNarrative)
  const [editing, setEditing] = useState(false)
  const [history, setHistory] = useState<{ version: number; source: string; author: string; createdAt: number }[] | null>(null)
  const note = data.annotation?.annotation ?? data.draft?.annotation ?? null
  const isDraft = !data.annotation
  const showHistory = async () => setHistory(await unwrap(api().annotations.history({ runId: data.run.id })))
  if (!note) return null
  return (
    <section className="analysis" data-testid="narrative">
      <h2>
        Run focus{' '}
        {isDraft ? (
          <span className="badge tone-warn-outline" data-testid="draft-flag">
            DRAFT
          </span>
        ) : (
          <span className="muted small">
            {data.annotation?.source} · version {data.annotation?.version} by {data.annotation?.author}
          </span>
        )}
      </h2>
      {isDraft && <p className="muted small">Drafted from the evidence by fixed rules; every sentence cites the checks it rests on. Accept it or edit it to make it the run's narrative.</p>}
      <div className="actions">
        {isDraft && <button onClick={() => save(note, true)}>Accept draft</button>}
        <button onClick={() => setEditing(true)}>{isDraft ? 'Edit draft' : 'Edit'}</button>
        {!isDraft && (
          <button className="link" onClick={showHistory}>
            versions
          </button>
        )}
      </div>
      {history && (
        <ul className="small muted">
          {history.map((h) => (
            <li key={h.version}>
              v{h.version} · {h.source} · {h.author} · {fmtTime(h.createdAt)}
            </li>
          ))}
        </ul>
      )}
      <p className="headline">{note.headline}</p>
      <p>
        <strong>What this campaign set out to test:</strong>
      </p>
      <Prose text={note.whatItTested} />
      <p>
        <strong>What it demonstrated:</strong>
      </p>
      <Prose text={note.whatItProved} />
      <h2>For three audiences</h2>
      <div className="audiences">
        <div className="card">
          <h3>Non-technical end users</h3>
          <Prose text={note.forNonTechnical} />
        </div>
        <div className="card">
          <h3>C-level decision makers</h3>
          <Prose text={note.forCLevel} />
        </div>
        <div className="card">
          <h3>Engineers &amp; architects</h3>
          <Prose text={note.forEngineers} />
        </div>
      </div>
      {note.bugs.length > 0 && (
        <>
          <h3>Bugs surfaced and where they were fixed</h3>
          <ul className="bugs">
            {note.bugs.map((b, i) => (
              <li key={i}>
                <strong>{b.title}</strong>
                <div>
                  <em>Impact:</em> {b.impact}
                </div>
                <div>
                  <em>Root cause:</em> {b.rootCause}
                </div>
                <div>
                  <em>Fixed in:</em>{' '}
                  {b.fixedIn.length
                    ? b.fixedIn.map((f, k) => (
                        <span key={k}>
                          {k > 0 && ', '}
                          <ExternalLink label={f.label} url={f.url} />
                        </span>
                      ))
                    : '—'}
                </div>
              </li>
            ))}
          </ul>
        </>
      )}
      <h3>What changed going into the next campaign</h3>
      <Prose text={note.nextRunChange} />
      {editing && <NarrativeEditor initial={note} onClose={() => setEditing(false)} />}
    </section>
  )
}

const LOG_PAGE = 500

function LogPane({ runId, total }: { runId: string; total: number }) {
  const pages = useRef(new Map<number, LogLineView[]>())
  const loading = useRef(new Set<number>())
  const [, setVersion] = useState(0)
  useEffect(() => {
    pages.current = new Map()
    loading.current = new Set()
  }, [runId])
  const need = useCallback(
    (first: number, last: number) => {
      for (let p = Math.floor(first / LOG_PAGE); p <= Math.floor(last / LOG_PAGE); p++) {
        if (pages.current.has(p) || loading.current.has(p)) continue
        loading.current.add(p)
        void unwrap(api().runs.log({ id: runId, offset: p * LOG_PAGE, limit: LOG_PAGE })).then((r) => {
          pages.current.set(p, r.lines)
          loading.current.delete(p)
          setVersion((v) => v + 1)
        })
      }
    },
    [runId],
  )
  const row = (i: number) => {
    const l = pages.current.get(Math.floor(i / LOG_PAGE))?.[i % LOG_PAGE]
    if (!l) return <span className="logline muted">…</span>
    return (
      <span className={`logline s-${l.stream}`}>
        <span className="muted">{new Date(l.at).toISOString().slice(11, 23)}</span> {l.phase ? <span className="muted">P{l.phase}</span> : null} {l.host ? <span className="host">{l.host}</span> : null} {l.line}
      </span>
    )
  }
  return (
    <section className="logs" data-testid="log-pane">
      <h2>Log ({total.toLocaleString()} lines)</h2>
      <VirtualList count={total} rowHeight={18} renderRow={row} onRangeChange={need} className="log-list" ariaLabel="Run log" />
    </section>
  )
}

export function ReportView({ runId }: { runId: string }) {
  const { report, reportError, loadReport, exportRun, go } = useApp(
    useShallow((s) => ({ report: s.report, reportError: s.reportError, loadReport: s.loadReport, exportRun: s.exportRun, go: s.go })),
  )
  useEffect(() => {
    void loadReport(runId)
  }, [runId, loadReport])
  if (reportError) return <p className="error view">{reportError}</p>
  if (!report || report.run.id !== runId) return <p className="muted view">Loading {runId}…</p>
  const { run } = report
  const e = run.evaluation
  return (
    <div className="view report" data-testid="report" data-run={run.id}>
      <header className="report-head">
        <h1>
          <span className="mono">{run.id}</span> <StatusBadge status={e.verdict} big />
        </h1>
        <p className="reason" data-testid="verdict-reason">
          {e.reason}
        </p>
        <p className="meta">
          ai-memory {run.aiMemoryRef ?? '—'}
          {run.aiMemoryVersion && ` (${run.aiMemoryVersion})`}
          {run.aiMemoryCommit && <span className="mono"> @ {run.aiMemoryCommit.slice(0, 12)}</span>} · completed {fmtTime(run.completedAt)} · duration {fmtDuration(run.durationMs)}
          {run.costUsd !== null && <span data-testid="run-cost"> · cloud cost {fmtUsd(run.costUsd)}</span>} · {run.source === 'import' ? 'imported' : run.source}
          {run.state !== 'completed' && ` · ${run.state}`}
        </p>
        <div className="actions">
          <button onClick={() => exportRun('pdf')}>Export PDF</button>
          <button onClick={() => exportRun('html')}>HTML</button>
          <button onClick={() => exportRun('junit')}>JUnit</button>
          <button onClick={() => exportRun('bundle')}>Bundle</button>
          {report.previous && (
            <button onClick={() => go({ name: 'compare', a: report.previous?.id ?? '', b: run.id })} data-testid="compare-previous">
              Compare with {report.previous.id}
            </button>
          )}
        </div>
        <div className="phase-strip">
          {e.phases.map((p) => (
            <a key={p.phase} href={`#phase-${p.phase}`} className="phase-chip" onClick={(ev) => {
              ev.preventDefault()
              document.getElementById(`phase-${p.phase}`)?.scrollIntoView({ behavior: 'smooth' })
            }}>
              <StatusBadge status={p.status} /> Phase {p.phase}
            </a>
          ))}
        </div>
        <Warnings list={e.warnings} />
      </header>
      <Narrative data={report} />
      {e.phases.map((p) => (
        <Phase key={p.phase} data={report} phase={p} />
      ))}
      {report.journal.length > 0 && (
        <section className="journal">
          <h2>Fault journal and teardown</h2>
          <table>
            <thead>
              <tr>
                <th>host</th>
                <th>what</th>
                <th>state</th>
                <th>detail</th>
              </tr>
            </thead>
            <tbody>
              {report.journal.map((j) => (
                <tr key={j.id}>
                  <td>{j.hostRole}</td>
                  <td>{j.label}</td>
                  <td>{j.state === 'failed' || j.state === 'pending' ? <StatusBadge status="error" /> : j.state}</td>
                  <td className="small">{j.detail}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      )}
      {report.logLines > 0 && <LogPane runId={run.id} total={report.logLines} />}
      <section className="appendix">
        <h2>Artifacts</h2>
        <table>
          <thead>
            <tr>
              <th>artifact</th>
              <th>size</th>
              <th>sha256</th>
            </tr>
          </thead>
          <tbody>
            {run.artifacts.map((a) => (
              <tr key={a.name}>
                <td className="mono">{a.name}</td>
                <td>{fmtBytes(a.sizeBytes)}</td>
                <td className="mono small">{a.sha256}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
    </div>
  )
}
