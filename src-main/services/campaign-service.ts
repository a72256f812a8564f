// Campaigns: files (YAML or JSON) validated with one schema, the desktop app's saved campaigns, the
// built-in demo lab, and the warnings a valid campaign deserves before it runs.
import { readFileSync } from 'node:fs'
import YAML from 'yaml'
import { type Campaign, campaignSchema, campaignWarnings, describeIssues } from '@shared/campaign'
import { demoCampaign, type DemoOptions, isDemoLab } from '../demo/demo'
import { AppError } from '../lib/errors'
import type { SavedCampaign } from '../store/campaign-repo'
import type { Store } from '../store/store'

export function parseCampaignText(text: string, origin = 'campaign'): Campaign {
  let raw: unknown
  try {
    raw = YAML.parse(text, { maxAliasCount: 100 })
  } catch (err) {
    throw new AppError('CAMPAIGN_INVALID', `${origin}: not valid YAML or JSON: ${(err as Error).message}`)
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new AppError('CAMPAIGN_INVALID', `${origin}: expected a mapping of campaign settings`)
  const parsed = campaignSchema.safeParse(raw)
  if (!parsed.success) {
    const issues = describeIssues(parsed.error)
    throw new AppError('CAMPAIGN_INVALID', `${origin} is not a valid campaign:\n  ${issues.join('\n  ')}`, { details: issues })
  }
  return parsed.data
}

export function loadCampaignFile(path: string): Campaign {
  let text: string
  try {
    text = readFileSync(path, 'utf8')
  } catch (err) {
    throw new AppError('BAD_INPUT', `cannot read the campaign file ${path}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`)
  }
  return parseCampaignText(text, path)
}

export function campaignToYaml(c: Campaign): string {
  return YAML.stringify(c, { lineWidth: 0 })
}

export type CampaignCheck = { ok: true; campaign: Campaign; warnings: string[] } | { ok: false; issues: string[] }

export class CampaignService {
  constructor(
    private readonly store: Store,
    private readonly now: () => number = Date.now,
  ) {}

  list(): SavedCampaign[] {
    return this.store.campaigns.list()
  }

  get(name: string): { name: string; yaml: string } {
    const yaml = this.store.campaigns.yaml(name)
    if (yaml === null) throw new AppError('NOT_FOUND', `no saved campaign ${JSON.stringify(name)}`)
    return { name, yaml }
  }

  /** Validates, then saves under the campaign's own name. */
  save(yaml: string): { name: string } {
    const campaign = parseCampaignText(yaml, 'the campaign')
    this.store.campaigns.save(campaign.name, yaml, this.now())
    return { name: campaign.name }
  }

  delete(name: string): boolean {
    return this.store.campaigns.delete(name)
  }

  check(yaml: string): CampaignCheck {
    try {
      const campaign = parseCampaignText(yaml, 'the campaign')
      return { ok: true, campaign, warnings: campaignWarnings(campaign) }
    } catch (err) {
      const details = (err as AppError).details
      return { ok: false, issues: Array.isArray(details) ? (details as string[]) : [(err as Error).message] }
    }
  }

  toYaml(campaign: unknown): string {
    const parsed = campaignSchema.safeParse(campaign)
    if (!parsed.success) throw new AppError('CAMPAIGN_INVALID', describeIssues(parsed.error).join('; '), { details: describeIssues(parsed.error) })
    return campaignToYaml(parsed.data)
  }

  demo(options: DemoOptions = {}): Promise<Campaign> {
    return demoCampaign(options)
  }

  isDemoLab(campaign: Campaign): boolean {
    return isDemoLab(campaign)
  }
}
