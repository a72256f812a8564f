// What provisioners created, written before the app relies on it: a crash between `apply` and
// `destroy` still leaves a row that says what to tear down.
import type { CloudResource } from '@shared/infra'
import type { Db } from './db'

export type ProvisionState = 'provisioning' | 'ready' | 'destroying' | 'destroyed' | 'failed'

export interface ProvisionRecord {
  id: number
  runId: string | null
  campaignTag: string
  kind: 'terraform' | 'digitalocean'
  state: ProvisionState
  workDir: string | null
  resources: CloudResource[]
  hourlyUsd: number
  createdAt: number
  deadlineAt: number
  destroyedAt: number | null
  teardownVerified: boolean
  detail: string | null
}

interface Row {
  id: number
  run_id: string | null
  campaign_tag: string
  kind: 'terraform' | 'digitalocean'
  state: ProvisionState
  work_dir: string | null
  resources_json: string
  hourly_usd: number
  created_at: number
  deadline_at: number
  destroyed_at: number | null
  teardown_verified: number
  detail: string | null
}

function toRecord(r: Row): ProvisionRecord {
  return {
    id: r.id,
    runId: r.run_id,
    campaignTag: r.campaign_tag,
    kind: r.kind,
    state: r.state,
    workDir: r.work_dir,
    resources: JSON.parse(r.resources_json) as CloudResource[],
    hourlyUsd: r.hourly_usd,
    createdAt: r.created_at,
    deadlineAt: r.deadline_at,
    destroyedAt: r.destroyed_at,
    teardownVerified: r.teardown_verified === 1,
    detail: r.detail,
  }
}

export class ProvisionRepo {
  constructor(private readonly db: Db) {}

  insert(p: { runId: string | null; campaignTag: string; kind: ProvisionRecord['kind']; workDir: string | null; createdAt: number; deadlineAt: number; hourlyUsd?: number }): number {
    return Number(
      this.db
        .prepare<[string | null, string, string, string | null, number, number, number]>("INSERT INTO provisions (run_id, campaign_tag, kind, state, work_dir, created_at, deadline_at, hourly_usd) VALUES (?, ?, ?, 'provisioning', ?, ?, ?, ?)")
        .run(p.runId, p.campaignTag, p.kind, p.workDir, p.createdAt, p.deadlineAt, p.hourlyUsd ?? 0).lastInsertRowid,
    )
  }

  update(id: number, fields: Partial<{ state: ProvisionState; resources: CloudResource[]; hourlyUsd: number; destroyedAt: number | null; teardownVerified: boolean; detail: string | null }>): void {
    const values: Record<string, unknown> = {
      id,
      state: fields.state,
      resources: fields.resources === undefined ? undefined : JSON.stringify(fields.resources),
      hourlyUsd: fields.hourlyUsd,
      destroyedAt: fields.destroyedAt,
      verified: fields.teardownVerified === undefined ? undefined : fields.teardownVerified ? 1 : 0,
      detail: fields.detail,
    }
    const columns: Record<string, string> = { state: 'state', resources: 'resources_json', hourlyUsd: 'hourly_usd', destroyedAt: 'destroyed_at', verified: 'teardown_verified', detail: 'detail' }
    const sets = Object.keys(columns)
      .filter((k) => values[k] !== undefined)
      .map((k) => `${columns[k]} = @${k}`)
    for (const k of Object.keys(values)) if (values[k] === undefined) delete values[k]
    if (sets.length === 0) return
    this.db.prepare<[Record<string, unknown>]>(`UPDATE provisions SET ${sets.join(', ')} WHERE id = @id`).run(values)
  }

  get(id: number): ProvisionRecord | null {
    const r = this.db.prepare<[number], Row>('SELECT * FROM provisions WHERE id = ?').get(id)
    return r ? toRecord(r) : null
  }

  /** Provisions whose resources may still exist (not destroyed, or destroyed without proof). */
  open(): ProvisionRecord[] {
    return this.db.prepare<[], Row>("SELECT * FROM provisions WHERE state != 'destroyed' OR teardown_verified = 0 ORDER BY id").all().map(toRecord)
  }

  forRun(runId: string): ProvisionRecord[] {
    return this.db.prepare<[string], Row>('SELECT * FROM provisions WHERE run_id = ? ORDER BY id').all(runId).map(toRecord)
  }

  byTag(tag: string): ProvisionRecord | null {
    const r = this.db.prepare<[string], Row>('SELECT * FROM provisions WHERE campaign_tag = ? ORDER BY id DESC LIMIT 1').get(tag)
    return r ? toRecord(r) : null
  }
}
