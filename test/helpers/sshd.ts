// A real sshd of the test's own in a lab droplet's network namespace (an impostor of the droplet, or a
// second host on its address), for attacks the lab's sshd cannot play: other host keys, other settings.
import { execFileSync, spawn } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { LabHost } from '../lab/lab-info'
import { lab } from './lab'

export interface TestSshd {
  log: string
  /** `<type> <base64>` of each host key, by ssh-keygen type (ed25519, rsa, ecdsa). */
  keys: Record<string, string>
  stop(): Promise<void>
}

const sshdBinary = execFileSync('sh', ['-c', 'command -v sshd || echo /usr/sbin/sshd'], { encoding: 'utf8' }).trim()

/** Polls `probe` until it returns something truthy (a condition, not a fixed sleep). */
export async function until<T>(what: string, probe: () => T | null | undefined | false | Promise<T | null | undefined | false>, timeoutMs = 5000): Promise<T> {
  const deadline = performance.now() + timeoutMs
  for (;;) {
    const v = await probe()
    if (v) return v
    if (performance.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 25))
  }
}

export function logSize(log: string): number {
  return statSync(log, { throwIfNoEntry: false })?.size ?? 0
}

/**
 * Starts sshd in `host`'s network namespace on `port` with fresh host keys of the given types. It
 * accepts the lab's client keys, so a handshake that goes through ends in a successful login.
 */
export async function startSshd(host: LabHost, port: number, keyTypes: ('ed25519' | 'rsa' | 'ecdsa')[], extraConfig: string[] = []): Promise<TestSshd> {
  const dir = mkdtempSync(join(tmpdir(), 'shipgate-sshd-'))
  const keys: Record<string, string> = {}
  const hostKeyLines = keyTypes.map((t) => {
    const file = join(dir, `host_${t}`)
    execFileSync('ssh-keygen', ['-q', '-t', t, ...(t === 'rsa' ? ['-b', '2048'] : []), '-N', '', '-f', file])
    keys[t] = readFileSync(`${file}.pub`, 'utf8').split(' ').slice(0, 2).join(' ')
    return `HostKey ${file}`
  })
  const config = join(dir, 'sshd_config')
  writeFileSync(
    config,
    [
      'ListenAddress 0.0.0.0',
      `Port ${port}`,
      ...hostKeyLines,
      `AuthorizedKeysFile ${join(lab().dir, 'authorized_keys')}`,
      `PidFile ${join(dir, 'sshd.pid')}`,
      'PermitRootLogin prohibit-password',
      'PasswordAuthentication no',
      'KbdInteractiveAuthentication no',
      'UsePAM no',
      'StrictModes no',
      'LogLevel VERBOSE',
      ...extraConfig,
      '',
    ].join('\n'),
  )
  const log = join(dir, 'sshd.log')
  const child = spawn('ip', ['netns', 'exec', host.ns, sshdBinary, '-D', '-f', config, '-E', log], { stdio: 'ignore' })
  const stop = () =>
    new Promise<void>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve()
      child.once('exit', () => resolve())
      child.kill('SIGTERM')
    }).then(() => rmSync(dir, { recursive: true, force: true }))
  try {
    // Ready once it says so (a TCP probe would add a connection of its own to the log).
    await until(`sshd on port ${port}`, () => {
      if (child.exitCode !== null) throw new Error(`sshd exited (${child.exitCode}): ${readFileSync(log, 'utf8')}`)
      return logSize(log) > 0 && readFileSync(log, 'utf8').includes(`Server listening on 0.0.0.0 port ${port}`)
    })
  } catch (err) {
    await stop()
    throw err
  }
  return { log, keys, stop }
}
