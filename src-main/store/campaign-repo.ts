// Saved campaign files of the desktop app: the YAML as the user wrote it (validated by the service
// before it gets here).
import type { Db } from './db'

export interface SavedCampaign {
  name: string
  updatedAt: number
}

export class CampaignRepo {
  constructor(private readonly db: Db) {}

  list(): SavedCampaign[] {
    return this.db.prepare<[], SavedCampaign>('SELECT name, updated_at AS updatedAt FROM campaigns ORDER BY updated_at DESC').all()
  }

  yaml(name: string): string | null {
    return this.db.prepare<[string], { yaml: string }>('SELECT yaml FROM campaigns WHERE name = ?').get(name)?.yaml ?? null
  }

  save(name: string, yaml: string, at: number): void {
    this.db
      .prepare<[string, string, number, number]>('INSERT INTO campaigns (name, yaml, created_at, updated_at) VALUES (?, ?, ?, ?) ON CONFLICT (name) DO UPDATE SET yaml = excluded.yaml, updated_at = excluded.updated_at')
      .run(name, yaml, at, at)
  }

  delete(name: string): boolean {
    return this.db.prepare<[string]>('DELETE FROM campaigns WHERE name = ?').run(name).changes > 0
  }

  count(): number {
    return this.db.prepare<[], { n: number }>('SELECT COUNT(*) AS n FROM campaigns').get()?.n ?? 0
  }
}
