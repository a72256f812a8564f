// Soak: the series list, a series judged against ship-gate's soak criteria (criteria with their state,
// the stretches without evidence, flaky checks), the run × check heatmap, the bound and wall-clock
// trends with the ±25 % band, and starting or stopping a soak while the app is open.
import { type FormEvent, useEffect, useMemo, useState } from 'react'
import { useShallow } from 'zustand/react/shallow'
import type { CriterionState, PassRateDetail, SoakCriterion } from '@shared/soak'
import { EChart } from '../../components/Chart'
import { StatusBadge } from '../../components/Status'
import { errorText, fmtDuration, fmtTime } from '../../lib/format'
import { useSoak } from '../../store/soak'
import { boundOption, durationOption, heatmapOption, heatmapRows } from './charts'

const STATE_TEXT: Record<CriterionState, { word: string; tone: string }> = {
  pass: { word: '✓ PASS', tone: 'good' },
  fail: { word: '✗ FAIL', tone: 'bad' },
  unknown: { word: '? UNKNOWN', tone: 'warn' },
  not_applicable: { word: '– N/A', tone: 'none' },
  info: { word: 'ℹ INFO', tone: 'none' },
}

function Criterion({ c }: { c: SoakCriterion }) {
  const s = STATE_TEXT[c.state]
  const [open, setOpen] = useState(false)
  return (
    <tr data-testid={`criterion-${c.id}`} data-state={c.state}>
      <td>
        <span className={`badge tone-${s.tone}`}>{s.word}</span>
      </td>
      <td>
        <strong>{c.title}</strong>
        {!c.gating && <span className="muted small"> (informational)</span>}
        <div className="small">{c.summary}</div>
        {c.findings.length > 0 && (
          <button className="link small" onClick={() => setOpen(!open)}>
            {open ? 'hide' : `${c.findings.length} finding(s)`}
          </button>
        )}
        {open && (
          <ul className="small mono">
            {c.findings.map((f) => (
              <li key={`${f.run}-${f.why}`}>
                {f.run}: {f.why}
              </li>
            ))}
          </ul>
        )}
      </td>
    </tr>
  )
}

function StartForm() {
  const { start, status, campaignNames, campaignYaml } = useSoak(useShallow((s) => ({ start: s.start, status: s.status, campaignNames: s.campaignNames, campaignYaml: s.campaignYaml })))
  const [campaigns, setCampaigns] = useState<string[]>([])
  const [source, setSource] = useState('demo')
  const [count, setCount] = useState('84')
  const [every, setEvery] = useState('4h')
  const [series, setSeries] = useState('')
  const [error, setError] = useState<string | null>(null)
  useEffect(() => {
    campaignNames()
      .then(setCampaigns)
      .catch(() => setCampaigns([]))
  }, [campaignNames])
  const submit = async (e: FormEvent) => {
    e.preventDefault()
    setError(null)
    try {
      const yaml = await campaignYaml(source)
      await start({ yaml, count: Number(count), every, ...(series.trim() ? { series: series.trim() } : {}) })
    } catch (err) {
      setError(errorText(err))
    }
  }
  return (
    <form className="toolbar" onSubmit={(e) => void submit(e)} data-testid="soak-start">
      <label className="field">
        campaign
        <select value={source} onChange={(e) => setSource(e.target.value)} aria-label="Soak campaign">
          <option value="demo">built-in demo lab</option>
          {campaigns.map((c) => (
            <option key={c}>{c}</option>
          ))}
        </select>
      </label>
      <label className="field">
        runs
        <input value={count} onChange={(e) => setCount(e.target.value)} inputMode="numeric" size={5} aria-label="Soak run count" />
      </label>
      <label className="field">
        every
        <input value={every} onChange={(e) => setEvery(e.target.value)} size={6} aria-label="Soak cadence" />
      </label>
      <label className="field">
        series (optional)
        <input value={series} onChange={(e) => setSeries(e.target.value)} size={18} aria-label="Soak series id" placeholder="the campaign's name" />
      </label>
      <button className="primary" type="submit" disabled={status !== null}>
        Start soak
      </button>
      {error && <span className="error small">{error}</span>}
    </form>
  )
}

function Running() {
  const { status, events, stop } = useSoak(useShallow((s) => ({ status: s.status, events: s.events, stop: s.stop })))
  const last = events.at(-1)
  if (!status) return last?.type === 'soak-ended' ? <p className="small muted" data-testid="soak-ended">Last soak {last.series}: {last.outcome}: {last.message}</p> : null
  return (
    <section className="card" data-testid="soak-running">
      <p>
        <strong>Soak {status.series}</strong>: {status.done} of {status.count} run(s), every {fmtDuration(status.everyMs)} ·{' '}
        {status.phase === 'running' ? `run ${status.currentIndex} in progress` : status.phase === 'waiting' ? `next run ${status.nextDueAt ? fmtTime(status.nextDueAt) : 'now'}` : 'stopping'}
      </p>
      <div className="actions">
        <button onClick={() => void stop()} title="First: stop after the current run (at once while waiting). Again: cancel the current run (it still tears down).">
          {status.phase === 'stopping' ? 'Cancel the current run' : 'Stop'}
        </button>
      </div>
    </section>
  )
}

