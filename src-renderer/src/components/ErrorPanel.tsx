// What a failed view shows instead of itself: what went wrong, and the ways on.
import type { ReactNode } from 'react'

export function ErrorPanel({ title, message, onRetry, onBack, children }: { title: string; message: string; onRetry?: () => void; onBack?: () => void; children?: ReactNode }) {
  return (
    <section className="error-panel" role="alert" data-testid="error-panel">
      <h2>{title}</h2>
      <p className="mono small" data-testid="error-message">
        {message}
      </p>
      {children}
      <div className="actions">
        {onBack && (
          <button className="primary" onClick={onBack}>
            Back to the history
          </button>
        )}
        {onRetry && <button onClick={onRetry}>Try again</button>}
      </div>
    </section>
  )
}
