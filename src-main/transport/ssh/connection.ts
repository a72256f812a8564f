// One SSH connection per host, reused for many commands, with a bound on concurrent channels and a
// reconnect after a drop. Commands run in a process group whose id is reported first, so cancel and
// timeout kill the whole group (OpenSSH ignores the SSH "signal" request).
import { Client, type ClientChannel, type ConnectConfig, type SFTPWrapper } from 'ssh2'
import type { Duplex } from 'node:stream'
import { posix } from 'node:path'
import { errorMessage, isAppError } from '../../lib/errors'
import { CappedStream, CommandStop, DEFAULT_OUTPUT_CAP, cancelledBeforeStart } from '../output'
import { cmd, q } from '../quote'
import { type ExecOptions, type ExecResult, type HostLabel, type Transport, TransportError } from '../types'
import { agentSocket, type AskPassphrase, loadKeys } from './credentials'
import { type SshEndpoint, endpointLabel } from './endpoint'
import { type HostKeyPolicy, hostKeyAlgorithms, knownTypesOf } from './host-keys'

export interface SshTimings {
  /** Handshake deadline (ssh2 readyTimeout). */
  connectTimeoutMs: number
  keepaliveIntervalMs: number
  keepaliveCountMax: number
  /** Concurrent channels per connection; one more is kept free for kill commands. */
  maxChannels: number
}

export const DEFAULT_SSH_TIMINGS: SshTimings = {
  connectTimeoutMs: 15_000,
  keepaliveIntervalMs: 5_000,
  keepaliveCountMax: 3,
  maxChannels: 8,
}

export interface SshDeps {
  hostKeys: HostKeyPolicy
  askPassphrase?: AskPassphrase
  timings?: Partial<SshTimings>
  /** Opens (or reuses) the connection to a jump host. */
  jumpConnection?: (endpoint: SshEndpoint) => SshConnection
  env?: NodeJS.ProcessEnv
}

const PGID_MARKER = '@@shipgate-pgid '
const KILL_GRACE_S = 1

class Semaphore {
  private active = 0
  private readonly waiting: (() => void)[] = []
  constructor(private readonly max: number) {}
  async acquire(): Promise<() => void> {
    if (this.active >= this.max) await new Promise<void>((resolve) => this.waiting.push(resolve))
    this.active++
    let released = false
    return () => {
      if (released) return
      released = true
      this.active--
      this.waiting.shift()?.()
    }
  }
}

interface Live {
  client: Client
  /** Fails commands in flight when the connection drops. */
  inflight: Set<(err: TransportError) => void>
}

export class SshConnection implements Transport {
  readonly host: HostLabel
  private readonly timings: SshTimings
  private readonly channels: Semaphore
  private live: Live | null = null
  private connecting: Promise<Live> | null = null
  private disposed = false
  /** How many times a connection was (re)established, for diagnostics and tests. */
  connects = 0

  constructor(
    readonly endpoint: SshEndpoint,
    private readonly deps: SshDeps,
    name?: string,
  ) {
    this.host = { name: name ?? endpoint.alias, address: endpoint.host }
    this.timings = { ...DEFAULT_SSH_TIMINGS, ...deps.timings }
    this.channels = new Semaphore(Math.max(1, this.timings.maxChannels - 1))
  }

  get label(): string {
    return endpointLabel(this.endpoint)
  }

  /** Connects if needed; concurrent callers share one handshake. */
  async connect(): Promise<void> {
    await this.ensure()
  }

  private ensure(): Promise<Live> {
    if (this.disposed) return Promise.reject(new TransportError('SSH_TRANSPORT', `connection to ${this.host.name} was closed`, this.host.name))
    if (this.live) return Promise.resolve(this.live)
    this.connecting ??= this.open().finally(() => {
      this.connecting = null
    })
    return this.connecting
  }

