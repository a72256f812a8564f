// "Test connection": reach every host of a campaign and find its ai-memory, without running anything.
import type { Campaign } from '@shared/campaign'
import { HOST_ROLES, type HostRole } from '@shared/domain'
import type { HostCheckView } from '@shared/ipc/contract'
import { AppError, errorMessage } from '../lib/errors'
import { campaignTransports, type TransportOptions } from '../engine/transports'
import { envPrefix, q } from '../transport/quote'
import { isTransportError } from '../transport/types'

/** One host's answer to "test connection": the same shape the renderer shows. */
export type HostCheck = HostCheckView

export async function checkHosts(campaign: Campaign, options: TransportOptions = {}): Promise<Record<HostRole, HostCheck>> {
  if (campaign.provisioner.kind !== 'static') throw new AppError('BAD_REQUEST', `the hosts of this campaign are created by the ${campaign.provisioner.kind} provisioner when it runs: there is nothing to connect to yet`)
  const set = campaignTransports(campaign, options)
  try {
    const entries = await Promise.all(
      HOST_ROLES.map(async (role): Promise<[HostRole, HostCheck]> => {
        const h = campaign.hosts[role]
        const target = `${h.user ? `${h.user}@` : ''}${h.address}${h.port ? `:${h.port}` : ''}${h.jump ? ` via ${h.jump}` : ''}`
        const started = Date.now()
        try {
          const r = await set.get(role).exec(`hostname; ${envPrefix(campaign.ai_memory.env)}${q(campaign.ai_memory.binary)} --version 2>/dev/null || true`, { timeoutMs: 30_000 })
          const [name, version] = r.stdout.trim().split('\n')
          return [role, { ok: r.exitCode === 0, target, hostname: name ?? '', version: version ?? null, ms: Date.now() - started }]
        } catch (err) {
          return [role, { ok: false, target, ms: Date.now() - started, error: errorMessage(err), ...(isTransportError(err) ? { errorCode: err.code } : {}) }]
        }
      }),
    )
    return Object.fromEntries(entries) as Record<HostRole, HostCheck>
  } finally {
    await set.dispose()
  }
}
