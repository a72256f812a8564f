// A windowed list with fixed row heights: only the visible rows (plus a margin) are in the DOM, so
// 10,000 runs or 100,000 log lines scroll as smoothly as ten.
import { type ReactNode, type UIEvent, useCallback, useEffect, useLayoutEffect, useRef, useState } from 'react'

export interface VirtualListProps {
  count: number
  rowHeight: number
  renderRow: (index: number) => ReactNode
  className?: string
  /** Keep the view pinned to the end while new rows arrive (a live log), until the user scrolls up. */
  follow?: boolean
  overscan?: number
  onRangeChange?: (first: number, last: number) => void
  ariaLabel?: string
}

export function VirtualList({ count, rowHeight, renderRow, className, follow = false, overscan = 12, onRangeChange, ariaLabel }: VirtualListProps) {
  const ref = useRef<HTMLDivElement>(null)
  const [scrollTop, setScrollTop] = useState(0)
  const [height, setHeight] = useState(400)
  const pinned = useRef(true)

  useLayoutEffect(() => {
    const el = ref.current
    if (!el) return
    const observer = new ResizeObserver(() => setHeight(el.clientHeight))
    observer.observe(el)
    setHeight(el.clientHeight)
    return () => observer.disconnect()
  }, [])

  useEffect(() => {
    const el = ref.current
    if (follow && el && pinned.current) el.scrollTop = el.scrollHeight
  }, [count, follow])

  const onScroll = useCallback(
    (e: UIEvent<HTMLDivElement>) => {
      const el = e.currentTarget
      setScrollTop(el.scrollTop)
      pinned.current = el.scrollTop + el.clientHeight >= el.scrollHeight - rowHeight * 2
    },
    [rowHeight],
  )

  const first = Math.max(0, Math.floor(scrollTop / rowHeight) - overscan)
  const last = Math.min(count - 1, Math.ceil((scrollTop + height) / rowHeight) + overscan)
  useEffect(() => onRangeChange?.(first, last), [first, last, onRangeChange])
  const rows: ReactNode[] = []
  for (let i = first; i <= last; i++) {
    rows.push(
      <div key={i} className="vrow" style={{ position: 'absolute', top: i * rowHeight, height: rowHeight, left: 0, right: 0 }}>
        {renderRow(i)}
      </div>,
    )
  }
  return (
    <div ref={ref} className={`vlist ${className ?? ''}`} onScroll={onScroll} role="list" aria-label={ariaLabel} aria-rowcount={count}>
      <div style={{ position: 'relative', height: count * rowHeight }}>{rows}</div>
    </div>
  )
}
