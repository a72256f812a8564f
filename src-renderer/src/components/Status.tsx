import { type AnyStatus, statusGlyph, statusTone, statusWord } from '@shared/status'

/** One status vocabulary everywhere: word, glyph and colour together. */
export function StatusBadge({ status, big = false }: { status: AnyStatus; big?: boolean }) {
  return (
    <span className={`badge tone-${statusTone(status)}${big ? ' big' : ''}`} data-status={status}>
      {statusGlyph(status)} {statusWord(status)}
    </span>
  )
}

export function Glyph({ status }: { status: AnyStatus }) {
  return (
    <span className={`glyph tone-text-${statusTone(status)}`} title={statusWord(status)} aria-label={statusWord(status)}>
      {statusGlyph(status)}
    </span>
  )
}