export function SoakView() {
  const { series, selected, view, error, busy, loadList, select, refreshStatus, listen } = useSoak(
    useShallow((s) => ({ series: s.series, selected: s.selected, view: s.view, error: s.error, busy: s.busy, loadList: s.loadList, select: s.select, refreshStatus: s.refreshStatus, listen: s.listen })),
  )
  const [expect, setExpect] = useState('')
  useEffect(() => {
    void loadList()
    void refreshStatus()
    return listen()
  }, [loadList, refreshStatus, listen])
  const rows = useMemo(() => (view ? heatmapRows(view.runs) : []), [view])
  const heat = useMemo(() => (view ? heatmapOption(view.runs, rows) : null), [view, rows])
  const bound = useMemo(() => (view ? boundOption(view.runs) : null), [view])
  const wall = useMemo(() => (view ? durationOption(view.runs, view.report) : null), [view])
  const report = view?.report
  const rate = report?.criteria.find((c) => c.id === 'pass_rate')?.detail as PassRateDetail | undefined
  return (
    <div className="view soak" data-testid="soak">
      <h1>Soak</h1>
      <StartForm />
      <Running />
      {error && <p className="error">{error}</p>}
      <div className="campaigns">
        <ul className="palette" data-testid="soak-series">
          {series.length === 0 && <li className="muted small">No series yet: runs named &lt;series&gt;-r&lt;k&gt; form one.</li>}
          {series.map((s) => (
            <li key={s.series}>
              <button className={`link${s.series === selected ? ' active' : ''}`} onClick={() => void select(s.series)}>
                {s.series}
              </button>
              <div className="small muted">
                {s.runs}
                {s.expected ? `/${s.expected}` : ''} runs · {s.pass} pass · {s.fail} fail · {s.incomplete} incomplete
              </div>
            </li>
          ))}
        </ul>
        <div>
          {report && (
            <>
              <div className="toolbar">
                <h2 data-testid="soak-title">{report.series}</h2>
                <StatusBadge status={report.verdict} big />
                <span className="small">
                  {report.runs} run(s): {report.pass} pass, {report.fail} fail, {report.incomplete} incomplete
                </span>
                <span className="spacer" />
                <label className="field">
                  window (runs)
                  <input value={expect} onChange={(e) => setExpect(e.target.value)} size={5} aria-label="Soak window" placeholder="from state" />
                </label>
                <button disabled={busy} onClick={() => void select(report.series, /^\d+$/.test(expect) && Number(expect) > 0 ? { expect: Number(expect) } : {})}>
                  Judge again
                </button>
              </div>
              {rate?.interval && (
                <p className="small" data-testid="soak-rate">
                  Pass rate {rate.passes}/{rate.decided} ({((rate.rate ?? 0) * 100).toFixed(1)} %, 95 % Wilson {(rate.interval.low * 100).toFixed(1)}–{(rate.interval.high * 100).toFixed(1)} %); {rate.moreCleanRunsNeeded ?? '?'} more clean run(s) to claim a failure rate under {rate.targetFailureRate * 100} %.
                </p>
              )}
              <table className="criteria" data-testid="soak-criteria">
                <tbody>
                  {report.criteria.map((c) => (
                    <Criterion key={c.id} c={c} />
                  ))}
                </tbody>
              </table>
              <h3>Stretches without evidence</h3>
              {report.gaps.length === 0 ? (
                <p className="small muted">None.</p>
              ) : (
                <ul className="small" data-testid="soak-gaps">
                  {report.gaps.map((g) => (
                    <li key={g.first}>
                      <span className="mono">{g.first === g.last ? g.first : `${g.first} … ${g.last}`}</span> ({g.runs} run(s){g.missing.length ? `, ${g.missing.length} absent from the history` : ''})
                    </li>
                  ))}
                </ul>
              )}
              <h3>Run × check</h3>
              {heat && view.runs.length > 0 ? <EChart option={heat} height={Math.max(160, rows.length * 16 + 90)} label="status of every check in every run of the series" /> : <p className="small muted">No run has checks.</p>}
              <h3>kill_primary_mid_write bound</h3>
              {bound && <EChart option={bound} height={220} label="convergence bound of kill_primary_mid_write per run" />}
              <h3>Wall-clock (±25 % band around the baseline)</h3>
              {wall && <EChart option={wall} height={220} label="wall-clock per run with the ±25 % band" />}
              <h3>Flaky checks</h3>
              {report.flips.filter((f) => f.flips > 0).length === 0 ? (
                <p className="small muted">No check changed status between consecutive runs.</p>
              ) : (
                <ul className="small" data-testid="soak-flips">
                  {report.flips
                    .filter((f) => f.flips > 0)
                    .map((f) => (
                      <li key={f.key}>
                        {f.flaky && <span className="badge tone-warn">flaky</span>} <span className="mono">{f.key}</span>: {f.flips} flip(s) in {f.observations} runs ({(f.rate * 100).toFixed(0)} %)
                      </li>
                    ))}
                </ul>
              )}
            </>
          )}
        </div>
      </div>
    </div>
  )
}
