// Opens the history database: pragmas first, then pending migrations, each in a transaction that
// also bumps user_version. A database newer than this code is refused rather than damaged.
import Database from 'better-sqlite3'
import { existsSync, mkdirSync } from 'node:fs'
import { dirname } from 'node:path'
import { AppError } from '../lib/errors'
import { MIGRATIONS, SCHEMA_VERSION } from './migrations'

export type Db = Database.Database

export interface OpenOptions {
  /** Called once per applied migration, for logs. */
  onMigrate?: (version: number, name: string) => void
  /** better-sqlite3 built for another ABI (Electron's), so the Node build stays for the CLI and tests. */
  nativeBinding?: string
}

export function openDatabase(file: string, options: OpenOptions = {}): Db {
  if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true })
  let db: Db
  try {
    db = new Database(file, options.nativeBinding ? { nativeBinding: options.nativeBinding } : {})
  } catch (err) {
    throw new AppError('DB', `cannot open the history database ${file}: ${(err as Error).message}`, { cause: err })
  }
  try {
    db.pragma('journal_mode = WAL')
    db.pragma('foreign_keys = ON')
    db.pragma('busy_timeout = 5000')
    db.pragma('synchronous = NORMAL')
    migrate(db, file, options)
    return db
  } catch (err) {
    db.close()
    throw err
  }
}

export function schemaVersion(db: Db): number {
  return db.pragma('user_version', { simple: true }) as number
}

function migrate(db: Db, file: string, options: OpenOptions): void {
  const current = schemaVersion(db)
  if (current > SCHEMA_VERSION) {
    throw new AppError(
      'DB_TOO_NEW',
      `${file} has schema version ${current}, newer than this Shipgate Lab (${SCHEMA_VERSION}); was it written by a newer version?`,
    )
  }
  const pending = MIGRATIONS.filter((m) => m.version > current)
  if (pending.length === 0) return
  if (current > 0 && file !== ':memory:') {
    const backup = `${file}.bak-v${current}`
    if (!existsSync(backup)) db.prepare('VACUUM INTO ?').run(backup)
  }
  for (const m of pending) {
    db.transaction(() => {
      m.up(db)
      db.pragma(`user_version = ${m.version}`)
    })()
    options.onMigrate?.(m.version, m.name)
  }
}
