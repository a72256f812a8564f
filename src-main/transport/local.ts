// Child processes on this machine, for the built-in demo lab: the same contract as SSH, with the
// command run by /bin/sh in a process group of its own so cancel and timeout kill all of it.
import { spawn } from 'node:child_process'
import { mkdir, readFile, stat, writeFile, chmod } from 'node:fs/promises'
import { dirname } from 'node:path'
import { commandEnv } from './child-env'
import { CappedStream, CommandStop, DEFAULT_OUTPUT_CAP, cancelledBeforeStart } from './output'
import { type ExecOptions, type ExecResult, type HostLabel, type Transport, TransportError } from './types'

const KILL_GRACE_MS = 1500

export class LocalTransport implements Transport {
  private readonly running = new Set<number>()

  constructor(
    readonly host: HostLabel,
    /** The whole environment of every command: an allow-list, never this process's environment as is (see child-env). */
    private readonly env: Record<string, string> = commandEnv(),
  ) {}

  exec(command: string, options: ExecOptions = {}): Promise<ExecResult> {
    const started = performance.now()
    const cap = options.maxOutputBytes ?? DEFAULT_OUTPUT_CAP
    const out = new CappedStream(cap, options.onStdout)
    const err = new CappedStream(cap, options.onStderr)
    return new Promise((resolve, reject) => {
      if (options.signal?.aborted) {
        resolve(cancelledBeforeStart())
        return
      }
      const child = spawn('/bin/sh', ['-c', command], { detached: true, env: this.env, stdio: ['pipe', 'pipe', 'pipe'] })
      const pid = child.pid
      if (pid !== undefined) this.running.add(pid)
      const killGroup = () => {
        if (pid === undefined) return
        try {
          process.kill(-pid, 'SIGTERM')
        } catch {
          /* already gone */
        }
        setTimeout(() => {
          try {
            process.kill(-pid, 'SIGKILL')
          } catch {
            /* already gone */
          }
        }, KILL_GRACE_MS).unref()
      }
      const stopper = new CommandStop(options, killGroup)
      child.stdout.on('data', (d: Buffer) => out.push(d))
      child.stderr.on('data', (d: Buffer) => err.push(d))
      child.on('error', (e) => {
        stopper.dispose()
        reject(new TransportError('LOCAL_SPAWN', `cannot start /bin/sh on ${this.host.name}: ${e.message}`, this.host.name, undefined, { cause: e }))
      })
      child.on('close', (code, signal) => {
        stopper.dispose()
        if (pid !== undefined) this.running.delete(pid)
        resolve(stopper.result(code, signal ?? null, out, err, started))
      })
      child.stdin.on('error', () => undefined)
      if (options.stdin !== undefined) child.stdin.end(options.stdin)
      else child.stdin.end()
    })
  }

  async upload(content: Uint8Array, remotePath: string, mode = 0o644): Promise<void> {
    await mkdir(dirname(remotePath), { recursive: true })
    await writeFile(remotePath, content)
    await chmod(remotePath, mode)
  }

  async readFile(remotePath: string, maxBytes = 64 * 1024 * 1024): Promise<Buffer> {
    const st = await stat(remotePath)
    if (st.size > maxBytes) throw new Error(`${remotePath} on ${this.host.name} is ${st.size} bytes, over the ${maxBytes}-byte limit`)
    return readFile(remotePath)
  }

  async dispose(): Promise<void> {
    for (const pid of this.running) {
      try {
        process.kill(-pid, 'SIGKILL')
      } catch {
        /* gone */
      }
    }
    this.running.clear()
  }
}
