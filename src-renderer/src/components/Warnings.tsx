import type { RunWarning } from '@shared/domain'

export function Warnings({ list }: { list: RunWarning[] }) {
  if (!list.length) return null
  return (
    <ul className="warnings">
      {list.map((w, i) => (
        <li key={i} data-warning={w.code}>
          <span className="badge tone-warn-outline">! WARNING</span> {w.message} {w.evidence && <span className="cite">[{w.evidence}]</span>}
        </li>
      ))}
    </ul>
  )
}
