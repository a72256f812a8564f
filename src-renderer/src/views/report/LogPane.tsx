// The run's log, paged from main as it scrolls into view. A page that fails to load says so, with
// its error and "Try again", instead of showing "…" forever.
import { useCallback, useRef, useState } from 'react'
import type { LogLineView } from '@shared/views'
import { VirtualList } from '../../components/VirtualList'
import { errorText } from '../../lib/format'
import { useApp } from '../../store'

const LOG_PAGE = 500

/** Mounted with `key={runId}`: a new run starts with empty pages. */
export function LogPane({ runId, total }: { runId: string; total: number }) {
  const fetchLogPage = useApp((s) => s.fetchLogPage)
  const pages = useRef(new Map<number, LogLineView[]>())
  const loading = useRef(new Set<number>())
  const lastRange = useRef<[number, number]>([0, 0])
  const [failed, setFailed] = useState<{ page: number; message: string } | null>(null)
  const [, setVersion] = useState(0)
  const need = useCallback(
    (first: number, last: number) => {
      lastRange.current = [first, last]
      for (let p = Math.floor(first / LOG_PAGE); p <= Math.floor(last / LOG_PAGE); p++) {
        if (pages.current.has(p) || loading.current.has(p)) continue
        loading.current.add(p)
        fetchLogPage(runId, p * LOG_PAGE, LOG_PAGE)
          .then((lines) => {
            pages.current.set(p, lines)
            setVersion((v) => v + 1)
          })
          .catch((err: unknown) => setFailed({ page: p, message: errorText(err) }))
          .finally(() => loading.current.delete(p))
      }
    },
    [runId, fetchLogPage],
  )
  const retry = () => {
    setFailed(null)
    need(...lastRange.current)
  }
  const row = (i: number) => {
    const l = pages.current.get(Math.floor(i / LOG_PAGE))?.[i % LOG_PAGE]
    if (!l) return <span className="logline muted">{failed && Math.floor(i / LOG_PAGE) === failed.page ? 'not loaded' : '…'}</span>
    return (
      <span className={`logline s-${l.stream}`}>
        <span className="muted">{new Date(l.at).toISOString().slice(11, 23)}</span> {l.phase ? <span className="muted">P{l.phase}</span> : null} {l.host ? <span className="host">{l.host}</span> : null} {l.line}
      </span>
    )
  }
  return (
    <section className="logs" data-testid="log-pane">
      <h2>Log ({total.toLocaleString()} lines)</h2>
      {failed && (
        <p className="error" role="alert" data-testid="log-error">
          Lines {(failed.page * LOG_PAGE + 1).toLocaleString()}–{Math.min(total, (failed.page + 1) * LOG_PAGE).toLocaleString()} could not be loaded: {failed.message}{' '}
          <button onClick={retry}>Try again</button>
        </p>
      )}
      <VirtualList count={total} rowHeight={18} renderRow={row} onRangeChange={need} className="log-list" ariaLabel="Run log" />
    </section>
  )
}
