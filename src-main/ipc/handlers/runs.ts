// runs.*, annotations.*, export.*: the history, its narratives and its exports.
import { AppError } from '../../lib/errors'
import type { AppServices } from '../../services/app-services'
import type { DomainHandlers } from './types'

export function runHandlers(s: AppServices): DomainHandlers<'runs'> & DomainHandlers<'annotations'> & DomainHandlers<'export'> {
  const { history, reports, imports, exports, store } = s.core
  return {
    'runs.list': async (filter) => history.list(filter),
    'runs.get': async ({ id }) => reports.report(id),
    'runs.compare': async ({ a, b }) => history.compare(a, b),
    'runs.log': async ({ id, offset, limit }) => reports.log(id, offset, limit),
    'runs.artifact': async ({ id, name, maxBytes }) => reports.artifactText(id, name, maxBytes),
    'runs.trends': async (req) => reports.trends({ ...(req.campaign ? { campaign: req.campaign } : {}), ...(req.limit ? { limit: req.limit } : {}) }),
    'runs.import': async ({ token }) => {
      const outcome = imports.import(s.grants.take(token, 'import'))
      s.deps.emitRunsChanged?.('*')
      const count = (...statuses: string[]) => outcome.results.filter((r) => statuses.includes(r.status)).length
      return { imported: count('imported', 'replaced'), unchanged: count('unchanged'), failed: outcome.results.filter((r) => r.status === 'failed').map((r) => ({ id: r.id, error: r.error ?? '' })) }
    },
    'annotations.history': async ({ runId }) => store.annotations.history(history.resolve(runId)),
    'annotations.save': async ({ runId, annotation, accept }) => {
      const id = history.resolve(runId)
      store.annotations.add(id, annotation, accept ? 'accepted' : 'edited', s.deps.author ?? 'engineer', Date.now())
      const latest = store.annotations.latest(id)
      if (!latest) throw new AppError('INTERNAL', 'the narrative was not saved')
      return latest
    },
    'annotations.draft': async ({ runId }) => reports.draft(runId),
    'export.run': async ({ runId, format, token }) => {
      const [path] = s.grants.take(token, 'save')
      if (!path) throw new AppError('BAD_REQUEST', 'no file was chosen')
      await exports.write(runId, format, path)
      return { written: path }
    },
  }
}
