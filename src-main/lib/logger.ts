// The main process's own log: one line per event, secrets masked, in a file that rotates by size so
// it never grows without bound. The app and the CLI write to the data folder (`logs/`); tests and
// library code get a logger that drops everything.
import { appendFileSync, existsSync, mkdirSync, renameSync, rmSync, statSync } from 'node:fs'
import { dirname } from 'node:path'
import { errorMessage } from './errors'
import { redact } from './redact'

export type LogLevel = 'debug' | 'info' | 'warn' | 'error'

export interface Logger {
  debug(message: string, context?: Record<string, unknown>): void
  info(message: string, context?: Record<string, unknown>): void
  warn(message: string, context?: Record<string, unknown>): void
  error(message: string, context?: Record<string, unknown>): void
  /** Where the log is, for messages that tell the user to look at it; null when nothing is kept. */
  readonly file: string | null
}

export const silentLogger: Logger = { debug() {}, info() {}, warn() {}, error() {}, file: null }

export interface FileLoggerOptions {
  file: string
  /** Rotate when the file passes this size. */
  maxBytes?: number
  /** Rotated files kept (`main.log.1` … `.N`). */
  keep?: number
  level?: LogLevel
  now?: () => Date
}

const ORDER: Record<LogLevel, number> = { debug: 0, info: 1, warn: 2, error: 3 }

function contextText(context: Record<string, unknown> | undefined): string {
  if (!context) return ''
  const parts = Object.entries(context).map(([k, v]) => `${k}=${v instanceof Error ? JSON.stringify(errorMessage(v)) : JSON.stringify(v)}`)
  return parts.length ? ` ${parts.join(' ')}` : ''
}

export function fileLogger(options: FileLoggerOptions): Logger {
  const maxBytes = options.maxBytes ?? 5 * 1024 * 1024
  const keep = Math.max(1, options.keep ?? 3)
  const min = ORDER[options.level ?? 'info']
  const now = options.now ?? (() => new Date())
  mkdirSync(dirname(options.file), { recursive: true })
  const rotate = () => {
    rmSync(`${options.file}.${keep}`, { force: true })
    for (let i = keep - 1; i >= 1; i--) if (existsSync(`${options.file}.${i}`)) renameSync(`${options.file}.${i}`, `${options.file}.${i + 1}`)
    renameSync(options.file, `${options.file}.1`)
  }
  const write = (level: LogLevel, message: string, context?: Record<string, unknown>) => {
    if (ORDER[level] < min) return
    try {
      if (existsSync(options.file) && statSync(options.file).size >= maxBytes) rotate()
      // Newlines inside a message would forge log lines: they are escaped.
      const line = redact(`${now().toISOString()} ${level.toUpperCase().padEnd(5)} ${message}${contextText(context)}`).replace(/\r?\n/g, '\\n')
      appendFileSync(options.file, `${line}\n`, { mode: 0o600 })
    } catch {
      // A full disk or a read-only data folder must not take the app down with it.
    }
  }
  return {
    debug: (m, c) => write('debug', m, c),
    info: (m, c) => write('info', m, c),
    warn: (m, c) => write('warn', m, c),
    error: (m, c) => write('error', m, c),
    file: options.file,
  }
}

/** Runs a promise nobody awaits, logging its failure instead of losing it. */
export function fireAndForget(logger: Logger, what: string, promise: Promise<unknown>): void {
  promise.catch((err: unknown) => logger.error(`${what} failed`, { error: errorMessage(err) }))
}
