// One soak of a series at a time, across processes: the desktop app and the command line take the
// same lock file next to the database. The file is written whole before it appears (hard link of a
// finished temporary file), so a reader never sees half a lock: one it cannot read is damage.
import { linkSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { hostname } from 'node:os'
import { join } from 'node:path'
import { AppError } from '../lib/errors'
import { processAlive } from '../lib/process'

export interface LockOwner {
  pid: number
  host: string
  series: string
  startedAt: number
}

export type LockState =
  | { kind: 'free' }
  | { kind: 'live'; owner: LockOwner }
  | { kind: 'stale'; owner: LockOwner }
  | { kind: 'other-host'; owner: LockOwner }
  | { kind: 'garbage'; text: string }

export function lockPath(dir: string, series: string): string {
  return join(dir, `${series}.lock`)
}

function parseOwner(text: string): LockOwner | null {
  try {
    const v = JSON.parse(text) as Partial<LockOwner>
    if (typeof v.pid === 'number' && Number.isInteger(v.pid) && v.pid > 0 && typeof v.host === 'string' && typeof v.series === 'string' && typeof v.startedAt === 'number') return v as LockOwner
  } catch {
    /* damaged: reported as garbage */
  }
  return null
}

/** What holds the lock of a series now. */
export function inspectLock(dir: string, series: string, alive: (pid: number) => boolean = processAlive): LockState {
  let text: string
  try {
    text = readFileSync(lockPath(dir, series), 'utf8')
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { kind: 'free' }
    throw err
  }
  const owner = parseOwner(text)
  if (!owner) return { kind: 'garbage', text: text.slice(0, 200) }
  if (owner.host !== hostname()) return { kind: 'other-host', owner }
  return alive(owner.pid) ? { kind: 'live', owner } : { kind: 'stale', owner }
}

export interface SoakLock {
  owner: LockOwner
  /** What was found and replaced: a stale lock (its process is gone) or a damaged file. */
  replaced: LockState | null
  release(): void
}

/**
 * Takes the lock of a series. A live holder or a holder on another host (whose process cannot be
 * checked from here) refuses with CONFLICT; a stale lock (same host, process gone) or a damaged file
 * is replaced and reported.
 */
export function acquireSoakLock(dir: string, series: string, options: { pid?: number; now?: number; alive?: (pid: number) => boolean } = {}): SoakLock {
  mkdirSync(dir, { recursive: true })
  const owner: LockOwner = { pid: options.pid ?? process.pid, host: hostname(), series, startedAt: options.now ?? Date.now() }
  const file = lockPath(dir, series)
  let replaced: LockState | null = null
  for (let attempt = 0; attempt < 2; attempt++) {
    const tmp = `${file}.${owner.pid}.${attempt}.tmp`
    writeFileSync(tmp, `${JSON.stringify(owner)}\n`, { mode: 0o600 })
    try {
      linkSync(tmp, file)
      rmSync(tmp, { force: true })
      return {
        owner,
        replaced,
        release: () => {
          // Only our own lock: never remove one a later process took over.
          const now = inspectLock(dir, series, () => true)
          if (now.kind !== 'free' && now.kind !== 'garbage' && now.owner.pid === owner.pid && now.owner.startedAt === owner.startedAt) rmSync(file, { force: true })
        },
      }
    } catch (err) {
      rmSync(tmp, { force: true })
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err
    }
    const found = inspectLock(dir, series, options.alive)
    if (found.kind === 'live') throw new AppError('CONFLICT', `the soak ${series} is already running (pid ${found.owner.pid} since ${new Date(found.owner.startedAt).toISOString()}); stop it first`)
    if (found.kind === 'other-host') throw new AppError('CONFLICT', `the soak ${series} is locked by pid ${found.owner.pid} on ${found.owner.host}; if that soak is gone, remove ${file}`)
    if (found.kind === 'free') continue
    replaced = found
    rmSync(file, { force: true })
  }
  throw new AppError('CONFLICT', `could not take the lock ${file}: another process keeps taking it`)
}