  private async open(): Promise<Live> {
    const e = this.endpoint
    const name = this.host.name
    const knownTypes = this.deps.hostKeys.knownKeyTypes(e.host, e.port)
    const offer = hostKeyAlgorithms(knownTypes)
    if (offer.length === 0) {
      throw new TransportError('HOST_KEY_MISMATCH', `${this.label} is known only by host keys of types Shipgate Lab cannot check (${knownTypes.join(', ')}); refusing to connect`, name)
    }
    let keys
    try {
      keys = await loadKeys(e, this.deps.askPassphrase)
    } catch (err) {
      throw new TransportError('SSH_AUTH', isAppError(err) ? err.message : errorMessage(err), name)
    }
    const agent = agentSocket(e, this.deps.env)
    if (keys.length === 0 && !agent) throw new TransportError('SSH_AUTH', `no private key and no ssh-agent for ${this.label}`, name)

    let sock: Duplex | undefined
    if (e.jump) {
      const jump = this.deps.jumpConnection?.(e.jump)
      if (!jump) throw new TransportError('SSH_TRANSPORT', `no way to reach the jump host ${endpointLabel(e.jump)}`, name)
      sock = await jump.forwardOut(e.host, e.port)
    }

    const client = new Client()
    let hostKeyError: TransportError | null = null
    const methods = [
      ...(agent ? [{ type: 'agent' as const, username: e.user, agent }] : []),
      ...keys.map((k) => ({ type: 'publickey' as const, username: e.user, key: k.key })),
    ]
    const config: ConnectConfig = {
      host: e.host,
      port: e.port,
      username: e.user,
      ...(sock ? { sock } : {}),
      readyTimeout: this.timings.connectTimeoutMs,
      keepaliveInterval: this.timings.keepaliveIntervalMs,
      keepaliveCountMax: this.timings.keepaliveCountMax,
      // A known host is offered only its known key types (ssh2 takes this list as exact).
      algorithms: { serverHostKey: offer },
      // Runs during key exchange: a refused key ends the connection before any credential is sent.
      hostVerifier: (key: Buffer, verified: (ok: boolean) => void) => {
        void this.deps.hostKeys.verify(e.host, e.port, key, name).then(
          (err) => {
            hostKeyError = err
            verified(err === null)
          },
          (err: unknown) => {
            hostKeyError = new TransportError('HOST_KEY_UNKNOWN', `host key check failed: ${errorMessage(err)}`, name)
            verified(false)
          },
        )
      },
      authHandler: methods as never,
    }
    return new Promise<Live>((resolve, reject) => {
      let ready = false
      const live: Live = { client, inflight: new Set() }
      client.on('ready', () => {
        ready = true
        // Commands are small request/response exchanges: Nagle's delay would add ~40 ms to each.
        client.setNoDelay(true)
        this.live = live
        this.connects++
        resolve(live)
      })
      client.on('error', (err: Error & { level?: string }) => {
        const failure = this.classify(err, hostKeyError, knownTypes.length > 0)
        if (!ready) reject(failure)
        else this.drop(live, failure)
      })
      client.on('close', () => {
        if (!ready) reject(hostKeyError ?? new TransportError('SSH_TRANSPORT', `connection to ${this.label} closed during the handshake`, name))
        this.drop(live, new TransportError('SSH_TRANSPORT', `connection to ${this.label} closed`, name))
      })
      try {
        client.connect(config)
      } catch (err) {
        reject(new TransportError('SSH_TRANSPORT', `cannot connect to ${this.label}: ${errorMessage(err)}`, name, undefined, { cause: err }))
      }
    })
  }

