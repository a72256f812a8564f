export function Loading({ what }: { what: string }) {
  return (
    <p className="muted view" aria-busy="true" data-testid="loading">
      Loading {what}…
    </p>
  )
}
