// app.*, settings.*, dialog.*: the app itself, its settings, and the dialogs that choose paths.
import { AppError } from '../../lib/errors'
import { isAllowedExternal } from '../../lib/links'
import type { AppServices } from '../../services/app-services'
import type { DomainHandlers } from './types'

export function appHandlers(s: AppServices): DomainHandlers<'app'> & DomainHandlers<'settings'> & DomainHandlers<'dialog'> {
  return {
    'app.info': async () => s.info(),
    'app.openExternal': async ({ url }) => {
      if (!isAllowedExternal(url)) throw new AppError('FORBIDDEN', `not opening ${url}: only https links to known hosts open outside the app`)
      await s.deps.openExternal?.(url)
      return { opened: Boolean(s.deps.openExternal) }
    },
    'app.log': async ({ level, message, view, stack }) => {
      s.logger[level](`renderer: ${message}`, { ...(view ? { view } : {}), ...(stack ? { stack } : {}) })
      return { logged: s.logger.file !== null }
    },
    'settings.get': async () => s.settings.get(),
    'settings.set': async (patch) => s.settings.set(patch.allowLocalCampaigns === undefined ? {} : { allowLocalCampaigns: patch.allowLocalCampaigns }),
    'dialog.open': async ({ purpose }) => {
      const paths = (await s.deps.pickOpen?.(purpose)) ?? null
      return paths && paths.length > 0 ? s.grants.grant('import', paths) : { token: null, label: '' }
    },
    'dialog.save': async ({ runId, format }) => {
      const path = (await s.deps.pickSavePath?.(s.core.exports.defaultName(runId, format))) ?? null
      return path ? s.grants.grant('save', [path]) : { token: null, label: '' }
    },
  }
}