  private classify(err: Error & { level?: string }, hostKeyError: TransportError | null, hostIsKnown: boolean): TransportError {
    const name = this.host.name
    if (hostKeyError) return hostKeyError
    const msg = err.message
    if (hostIsKnown && /no matching host key format/i.test(msg)) {
      const e = this.endpoint
      const known = this.deps.hostKeys.knownKeys(e.host, e.port)
      return new TransportError(
        'HOST_KEY_MISMATCH',
        `${this.label} offered no host key of a type it is known by (known key types: ${knownTypesOf(known)}; expected ${known.map((k) => `${k.keyType} ${k.fingerprint} (${k.via})`).join(' or ')}). ` +
          'It may not be the host you know: the connection was refused before any credential was sent. If the host was rebuilt, remove its old keys and connect again.',
        name,
      )
    }
    if (/authentication methods failed/i.test(msg)) return new TransportError('SSH_AUTH', `authentication to ${this.label} failed (no key or agent identity was accepted)`, name)
    if (/timed out|keepalive/i.test(msg) || err.level === 'client-timeout') return new TransportError('SSH_TIMEOUT', `${this.label}: ${msg}`, name, undefined, { cause: err })
    return new TransportError('SSH_TRANSPORT', `${this.label}: ${msg}`, name, undefined, { cause: err })
  }

  private drop(live: Live, err: TransportError): void {
    if (this.live === live) this.live = null
    for (const fail of live.inflight) fail(err)
    live.inflight.clear()
    live.client.end()
  }

  /** A TCP stream to host:port opened from this host (for ProxyJump through it). */
  async forwardOut(host: string, port: number): Promise<Duplex> {
    const live = await this.ensure()
    return new Promise((resolve, reject) => {
      live.client.forwardOut('127.0.0.1', 0, host, port, (err, stream) => {
        if (err) reject(new TransportError('SSH_TRANSPORT', `jump host ${this.label} cannot reach ${host}:${port}: ${err.message}`, this.host.name))
        else resolve(stream)
      })
    })
  }

  async exec(command: string, options: ExecOptions = {}): Promise<ExecResult> {
    const release = await this.channels.acquire()
    try {
      const live = await this.ensure()
      return await this.run(live, command, options)
    } finally {
      release()
    }
  }

  private run(live: Live, command: string, options: ExecOptions): Promise<ExecResult> {
    const name = this.host.name
    const started = performance.now()
    const cap = options.maxOutputBytes ?? DEFAULT_OUTPUT_CAP
    const out = new CappedStream(cap, options.onStdout)
    const err = new CappedStream(cap, options.onStderr)
    // The login shell sshd starts is a session and process-group leader: report its pid, then
    // replace it with the command, which keeps the pid as the group id.
    const wrapped = `printf '${PGID_MARKER}%s\\n' "$$"; exec /bin/sh -c ${q(command)}`
    return new Promise<ExecResult>((resolve, reject) => {
      if (options.signal?.aborted) {
        resolve(cancelledBeforeStart())
        return
      }
      let pgid: number | null = null
      let head = ''
      let exitCode: number | null = null
      let exitSignal: string | null = null
      let settled = false
      let channel: ClientChannel | null = null
      const cleanup = () => {
        stopper.dispose()
        live.inflight.delete(onDrop)
      }
      const onDrop = (e: TransportError) => {
        if (settled) return
        settled = true
        cleanup()
        out.end()
        err.end()
        reject(new TransportError(e.code, `${e.message} while running a command`, name, { stdout: out.text(), stderr: err.text() }, { cause: e }))
      }
      const stop = () => {
        if (pgid !== null) void this.killGroup(live, pgid).finally(() => channel?.close())
        else channel?.close()
      }
      const stopper = new CommandStop(options, stop)
      live.inflight.add(onDrop)
      live.client.exec(wrapped, (openErr, ch) => {
        if (openErr) {
          onDrop(new TransportError('SSH_TRANSPORT', `${this.label}: cannot open a channel: ${openErr.message}`, name))
          return
        }
        channel = ch
        ch.on('data', (d: Buffer) => {
          if (pgid !== null) return out.push(d)
          head += d.toString('latin1')
          const nl = head.indexOf('\n')
          if (nl < 0) return
          const first = head.slice(0, nl)
          const rest = Buffer.from(head.slice(nl + 1), 'latin1')
          head = ''
          if (first.startsWith(PGID_MARKER)) pgid = Number(first.slice(PGID_MARKER.length)) || null
          else out.push(Buffer.from(`${first}\n`, 'latin1'))
          pgid ??= -1
          if (rest.length) out.push(rest)
          if (stopper.stopped && pgid > 0) stop()
        })
        ch.stderr.on('data', (d: Buffer) => err.push(d))
        ch.on('exit', (code: number | null, signal?: string) => {
          exitCode = typeof code === 'number' ? code : null
          exitSignal = signal ?? null
        })
        ch.on('close', () => {
          if (settled) return
          settled = true
          cleanup()
          if (head) out.push(Buffer.from(head, 'latin1'))
          resolve(stopper.result(exitCode, exitSignal, out, err, started))
        })
        if (options.stdin !== undefined) ch.end(options.stdin)
        else ch.end()
      })
    })
  }

