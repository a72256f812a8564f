// cloud.*: the DigitalOcean token, leftovers and costs.
import type { AppServices } from '../../services/app-services'
import { DIGITALOCEAN_TOKEN } from '../../services/secrets'
import type { DomainHandlers } from './types'

export function cloudHandlers(s: AppServices): DomainHandlers<'cloud'> {
  const { reconcile } = s.core
  return {
    'cloud.settings': async () => s.secrets.cloudSettings(),
    'cloud.setToken': async ({ token }) => {
      s.secrets.set(DIGITALOCEAN_TOKEN, token)
      return s.secrets.cloudSettings()
    },
    'cloud.leftovers': async () => reconcile.leftovers(),
    'cloud.destroy': async ({ kind, tag }) => {
      const o = await reconcile.destroyLeftover(kind, tag, { log: () => undefined, step: (_name, work) => work() })
      s.deps.emitRunsChanged?.('*')
      return { verified: o.verified, message: o.message, costUsd: o.costUsd }
    },
    'cloud.costs': async () => reconcile.costs(),
  }
}
