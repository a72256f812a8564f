// Saved campaigns of the desktop app: the YAML text as the user wrote it, validated on save.
import type { Db } from '../store/db'
import { AppError } from '../lib/errors'
import { parseCampaignText } from './campaigns'

export class CampaignLibrary {
  constructor(
    private readonly db: Db,
    private readonly now: () => number = Date.now,
  ) {}

  list(): { name: string; updatedAt: number }[] {
    return this.db.prepare('SELECT name, updated_at AS updatedAt FROM campaigns ORDER BY updated_at DESC').all() as { name: string; updatedAt: number }[]
  }

  get(name: string): { name: string; yaml: string } {
    const yaml = this.db.prepare('SELECT yaml FROM campaigns WHERE name = ?').pluck().get(name) as string | undefined
    if (yaml === undefined) throw new AppError('NOT_FOUND', `no saved campaign ${JSON.stringify(name)}`)
    return { name, yaml }
  }

  /** Validates, then saves under the campaign's own name. */
  save(yaml: string): { name: string } {
    const campaign = parseCampaignText(yaml, 'the campaign')
    const now = this.now()
    this.db
      .prepare('INSERT INTO campaigns (name, yaml, created_at, updated_at) VALUES (?, ?, ?, ?) ON CONFLICT (name) DO UPDATE SET yaml = excluded.yaml, updated_at = excluded.updated_at')
      .run(campaign.name, yaml, now, now)
    return { name: campaign.name }
  }

  delete(name: string): boolean {
    return this.db.prepare('DELETE FROM campaigns WHERE name = ?').run(name).changes > 0
  }
}