  /** TERM, then KILL after a grace period, to the whole remote process group. */
  private killGroup(live: Live, pgid: number): Promise<void> {
    if (pgid <= 1) return Promise.resolve()
    const script = `kill -TERM -- -${pgid} 2>/dev/null; sleep ${KILL_GRACE_S}; kill -KILL -- -${pgid} 2>/dev/null; true`
    return new Promise((resolve) => {
      live.client.exec(script, (e, ch) => {
        if (e) return resolve()
        ch.on('close', () => resolve())
        ch.resume()
        ch.stderr.resume()
      })
    })
  }

  private async sftp(): Promise<SFTPWrapper> {
    const live = await this.ensure()
    return new Promise((resolve, reject) => {
      live.client.sftp((e, sftp) => (e ? reject(new TransportError('SSH_TRANSPORT', `${this.label}: SFTP unavailable: ${e.message}`, this.host.name)) : resolve(sftp)))
    })
  }

  async upload(content: Uint8Array, remotePath: string, mode = 0o644): Promise<void> {
    const release = await this.channels.acquire()
    try {
      const mk = await this.run(await this.ensure(), cmd('mkdir', '-p', posix.dirname(remotePath)), { timeoutMs: 30_000 })
      if (mk.exitCode !== 0) throw new Error(`cannot create ${posix.dirname(remotePath)} on ${this.host.name}: ${mk.stderr.trim()}`)
      const sftp = await this.sftp()
      try {
        await new Promise<void>((resolve, reject) =>
          sftp.writeFile(remotePath, Buffer.from(content), { mode }, (e) => (e ? reject(new Error(`upload to ${this.host.name}:${remotePath} failed: ${e.message}`)) : resolve())),
        )
        await new Promise<void>((resolve, reject) => sftp.chmod(remotePath, mode, (e) => (e ? reject(e) : resolve())))
      } finally {
        sftp.end()
      }
    } finally {
      release()
    }
  }

  async readFile(remotePath: string, maxBytes = 64 * 1024 * 1024): Promise<Buffer> {
    const release = await this.channels.acquire()
    try {
      const sftp = await this.sftp()
      try {
        const size = await new Promise<number>((resolve, reject) => sftp.stat(remotePath, (e, st) => (e ? reject(new Error(`${this.host.name}:${remotePath}: ${e.message}`)) : resolve(st.size))))
        if (size > maxBytes) throw new Error(`${this.host.name}:${remotePath} is ${size} bytes, over the ${maxBytes}-byte limit`)
        return await new Promise<Buffer>((resolve, reject) => sftp.readFile(remotePath, (e, data) => (e ? reject(new Error(`${this.host.name}:${remotePath}: ${e.message}`)) : resolve(data))))
      } finally {
        sftp.end()
      }
    } finally {
      release()
    }
  }

  async dispose(): Promise<void> {
    this.disposed = true
    const live = this.live ?? (this.connecting ? await this.connecting.catch(() => null) : null)
    if (live) this.drop(live, new TransportError('SSH_TRANSPORT', `connection to ${this.host.name} was closed`, this.host.name))
  }
}
