import { spawnSync } from 'node:child_process'
import { resolve } from 'node:path'

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
