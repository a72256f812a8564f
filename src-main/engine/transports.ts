// The transports of a campaign's hosts: SSH (one pooled connection per host) or local processes.
import { homedir } from 'node:os'
import { join } from 'node:path'
import type { Campaign } from '@shared/campaign'
import type { HostRole } from '@shared/domain'
import type { KnownHostRepo } from '../store/known-host-repo'
import { commandEnv } from '../transport/child-env'
import { LocalTransport } from '../transport/local'
import type { AskPassphrase } from '../transport/ssh/credentials'
import { resolveEndpoint } from '../transport/ssh/endpoint'
import { type ApproveHostKey, HostKeyPolicy } from '../transport/ssh/host-keys'
import { SshPool } from '../transport/ssh/pool'
import type { SshTimings } from '../transport/ssh/connection'
import type { Transport } from '../transport/types'
import type { TransportExtras, TransportSet } from './runner'

export interface TransportOptions {
  knownHosts?: KnownHostRepo
  approveHostKey?: ApproveHostKey
  askPassphrase?: AskPassphrase
  /** OpenSSH known_hosts files to trust in addition to the app's pins. */
  knownHostsFiles?: string[]
  sshConfig?: string | null
  timings?: Partial<SshTimings>
  /** Where SSH_AUTH_SOCK and the allow-listed variables of local commands come from (default: this process's). */
  env?: NodeJS.ProcessEnv
}

export function defaultKnownHostsFiles(home = homedir()): string[] {
  return [join(home, '.ssh', 'known_hosts'), '/etc/ssh/ssh_known_hosts']
}

export function campaignTransports(campaign: Campaign, options: TransportOptions = {}, extras: TransportExtras = {}): TransportSet {
  if (campaign.transport === 'local') {
    const local = new Map<HostRole, LocalTransport>()
    const env = commandEnv(options.env ?? process.env)
    return {
      get(role) {
        let t = local.get(role)
        if (!t) {
          t = new LocalTransport({ name: campaign.hosts[role].name ?? role, address: 'localhost' }, env)
          local.set(role, t)
        }
        return t
      },
      dispose: async () => {
        await Promise.all([...local.values()].map((t) => t.dispose()))
      },
    }
  }
  const fresh = extras.trustOnFirstUse ?? new Set<string>()
  const ask = options.approveHostKey
  // Hosts this run just created (without a reported key) are trusted on first use, and only them.
  const approve: ApproveHostKey | undefined =
    fresh.size > 0
      ? async (p) => {
          if (fresh.has(p.host)) {
            extras.log?.(`accepted the first host key of ${p.host} (created by this run): ${p.keyType} ${p.fingerprint}`)
            return true
          }
          return ask ? ask(p) : false
        }
      : ask
  const pool = new SshPool({
    hostKeys: new HostKeyPolicy({
      knownHostsFiles: options.knownHostsFiles ?? defaultKnownHostsFiles(),
      ...(options.knownHosts ? { store: options.knownHosts } : {}),
      ...(approve ? { approve } : {}),
    }),
    ...(options.askPassphrase ? { askPassphrase: options.askPassphrase } : {}),
    ...(options.timings ? { timings: options.timings } : {}),
    ...(options.env ? { env: options.env } : {}),
  })
  const byRole = new Map<HostRole, Transport>()
  return {
    get(role) {
      let t = byRole.get(role)
      if (!t) {
        const h = campaign.hosts[role]
        const endpoint = resolveEndpoint(
          {
            address: h.address,
            ...(h.port ? { port: h.port } : {}),
            ...(h.user ? { user: h.user } : {}),
            ...(h.key ? { identityFile: h.key } : {}),
            ...(h.jump ? { jump: h.jump } : {}),
            useAgent: h.agent,
          },
          options.sshConfig === undefined ? {} : { sshConfig: options.sshConfig },
        )
        t = pool.get(endpoint, h.name ?? role)
        byRole.set(role, t)
      }
      return t
    },
    dispose: () => pool.dispose(),
  }
}
