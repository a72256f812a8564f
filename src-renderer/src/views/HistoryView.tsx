// Every run, imported or launched: filters, search, keyboard navigation, two selected to compare.
import { type KeyboardEvent, useCallback, useMemo, useRef, useState } from 'react'
import { useShallow } from 'zustand/react/shallow'
import type { RunSummary } from '@shared/domain'
import { RunMarks } from '../components/RunMarks'
import { Glyph, StatusBadge } from '../components/Status'
import { VirtualList } from '../components/VirtualList'
import { fmtDuration, fmtTime } from '../lib/format'
import { useApp } from '../store'
import { EMPTY_FILTERS, filterRuns } from '../store/history'
import type { HistoryFilters } from '../store/types'

const ROW = 34

export function HistoryView() {
  const { runs, runsLoaded, runsError, filters, selected, setFilter, toggleSelected, go, importRuns, newFromDemo, startRun } = useApp(
    useShallow((s) => ({
      runs: s.runs,
      runsLoaded: s.runsLoaded,
      runsError: s.runsError,
      filters: s.filters,
      selected: s.selected,
      setFilter: s.setFilter,
      toggleSelected: s.toggleSelected,
      go: s.go,
      importRuns: s.importRuns,
      newFromDemo: s.newFromDemo,
      startRun: s.startRun,
    })),
  )
  const [cursor, setCursor] = useState(0)
  const tableRef = useRef<HTMLDivElement>(null)
  const shown = useMemo(() => filterRuns(runs, filters), [runs, filters])
  const versions = useMemo(() => [...new Set(runs.map((r) => r.aiMemoryVersion ?? r.aiMemoryRef).filter((v): v is string => Boolean(v)))].sort(), [runs])
  const campaigns = useMemo(() => [...new Set(runs.map((r) => r.campaign))].sort(), [runs])

  const compare = useCallback(() => {
    if (selected.length === 2) go({ name: 'compare', a: selected[0] as string, b: selected[1] as string })
  }, [selected, go])

  const onKey = (e: KeyboardEvent<HTMLDivElement>) => {
    if (e.target instanceof HTMLInputElement || e.target instanceof HTMLSelectElement) return
    if (e.key === 'ArrowDown') setCursor((c) => Math.min(shown.length - 1, c + 1))
    else if (e.key === 'ArrowUp') setCursor((c) => Math.max(0, c - 1))
    else if (e.key === 'Enter' && shown[cursor]) go({ name: 'report', runId: shown[cursor].id })
    else if (e.key === ' ' && shown[cursor]) toggleSelected(shown[cursor].id)
    else if (e.key === 'c') compare()
    else return
    e.preventDefault()
  }

  const runDemo = async () => {
    await newFromDemo()
    const yaml = useApp.getState().yaml
    if (yaml) await startRun(yaml)
  }

  const row = (i: number) => {
    const r = shown[i] as RunSummary
    const isSel = selected.includes(r.id)
    return (
      <div className={`hrow${i === cursor ? ' cursor' : ''}${isSel ? ' selected' : ''}`} onClick={() => setCursor(i)} onDoubleClick={() => go({ name: 'report', runId: r.id })} data-run={r.id} role="listitem">
        <input type="checkbox" checked={isSel} onChange={() => toggleSelected(r.id)} aria-label={`select ${r.id}`} />
        <button className="link mono" onClick={() => go({ name: 'report', runId: r.id })}>
          {r.id}
        </button>
        <span className="verdict-cell">
          <StatusBadge status={r.verdict} />
          <RunMarks simulated={r.simulated} weakened={r.weakened} compact />
        </span>
        <span className="phases">
          {r.phaseStatuses.map((s, k) => (
            <Glyph key={k} status={s} />
          ))}
        </span>
        <span className="mono small">{r.aiMemoryVersion ?? r.aiMemoryRef ?? '—'}</span>
        <span className="small">{fmtTime(r.completedAt ?? r.startedAt)}</span>
        <span className="small">{fmtDuration(r.durationMs)}</span>
        <span className="small warncount">{r.warningCount ? `! ${r.warningCount}` : ''}</span>
        <span className="small muted reason" title={r.reason}>
          {r.state === 'running' ? 'running…' : r.state !== 'completed' ? `${r.state} · ` : ''}
          {r.reason.replace(/^[A-Z]+ — /, '')}
        </span>
      </div>
    )
  }

  if (runsLoaded && runs.length === 0) {
    return (
      <div className="empty" data-testid="first-start">
        <h1>Shipgate Lab</h1>
        <p>Your run history is empty. Two ways to see something now, without droplets:</p>
        <div className="actions">
          <button className="primary" onClick={() => void runDemo()}>
            Run the built-in demo lab
          </button>
          <button onClick={() => void importRuns('folders')}>Import ship-gate runs…</button>
          <button onClick={() => void importRuns('bundle')}>Import a run bundle…</button>
        </div>
        <p className="muted">
          The demo lab starts three simulated ai-memory nodes and a chaos client on this machine and runs all four phases. Importing reads <span className="mono">runs/&lt;campaign_id&gt;/*.json</span> folders of the ship-gate repository.
        </p>
      </div>
    )
  }

  return (
    <div className="view history" onKeyDown={onKey} tabIndex={0} ref={tableRef}>
      <div className="toolbar">
        <input type="search" placeholder="Search runs (id, verdict line, version)" value={filters.search} onChange={(e) => setFilter({ search: e.target.value })} aria-label="Search runs" data-testid="history-search" />
        <select value={filters.verdict} onChange={(e) => setFilter({ verdict: e.target.value as never })} aria-label="Verdict">
          <option value="">All verdicts</option>
          <option value="pass">PASS</option>
          <option value="fail">FAIL</option>
          <option value="incomplete">INCOMPLETE</option>
        </select>
        <select value={filters.kind} onChange={(e) => setFilter({ kind: e.target.value as HistoryFilters['kind'] })} aria-label="Simulated or real">
          <option value="">Simulated and real</option>
          <option value="simulated">Simulated only</option>
          <option value="real">Real ai-memory only</option>
        </select>
        <select value={filters.version} onChange={(e) => setFilter({ version: e.target.value })} aria-label="Version">
          <option value="">All versions</option>
          {versions.map((v) => (
            <option key={v}>{v}</option>
          ))}
        </select>
        <select value={filters.campaign} onChange={(e) => setFilter({ campaign: e.target.value })} aria-label="Campaign">
          <option value="">All campaigns</option>
          {campaigns.map((c) => (
            <option key={c}>{c}</option>
          ))}
        </select>
        <label className="small">
          from <input type="date" value={filters.from} onChange={(e) => setFilter({ from: e.target.value })} aria-label="From date" />
        </label>
        <label className="small">
          to <input type="date" value={filters.to} onChange={(e) => setFilter({ to: e.target.value })} aria-label="To date" />
        </label>
        {JSON.stringify(filters) !== JSON.stringify(EMPTY_FILTERS) && (
          <button className="link" onClick={() => setFilter(EMPTY_FILTERS)}>
            clear
          </button>
        )}
        <span className="spacer" />
        <button onClick={compare} disabled={selected.length !== 2} title="Compare the two selected runs (c)" data-testid="compare-selected">
          Compare {selected.length}/2
        </button>
        <button onClick={() => void importRuns('folders')} title="Import ship-gate run folders (runs/<campaign_id>/*.json) or a checkout">
          Import runs…
        </button>
        <button onClick={() => void importRuns('bundle')} title="Import a run bundle another engineer exported">
          Import bundle…
        </button>
      </div>
      {runsError && <p className="error">{runsError}</p>}
      <div className="hrow head" role="presentation">
        <span />
        <span>Run</span>
        <span>Verdict</span>
        <span>P1 P2 P3 P4</span>
        <span>ai-memory</span>
        <span>Completed</span>
        <span>Duration</span>
        <span>Warn</span>
        <span>Why</span>
      </div>
      {shown.length === 0 ? (
        <p className="muted empty-filter" data-testid="history-empty">
          No run matches these filters.{' '}
          <button className="link" onClick={() => setFilter(EMPTY_FILTERS)}>
            Clear them
          </button>
        </p>
      ) : (
        <VirtualList count={shown.length} rowHeight={ROW} renderRow={row} className="history-rows" ariaLabel="Runs" />
      )}
      <p className="status-line small muted" data-testid="history-count">
        {shown.length} of {runs.length} runs · ↑↓ move · Enter open · Space select · c compare
      </p>
    </div>
  )
}
