// Paths the renderer may act on come only from dialogs the main process showed: a dialog's choice
// is kept here under a one-time token, and the page can only hand the token back. A page (or a
// script injected into it) can never name a path of its own.
import { randomUUID } from 'node:crypto'
import { basename } from 'node:path'
import { AppError } from '../lib/errors'

export type GrantPurpose = 'import' | 'save'

interface Grant {
  purpose: GrantPurpose
  paths: string[]
  expiresAt: number
}

const TTL_MS = 10 * 60_000

export class PathGrants {
  private readonly grants = new Map<string, Grant>()

  constructor(private readonly now: () => number = Date.now) {}

  /** Keeps what a dialog returned; returns the token and a label to show (names only, never whole paths). */
  grant(purpose: GrantPurpose, paths: string[]): { token: string; label: string } {
    for (const [t, g] of this.grants) if (g.expiresAt < this.now()) this.grants.delete(t)
    const token = randomUUID()
    this.grants.set(token, { purpose, paths, expiresAt: this.now() + TTL_MS })
    const names = paths.map((p) => basename(p))
    return { token, label: names.length <= 3 ? names.join(', ') : `${names.slice(0, 3).join(', ')} and ${names.length - 3} more` }
  }

  /** The paths of a token, once: a token is used up by the action it was granted for. */
  take(token: string, purpose: GrantPurpose): string[] {
    const g = this.grants.get(token)
    this.grants.delete(token)
    if (!g || g.purpose !== purpose || g.expiresAt < this.now()) throw new AppError('FORBIDDEN', 'that choice of file is not known or has expired: choose it again in the dialog')
    return g.paths
  }
}
