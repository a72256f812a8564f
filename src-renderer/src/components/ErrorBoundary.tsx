// A boundary per view (and one around the app): an error while rendering a record shows a panel
// with the message and the ways on, never a blank window; the error reaches the main log.
import { Component, type ErrorInfo, type ReactNode } from 'react'
import { useApp } from '../store'
import { ErrorPanel } from './ErrorPanel'

interface Props {
  /** Names the view in the panel and the log. */
  view: string
  children: ReactNode
  /** A different view (or record) clears the error. */
  resetKey?: unknown
  /** Replaces the default panel (a section that fails alone, like the narrative). */
  fallback?: (error: Error, reset: () => void) => ReactNode
}

interface State {
  error: Error | null
  resetKey: unknown
}

export class ErrorBoundary extends Component<Props, State> {
  override state: State = { error: null, resetKey: this.props.resetKey }

  static getDerivedStateFromError(error: unknown): Partial<State> {
    return { error: error instanceof Error ? error : new Error(String(error)) }
  }

  static getDerivedStateFromProps(props: Props, state: State): Partial<State> | null {
    return props.resetKey !== state.resetKey ? { error: null, resetKey: props.resetKey } : null
  }

  override componentDidCatch(error: Error, info: ErrorInfo): void {
    useApp.getState().logError(this.props.view, error, info.componentStack ?? undefined)
  }

  reset = (): void => this.setState({ error: null })

  override render(): ReactNode {
    const { error } = this.state
    if (!error) return this.props.children
    if (this.props.fallback) return this.props.fallback(error, this.reset)
    return (
      <div className="view">
        <ErrorPanel
          title={`The ${this.props.view} could not be shown`}
          message={error.message}
          onBack={() => {
            this.reset()
            useApp.getState().go({ name: 'history' })
          }}
          onRetry={this.reset}
        />
      </div>
    )
  }
}
