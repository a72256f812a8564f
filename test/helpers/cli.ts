import { spawn, spawnSync } from 'node:child_process'
import { resolve } from 'node:path'
import { runProcess } from './process'

export const ROOT = resolve(__dirname, '..', '..')
export const BIN = resolve(ROOT, 'bin', 'shipgate.js')

export interface CliResult {
  code: number
  stdout: string
  stderr: string
}

/** Runs the built `shipgate` command as a user would (the suite builds it first: `npm test`). */
export function shipgate(args: string[], env: Record<string, string> = {}, timeoutMs = 120_000): CliResult {
  const r = spawnSync(process.execPath, [BIN, ...args], {
    cwd: ROOT,
    env: { ...process.env, NO_COLOR: '1', ...env },
    encoding: 'utf8',
    timeout: timeoutMs,
    maxBuffer: 64 * 1024 * 1024,
  })
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr }
}

/** Starts the CLI and resolves once `pattern` appears on its output (stdout and stderr). */
export function startUntil(args: string[], env: Record<string, string>, pattern: RegExp, timeoutMs = 120_000): Promise<{ child: ReturnType<typeof spawn>; out: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd: ROOT, env: { ...process.env, NO_COLOR: '1', ...env } })
    let out = ''
    const timer = setTimeout(() => reject(new Error(`timed out waiting for ${pattern}; output so far:\n${out}`)), timeoutMs)
    const seen = () => {
      if (!pattern.test(out)) return
      clearTimeout(timer)
      resolve({ child, out })
    }
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString()
      seen()
    })
    child.stderr.on('data', (d: Buffer) => {
      out += d.toString()
      seen()
    })
    child.on('exit', (code) => {
      clearTimeout(timer)
      if (!pattern.test(out)) reject(new Error(`exited (${code}) before ${pattern}:\n${out}`))
    })
  })
}

/** `shipgate` without blocking this process's event loop (needed when the test itself serves the CLI, e.g. an API stand-in). */
export async function shipgateAsync(args: string[], env: Record<string, string> = {}, timeoutMs = 120_000): Promise<CliResult> {
  const r = await runProcess(process.execPath, [BIN, ...args], { cwd: ROOT, env: { ...process.env, NO_COLOR: '1', ...env }, timeoutMs })
  return { code: r.code ?? -1, stdout: r.stdout, stderr: r.stderr }
}
