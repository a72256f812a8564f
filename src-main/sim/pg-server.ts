// shipgate-pglite: a PostgreSQL server with pgvector on any machine, for the demo lab's phase 3 and
// the conformance suite. PGlite (PostgreSQL compiled to WebAssembly) served on a TCP port with
// pglite-socket, so ai-memory (real or simulated) connects with an ordinary postgres:// URL.
// Started by resources/bin/shipgate-pglite; phase3.ts startPglite waits for the `ready postgres://…`
// line and stops it with SIGTERM. `--no-vector` serves the same PostgreSQL without the `vector`
// extension: what a server lacking pgvector looks like to ai-memory (postgres_schema.sql:22).
import { networkInterfaces } from 'node:os'
import { parseArgs } from 'node:util'

export interface PgServerOptions {
  host: string
  port: number
  dataDir: string | null
  vector: boolean
}

export class PgServerUsageError extends Error {}

const USAGE = 'usage: shipgate-pglite [--host 127.0.0.1] [--port N] [--data-dir DIR] [--no-vector]'

/** Parses the launcher's arguments; throws PgServerUsageError with the usage on anything else. */
export function parsePgServerArgs(argv: string[]): PgServerOptions {
  let values: { host?: string; port?: string; 'data-dir'?: string; 'no-vector'?: boolean }
  try {
    values = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: { host: { type: 'string' }, port: { type: 'string' }, 'data-dir': { type: 'string' }, 'no-vector': { type: 'boolean' } },
    }).values
  } catch (err) {
    throw new PgServerUsageError(`${(err as Error).message}\n${USAGE}`)
  }
  const port = Number(values.port ?? '0')
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new PgServerUsageError(`--port: not a port number: ${values.port}\n${USAGE}`)
  const host = values.host ?? '127.0.0.1'
  if (!isOwnAddress(host)) throw new PgServerUsageError(`--host ${host}: only a loopback address or an address of this machine's own interfaces may be bound`)
  return { host, port, dataDir: values['data-dir'] ?? null, vector: !values['no-vector'] }
}

/**
 * Loopback, or an address one of this host's interfaces holds (a lab namespace's own address):
 * never a wildcard, so the server is not reachable from wherever the machine is.
 */
export function isOwnAddress(host: string, interfaces = networkInterfaces()): boolean {
  if (host === 'localhost' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host) || host === '::1') return true
  return Object.values(interfaces).some((list) => (list ?? []).some((i) => i.address === host))
}

export interface RunningPgServer {
  url: string
  stop: () => Promise<void>
}

/** Opens the database (with pgvector unless told otherwise) and listens; resolves once connections are accepted. */
export async function startPgServer(o: PgServerOptions): Promise<RunningPgServer> {
  // Imported here: both are ESM packages that locate their WebAssembly next to themselves.
  const { PGlite } = await import('@electric-sql/pglite')
  const { PGLiteSocketServer } = await import('@electric-sql/pglite-socket')
  const db = o.vector
    ? await PGlite.create(o.dataDir ?? 'memory://', { extensions: { vector: (await import('@electric-sql/pglite-pgvector')).vector } })
    : await PGlite.create(o.dataDir ?? 'memory://')
  // ai-memory's sqlx pool opens up to 16 connections (postgres.rs:64); queries are queued per statement.
  const server = new PGLiteSocketServer({ db, host: o.host, port: o.port, maxConnections: 32 })
  await server.start()
  const [, port] = /:(\d+)$/.exec(server.getServerConn()) ?? []
  const host = o.host.includes(':') ? `[${o.host}]` : o.host
  return {
    url: `postgres://postgres@${host}:${port ?? o.port}/postgres`,
    stop: async () => {
      await server.stop()
      await db.close()
    },
  }
}

/** The process: `ready <url>` on stdout once listening; SIGTERM or SIGINT closes the database cleanly and exits 0. */
export async function pgServerMain(argv: string[]): Promise<void> {
  let options: PgServerOptions
  try {
    options = parsePgServerArgs(argv)
  } catch (err) {
    process.stderr.write(`shipgate-pglite: ${(err as Error).message}\n`)
    process.exit(2)
  }
  let running: RunningPgServer
  try {
    running = await startPgServer(options)
  } catch (err) {
    process.stderr.write(`shipgate-pglite: cannot start: ${(err as Error).message}\n`)
    process.exit(1)
  }
  let stopping = false
  const stop = (signal: string) => {
    if (stopping) return
    stopping = true
    process.stderr.write(`shipgate-pglite: ${signal}, stopping\n`)
    running.stop().then(
      () => process.exit(0),
      (err: unknown) => {
        process.stderr.write(`shipgate-pglite: stop failed: ${(err as Error).message}\n`)
        process.exit(1)
      },
    )
  }
  process.on('SIGTERM', () => stop('SIGTERM'))
  process.on('SIGINT', () => stop('SIGINT'))
  process.stdout.write(`ready ${running.url}${options.vector ? '' : ' (without pgvector)'}\n`)
}
