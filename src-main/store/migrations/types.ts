import type { Database } from 'better-sqlite3'

export interface Migration {
  version: number
  name: string
  /** Runs inside a transaction that also sets user_version; must be synchronous. */
  up(db: Database): void
}
