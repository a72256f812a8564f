// One thin handler per channel of the contract: each validates nothing itself (the contract did)
// and calls a service.
import { writeFileSync, readFileSync } from 'node:fs'
import type { Campaign } from '@shared/campaign'
import { campaignSchema, describeIssues } from '@shared/campaign'
import { demoCampaign } from '../demo/demo'
import { AppError } from '../lib/errors'
import { isAllowedExternal } from '../lib/links'
import { campaignToYaml, parseCampaignText } from '../services/campaigns'
import { checkHosts } from '../services/hosts'
import { importPaths } from '../import/importer'
import { importBundle } from '../report/bundle'
import type { AppServices } from '../services/app-services'
import { DIGITALOCEAN_TOKEN } from '../services/secrets'
import type { Handlers } from './dispatch'

export function createHandlers(s: AppServices): Handlers {
  return {
    'app.info': async () => s.info(),
    'app.openExternal': async ({ url }) => {
      if (!isAllowedExternal(url)) throw new AppError('FORBIDDEN', `not opening ${url}: only https links to known hosts open outside the app`)
      await s.deps.openExternal?.(url)
      return { opened: Boolean(s.deps.openExternal) }
    },
    'runs.list': async (filter) => s.history.list(filter),
    'runs.get': async ({ id }) => s.reports.report(id),
    'runs.compare': async ({ a, b }) => s.history.compare(a, b),
    'runs.log': async ({ id, offset, limit }) => s.reports.log(id, offset, limit),
    'runs.artifact': async ({ id, name, maxBytes }) => s.reports.artifactText(id, name, maxBytes),
    'runs.trends': async (req) => s.reports.trends({ ...(req.campaign ? { campaign: req.campaign } : {}), ...(req.limit ? { limit: req.limit } : {}) }),
    'runs.import': async ({ paths }) => {
      const chosen = paths ?? (await s.deps.pickFolder?.()) ?? null
      if (!chosen || chosen.length === 0) return { imported: 0, unchanged: 0, failed: [], cancelled: true }
      const report = importPaths(s.store, chosen)
      s.deps.emitRunsChanged?.('*')
      return {
        imported: report.results.filter((r) => r.status === 'imported' || r.status === 'replaced').length,
        unchanged: report.results.filter((r) => r.status === 'unchanged').length,
        failed: report.results.filter((r) => r.status === 'failed').map((r) => ({ id: r.id, error: r.error ?? '' })),
        cancelled: false,
      }
    },
    'campaigns.list': async () => s.campaigns.list(),
    'campaigns.get': async ({ name }) => s.campaigns.get(name),
    'campaigns.save': async ({ yaml }) => s.campaigns.save(yaml),
    'campaigns.delete': async ({ name }) => ({ deleted: s.campaigns.delete(name) }),
    'campaigns.validate': async ({ yaml }) => {
      try {
        return { ok: true, campaign: parseCampaignText(yaml, 'the campaign') }
      } catch (err) {
        const details = (err as AppError).details
        return { ok: false, issues: Array.isArray(details) ? (details as string[]) : [(err as Error).message] }
      }
    },
    'campaigns.demo': async ({ faults }) => ({ yaml: campaignToYaml(await demoCampaign({ ...(faults ? { faults } : {}) })) }),
    'campaigns.toYaml': async ({ campaign }) => {
      const parsed = campaignSchema.safeParse(campaign)
      if (!parsed.success) throw new AppError('CAMPAIGN_INVALID', describeIssues(parsed.error).join('; '), { details: describeIssues(parsed.error) })
      return { yaml: campaignToYaml(parsed.data) }
    },
    'hosts.test': async ({ yaml }) => checkHosts(parseCampaignText(yaml, 'the campaign'), s.transportOptions()),
    'hosts.answerKey': async ({ id, approve }) => ({ ok: s.prompts.answerKey(id, approve) }),
    'hosts.answerPassphrase': async ({ id, passphrase }) => ({ ok: s.prompts.answerPassphrase(id, passphrase) }),
    'live.start': async ({ yaml }) => {
      const campaign: Campaign = parseCampaignText(yaml, 'the campaign')
      return s.live.start(campaign)
    },
    'live.cancel': async ({ runId }) => ({ cancelled: s.live.cancel(runId) }),
    'live.active': async () => s.live.list(),
    'annotations.history': async ({ runId }) => s.store.annotations.history(s.history.resolve(runId)),
    'annotations.save': async ({ runId, annotation, accept }) => {
      const id = s.history.resolve(runId)
      s.store.annotations.add(id, annotation, accept ? 'accepted' : 'edited', s.deps.author ?? 'engineer', Date.now())
      const latest = s.store.annotations.latest(id)
      if (!latest) throw new AppError('INTERNAL', 'the narrative was not saved')
      return latest
    },
    'annotations.draft': async ({ runId }) => s.reports.draft(runId),
    'export.run': async ({ runId, format, path }) => {
      const id = s.history.resolve(runId)
      const ext = { pdf: 'pdf', html: 'html', junit: 'xml', bundle: 'shipgate.json' }[format]
      const target = path ?? (await s.deps.pickSavePath?.(`${id}.${ext}`)) ?? null
      if (!target) return { path: null }
      if (format === 'html') writeFileSync(target, s.exports.html(id))
      else if (format === 'junit') writeFileSync(target, s.exports.junit(id))
      else if (format === 'bundle') writeFileSync(target, s.exports.bundle(id))
      else if (s.deps.printPdf) await s.deps.printPdf(s.exports.html(id), id, target)
      else await s.exports.pdf(id, target)
      return { path: target }
    },
    'export.importBundle': async ({ path }) => {
      const chosen = path ?? (await s.deps.pickFolder?.())?.[0] ?? null
      if (!chosen) return { runId: null, status: 'cancelled' }
      const r = importBundle(s.store, JSON.parse(readFileSync(chosen, 'utf8')) as unknown)
      s.deps.emitRunsChanged?.(r.runId)
      return r
    },
    'cloud.settings': async () => s.secrets.cloudSettings(),
    'cloud.setToken': async ({ token }) => {
      s.secrets.set(DIGITALOCEAN_TOKEN, token)
      return s.secrets.cloudSettings()
    },
    'cloud.leftovers': async () => s.provisions.leftovers(),
    'cloud.destroy': async ({ kind, tag }) => {
      const o = await s.provisions.destroyLeftover(kind, tag, { log: () => undefined, step: (_name, work) => work() })
      s.deps.emitRunsChanged?.('*')
      return { verified: o.verified, message: o.message, costUsd: o.costUsd }
    },
    'cloud.costs': async () => s.provisions.costs(),
  }
}
