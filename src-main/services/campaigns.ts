// Campaign files: YAML or JSON on disk, validated with one schema, errors a user can act on.
import { readFileSync } from 'node:fs'
import YAML from 'yaml'
import { type Campaign, campaignSchema, describeIssues } from '@shared/campaign'
import { AppError } from '../lib/errors'

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
