// Where and as whom to connect: a campaign host entry merged with ~/.ssh/config (HostName, User,
// Port, IdentityFile, ProxyJump), first match wins as in OpenSSH.
import { readFileSync } from 'node:fs'
import { homedir } from 'node:os'
import { join } from 'node:path'
import SSHConfig from 'ssh-config'
import { assertHost, assertUser } from '../quote'

export interface SshEndpoint {
  /** What the campaign or the user called it (an alias, a role, or the address). */
  alias: string
  host: string
  port: number
  user: string
  /** Explicit keys fail loudly when unreadable; default keys are skipped when missing. */
  identityFiles: string[]
  explicitIdentity: boolean
  useAgent: boolean
  jump: SshEndpoint | null
}

export interface EndpointSpec {
  address: string
  port?: number
  user?: string
  identityFile?: string
  /** ProxyJump syntax: `[user@]host[:port]`, comma-separated hops, or aliases from ~/.ssh/config. */
  jump?: string
  useAgent?: boolean
}

export interface EndpointEnv {
  home?: string
  /** Text of ~/.ssh/config; read from disk when undefined, none when null. */
  sshConfig?: string | null
  localUser?: string
}

const DEFAULT_IDENTITIES = ['id_ed25519', 'id_ecdsa', 'id_rsa']

function readSshConfig(home: string): string | null {
  try {
    return readFileSync(join(home, '.ssh', 'config'), 'utf8')
  } catch {
    return null
  }
}

function expandPath(p: string, ctx: { home: string; host: string; user: string; alias: string; port: number }): string {
  return p
    .replace(/^~(?=\/|$)/, ctx.home)
    .replace(/%d/g, ctx.home)
    .replace(/%h/g, ctx.host)
    .replace(/%r/g, ctx.user)
    .replace(/%n/g, ctx.alias)
    .replace(/%p/g, String(ctx.port))
    .replace(/%%/g, '%')
}

function first(v: string | string[] | undefined): string | undefined {
  return Array.isArray(v) ? v[0] : v
}

/** Parses `[user@]host[:port]` (brackets allowed around IPv6 hosts). */
export function parseHop(hop: string): { user?: string; host: string; port?: number } {
  let rest = hop.trim()
  let user: string | undefined
  const at = rest.lastIndexOf('@')
  if (at > 0) {
    user = rest.slice(0, at)
    rest = rest.slice(at + 1)
  }
  let port: number | undefined
  const bracket = /^\[([^\]]+)\](?::(\d+))?$/.exec(rest)
  if (bracket) {
    rest = bracket[1] ?? ''
    if (bracket[2]) port = Number(bracket[2])
  } else {
    const m = /^([^:]+):(\d+)$/.exec(rest)
    if (m) {
      rest = m[1] ?? ''
      port = Number(m[2])
    }
  }
  return { ...(user ? { user } : {}), host: rest, ...(port ? { port } : {}) }
}

export function resolveEndpoint(spec: EndpointSpec, env: EndpointEnv = {}, depth = 0): SshEndpoint {
  if (depth > 5) throw new Error('ProxyJump chain longer than 5 hops (a loop in ~/.ssh/config?)')
  const home = env.home ?? homedir()
  const configText = env.sshConfig === undefined ? readSshConfig(home) : env.sshConfig
  const computed = configText ? (SSHConfig.parse(configText).compute(spec.address) as Record<string, string | string[]>) : {}
  const alias = spec.address
  const host = assertHost(first(computed.HostName) ?? spec.address)
  const port = spec.port ?? Number(first(computed.Port) ?? 22)
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new Error(`invalid port ${port} for ${alias}`)
  const user = assertUser(spec.user ?? first(computed.User) ?? env.localUser ?? process.env.USER ?? 'root')
  const ctx = { home, host, user, alias, port }
  const configured = computed.IdentityFile ? (Array.isArray(computed.IdentityFile) ? computed.IdentityFile : [computed.IdentityFile]) : []
  const explicit = spec.identityFile ? [spec.identityFile] : configured
  const identityFiles = (explicit.length ? explicit : DEFAULT_IDENTITIES.map((n) => join(home, '.ssh', n))).map((p) => expandPath(p, ctx))
  const jumpSpec = spec.jump ?? first(computed.ProxyJump)
  let jump: SshEndpoint | null = null
  if (jumpSpec && jumpSpec.toLowerCase() !== 'none') {
    // `a,b`: connect to a, through it to b, through b to the target.
    const hops = jumpSpec.split(',').map(parseHop)
    for (const hop of hops) {
      const resolved = resolveEndpoint({ address: hop.host, ...(hop.port ? { port: hop.port } : {}), ...(hop.user ? { user: hop.user } : {}) }, { ...env, home, sshConfig: configText }, depth + 1)
      jump = resolved.jump ? resolved : { ...resolved, jump }
    }
  }
  return { alias, host, port, user, identityFiles, explicitIdentity: explicit.length > 0, useAgent: spec.useAgent ?? true, jump }
}

export function endpointLabel(e: SshEndpoint): string {
  return `${e.user}@${e.host}${e.port === 22 ? '' : `:${e.port}`}${e.jump ? ` via ${endpointLabel(e.jump)}` : ''}`
}
