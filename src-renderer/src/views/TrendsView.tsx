// Across runs: the convergence bound per fault class, the phase-by-run pass matrix, phase durations.
import { useEffect, useMemo, useState } from 'react'
import { useShallow } from 'zustand/react/shallow'
import { boundTrendOption, durationsOption, phaseMatrixOption } from '@shared/charts'
import { EChart } from '../components/Chart'
import { StatedTag } from '../components/RunMarks'
import { Glyph } from '../components/Status'
import { fmtNumber } from '../lib/format'
import { useApp } from '../store'

export default function TrendsView() {
  const { trends, trendsCampaign, trendsError, loadTrends, runs } = useApp(useShallow((s) => ({ trends: s.trends, trendsCampaign: s.trendsCampaign, trendsError: s.trendsError, loadTrends: s.loadTrends, runs: s.runs })))
  const [asTable, setAsTable] = useState(false)
  useEffect(() => {
    void loadTrends(trendsCampaign)
  }, [loadTrends, trendsCampaign])
  const campaigns = useMemo(() => [...new Set(runs.map((r) => r.campaign))].sort(), [runs])
  const list = trends?.runs ?? []
  const faults = [...new Set(list.flatMap((r) => Object.keys(r.bounds)))].sort()
  return (
    <div className="view trends" data-testid="trends">
      <div className="toolbar">
        <select value={trendsCampaign} onChange={(e) => void loadTrends(e.target.value)} aria-label="Campaign">
          <option value="">All campaigns</option>
          {campaigns.map((c) => (
            <option key={c}>{c}</option>
          ))}
        </select>
        <span className="muted small">{list.length} runs, oldest first</span>
        <span className="spacer" />
        <button onClick={() => setAsTable(!asTable)}>{asTable ? 'Charts' : 'Table'}</button>
      </div>
      {trendsError && <p className="error">{trendsError}</p>}
      {!asTable ? (
        <>
          <h2>Convergence bound per fault class</h2>
          <p className="muted small">A point per run that recorded the fault class; gaps where it did not. Points of different metric definitions are not comparable: see the table.</p>
          <EChart option={boundTrendOption(list)} height={280} label="convergence bound per fault class across runs" />
          <h2>Phase × run</h2>
          <EChart option={phaseMatrixOption(list)} height={230} label="phase status per run" />
          <h2>Phase durations</h2>
          <EChart option={durationsOption(list)} height={260} label="phase durations per run" />
        </>
      ) : (
        <table data-testid="trends-table">
          <thead>
            <tr>
              <th>run</th>
              <th>P1</th>
              <th>P2</th>
              <th>P3</th>
              <th>P4</th>
              {faults.map((f) => (
                <th key={f}>{f}</th>
              ))}
              <th>durations (s)</th>
            </tr>
          </thead>
          <tbody>
            {list.map((r) => (
              <tr key={r.id}>
                <td className="mono">
                  {r.id}
                  {r.malformed && (
                    <div className="small error" data-testid="trend-malformed">
                      record unreadable: not charted
                    </div>
                  )}
                </td>
                {r.phases.map((s, i) => (
                  <td key={i}>
                    <Glyph status={s} />
                  </td>
                ))}
                {faults.map((f) => (
                  <td key={f} className="mono">
                    {r.bounds[f] ? `${fmtNumber(r.bounds[f]?.value)}` : ''}
                    {r.bounds[f] && r.bounds[f]?.status !== 'pass' && <Glyph status={r.bounds[f]?.status ?? 'error'} />}
                    {r.bounds[f]?.definition && <div className="def">{r.bounds[f]?.definition}</div>}
                    {r.bounds[f]?.provenance === 'stated' && <StatedTag />}
                  </td>
                ))}
                <td className="mono small">{([1, 2, 3, 4] as const).map((p) => (r.durations[p] !== undefined ? ((r.durations[p] as number) / 1000).toFixed(1) : '–')).join(' / ')}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  )
}
