// Runs the built simulator (resources/bin/ai-memory → out/main/sim.js) and the bundled PGlite
// server (resources/bin/shipgate-pglite) as a user or an engine would. `npm test` builds first.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { resolve } from 'node:path'
import { runProcess } from './process'

export const ROOT = resolve(__dirname, '..', '..')
export const SIM = resolve(ROOT, 'resources', 'bin', 'ai-memory')
export const PGLITE = resolve(ROOT, 'resources', 'bin', 'shipgate-pglite')

export interface SimResult {
  code: number | null
  signal: NodeJS.Signals | null
  stdout: string
  stderr: string
}

/** One `ai-memory` command; HOME is the test's folder unless given, so no real config is read or written. */
export function aim(args: string[], o: { cwd: string; env?: Record<string, string | undefined>; input?: string; timeoutMs?: number }): SimResult {
  const env: Record<string, string> = {}
  for (const [k, v] of Object.entries({ ...process.env, HOME: o.cwd, AI_MEMORY_NO_CONFIG: '1', ...o.env })) if (v !== undefined) env[k] = v
  const r = spawnSync(SIM, args, { cwd: o.cwd, env, input: o.input ?? '', encoding: 'utf8', timeout: o.timeoutMs ?? 60_000 })
  return { code: r.status, signal: r.signal, stdout: r.stdout, stderr: r.stderr }
}

/** `aim` without blocking this process's event loop (for tests that serve something meanwhile). */
export function aimAsync(args: string[], o: { cwd: string; env?: Record<string, string | undefined> }): Promise<SimResult> {
  return runProcess(SIM, args, { cwd: o.cwd, env: { ...process.env, HOME: o.cwd, AI_MEMORY_NO_CONFIG: '1', ...o.env } })
}

export interface Pglite {
  url: string
  child: ChildProcess
  stop: () => Promise<void>
}

/** Starts shipgate-pglite on a free port and waits for its `ready` line (never a fixed sleep: PGlite takes 8-30 s under load). */
export function startPglite(extra: string[] = []): Promise<Pglite> {
  return new Promise((resolvePg, reject) => {
    const child = spawn(PGLITE, ['--port', '0', ...extra], { stdio: ['ignore', 'pipe', 'pipe'] })
    let out = ''
    const onData = (d: Buffer) => {
      out += d.toString()
      const m = /^ready (postgres\S+)/m.exec(out)
      if (m?.[1]) {
        child.stdout?.off('data', onData)
        resolvePg({
          url: m[1],
          child,
          stop: () =>
            new Promise((done) => {
              if (child.exitCode !== null || child.signalCode !== null) return done()
              child.once('exit', () => done())
              child.kill('SIGTERM')
            }),
        })
      }
    }
    child.stdout?.on('data', onData)
    child.stderr?.on('data', (d: Buffer) => (out += d.toString()))
    child.once('exit', (code) => reject(new Error(`shipgate-pglite exited (${code}) before ready:\n${out}`)))
  })
}
