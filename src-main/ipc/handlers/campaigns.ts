// campaigns.*, hosts.*, live.*: building campaigns, testing hosts, running.
import { AppError } from '../../lib/errors'
import type { AppServices } from '../../services/app-services'
import { campaignToYaml, parseCampaignText } from '../../services/campaign-service'
import { checkHosts } from '../../services/hosts'
import type { DomainHandlers } from './types'

export function campaignHandlers(s: AppServices): DomainHandlers<'campaigns'> & DomainHandlers<'hosts'> & DomainHandlers<'live'> {
  const { campaigns } = s.core
  return {
    'campaigns.list': async () => campaigns.list(),
    'campaigns.get': async ({ name }) => campaigns.get(name),
    'campaigns.save': async ({ yaml }) => campaigns.save(yaml),
    'campaigns.delete': async ({ name }) => ({ deleted: campaigns.delete(name) }),
    'campaigns.validate': async ({ yaml }) => campaigns.check(yaml),
    'campaigns.demo': async ({ faults }) => ({ yaml: campaignToYaml(await campaigns.demo({ ...(faults ? { faults } : {}) })) }),
    'campaigns.toYaml': async ({ campaign }) => ({ yaml: campaigns.toYaml(campaign) }),
    'hosts.test': async ({ yaml }) => checkHosts(parseCampaignText(yaml, 'the campaign'), s.core.transportOptions),
    'hosts.answerKey': async ({ id, approve }) => ({ ok: s.prompts.answerKey(id, approve) }),
    'hosts.answerPassphrase': async ({ id, passphrase }) => ({ ok: s.prompts.answerPassphrase(id, passphrase) }),
    'live.start': async ({ yaml }) => {
      const campaign = parseCampaignText(yaml, 'the campaign')
      if (!s.mayRunLocally(campaign)) {
        throw new AppError('FORBIDDEN', 'this campaign runs commands on this machine (transport: local) and is not the built-in demo lab; allow local campaigns in the settings to run it')
      }
      return s.live.start(campaign)
    },
    'live.cancel': async ({ runId }) => ({ cancelled: s.live.cancel(runId) }),
    'live.active': async () => s.live.list(),
  }
}
