// Runs: one row per run, imported or launched. The evaluation is stored whole (it is what the
// report shows) and its statuses are denormalised into columns for fast history filters.
import type {
  PhaseNumber,
  PhaseStatus,
  RunEvaluation,
  RunSource,
  RunState,
  RunSummary,
  RunVerdict,
} from '@shared/domain'
import { THRESHOLD_SET_ID, isWeakenedSet } from '@shared/thresholds'
import type { CostSummary } from '@shared/views'
import type { Db } from './db'
import { parseStoredEvaluation } from './evaluation-record'

export interface NewRun {
  id: string
  campaign: string
  source: RunSource
  state: RunState
  evaluation: RunEvaluation
  params: Record<string, unknown>
  aiMemoryRef: string | null
  aiMemoryVersion: string | null
  aiMemoryCommit: string | null
  startedAt: number | null
  completedAt: number | null
  durationMs: number | null
  contentSha256: string | null
  ownerPid?: number | null
  ownerHost?: string | null
  createdAt: number
}

export interface RunRow extends RunSummary {
  contentSha256: string | null
  params: Record<string, unknown>
  evaluation: RunEvaluation
  ownerPid: number | null
  ownerHost: string | null
  createdAt: number
  stopReason: string | null
}

export interface RunFilter {
  verdict?: RunVerdict
  campaign?: string
  version?: string
  state?: RunState
  search?: string
  /** Only runs against the simulated ai-memory (true) or only real ones (false). */
  simulated?: boolean
  /** Unix ms, inclusive, on completed_at (started_at when not completed). */
  since?: number
  until?: number
  limit?: number
}

export type RunUpdate = Partial<{
  state: RunState
  completedAt: number | null
  durationMs: number | null
  aiMemoryVersion: string | null
  aiMemoryCommit: string | null
  costUsd: number | null
  ownerPid: number | null
  stopReason: string | null
}>

interface Row {
  id: string
  campaign: string
  source: RunSource
  state: RunState
  verdict: RunVerdict
  reason: string
  phase1: PhaseStatus
  phase2: PhaseStatus
  phase3: PhaseStatus
  phase4: PhaseStatus
  ai_memory_ref: string | null
  ai_memory_version: string | null
  ai_memory_commit: string | null
  started_at: number | null
  completed_at: number | null
  duration_ms: number | null
  created_at: number
  content_sha256: string | null
  params_json: string
  evaluation_json: string
  warning_count: number
  owner_pid: number | null
  owner_host: string | null
  cost_usd: number | null
  evaluator_version: string
  simulated: number
  stop_reason: string | null
  /** Not a column: read from evaluation_json by the summary query. */
  threshold_set: string | null
}

type SummaryRow = Pick<
  Row,
  | 'id' | 'campaign' | 'source' | 'state' | 'verdict' | 'reason' | 'phase1' | 'phase2' | 'phase3' | 'phase4' | 'ai_memory_ref'
  | 'ai_memory_version' | 'ai_memory_commit' | 'started_at' | 'completed_at' | 'duration_ms' | 'warning_count' | 'cost_usd' | 'simulated' | 'threshold_set'
>

const SUMMARY_COLUMNS = `id, campaign, source, state, verdict, reason, phase1, phase2, phase3, phase4, ai_memory_ref,
  ai_memory_version, ai_memory_commit, started_at, completed_at, duration_ms, warning_count, cost_usd, simulated,
  json_extract(evaluation_json, '$.thresholdSet') AS threshold_set`

function toSummary(r: SummaryRow): RunSummary {
  return {
    id: r.id,
    campaign: r.campaign,
    source: r.source,
    state: r.state,
    verdict: r.verdict,
    reason: r.reason,
    phaseStatuses: [r.phase1, r.phase2, r.phase3, r.phase4],
    aiMemoryRef: r.ai_memory_ref,
    aiMemoryVersion: r.ai_memory_version,
    aiMemoryCommit: r.ai_memory_commit,
    startedAt: r.started_at,
    completedAt: r.completed_at,
    durationMs: r.duration_ms,
    warningCount: r.warning_count,
    costUsd: r.cost_usd,
    simulated: r.simulated === 1,
    // Runs judged before threshold sets existed were judged with the defaults.
    thresholdSet: r.threshold_set ?? THRESHOLD_SET_ID,
    weakened: isWeakenedSet(r.threshold_set ?? THRESHOLD_SET_ID),
  }
}

export function warningCount(e: RunEvaluation): number {
  return e.warnings.length + e.phases.reduce((n, p) => n + p.warnings.length, 0)
}

function statusOf(e: RunEvaluation, phase: PhaseNumber): PhaseStatus {
  return e.phases.find((p) => p.phase === phase)?.status ?? 'not_run'
}

/** A campaign id without its run suffix: `v0.6.0.0-final-r17` → `v0.6.0.0-final`. */
export function campaignOf(runId: string): string {
  return runId.replace(/-r\d+$/, '')
}

/** The columns an evaluation fills. */
function judgement(e: RunEvaluation) {
  return {
    verdict: e.verdict,
    reason: e.reason,
    phase1: statusOf(e, 1),
    phase2: statusOf(e, 2),
    phase3: statusOf(e, 3),
    phase4: statusOf(e, 4),
    evaluation: JSON.stringify(e),
    warningCount: warningCount(e),
    evaluatorVersion: e.evaluatorVersion,
    simulated: e.simulated ? 1 : 0,
  }
}

const UPDATE_COLUMNS: Record<keyof RunUpdate, string> = {
  state: 'state',
  completedAt: 'completed_at',
  durationMs: 'duration_ms',
  aiMemoryVersion: 'ai_memory_version',
  aiMemoryCommit: 'ai_memory_commit',
  costUsd: 'cost_usd',
  ownerPid: 'owner_pid',
  stopReason: 'stop_reason',
}

export class RunRepo {
  private readonly insertStmt
  private readonly getStmt
  private readonly updateEvalStmt

  constructor(private readonly db: Db) {
    this.insertStmt = db.prepare<[Record<string, unknown>]>(`
      INSERT INTO runs (id, campaign, source, state, verdict, reason, phase1, phase2, phase3, phase4,
        ai_memory_ref, ai_memory_version, ai_memory_commit, started_at, completed_at, duration_ms, created_at,
        content_sha256, params_json, evaluation_json, warning_count, owner_pid, owner_host, evaluator_version, simulated)
      VALUES (@id, @campaign, @source, @state, @verdict, @reason, @phase1, @phase2, @phase3, @phase4,
        @aiMemoryRef, @aiMemoryVersion, @aiMemoryCommit, @startedAt, @completedAt, @durationMs, @createdAt,
        @contentSha256, @params, @evaluation, @warningCount, @ownerPid, @ownerHost, @evaluatorVersion, @simulated)`)
    this.getStmt = db.prepare<[string], Row>('SELECT * FROM runs WHERE id = ?')
    this.updateEvalStmt = db.prepare<[Record<string, unknown>]>(`
      UPDATE runs SET verdict = @verdict, reason = @reason, phase1 = @phase1, phase2 = @phase2, phase3 = @phase3,
        phase4 = @phase4, evaluation_json = @evaluation, warning_count = @warningCount,
        evaluator_version = @evaluatorVersion, simulated = @simulated WHERE id = @id`)
  }

  insert(run: NewRun): void {
    const { evaluation: e, params, ...fields } = run
    this.insertStmt.run({ ...fields, ownerPid: run.ownerPid ?? null, ownerHost: run.ownerHost ?? null, params: JSON.stringify(params), ...judgement(e) })
  }

  updateEvaluation(id: string, e: RunEvaluation): void {
    this.updateEvalStmt.run({ id, ...judgement(e) })
  }

  update(id: string, fields: RunUpdate): void {
    const keys = (Object.keys(fields) as (keyof RunUpdate)[]).filter((k) => k in UPDATE_COLUMNS)
    if (keys.length === 0) return
    const sets = keys.map((k) => `${UPDATE_COLUMNS[k]} = @${k}`).join(', ')
    this.db.prepare<[Record<string, unknown>]>(`UPDATE runs SET ${sets} WHERE id = @id`).run({ ...fields, id })
  }

  /** Replaces the kept parameters (a provisioner filled in the hosts' addresses). */
  updateParams(id: string, params: Record<string, unknown>): void {
    this.db.prepare<[string, string]>('UPDATE runs SET params_json = ? WHERE id = ?').run(JSON.stringify(params), id)
  }

  get(id: string): RunRow | null {
    const r = this.getStmt.get(id)
    if (!r) return null
    const evaluation = parseStoredEvaluation(r.id, r.evaluation_json)
    return {
      ...toSummary({ ...r, threshold_set: evaluation.thresholdSet ?? null }),
      contentSha256: r.content_sha256,
      params: JSON.parse(r.params_json) as Record<string, unknown>,
      evaluation,
      ownerPid: r.owner_pid,
      ownerHost: r.owner_host,
      createdAt: r.created_at,
      stopReason: r.stop_reason,
    }
  }

  /** What judging a run needs besides its evidence; never reads the stored evaluation, which judging replaces. */
  judgingFacts(id: string): { state: RunState; stopReason: string | null; params: Record<string, unknown> } | null {
    const r = this.db.prepare<[string], { state: RunState; stop_reason: string | null; params_json: string }>('SELECT state, stop_reason, params_json FROM runs WHERE id = ?').get(id)
    return r ? { state: r.state, stopReason: r.stop_reason, params: JSON.parse(r.params_json) as Record<string, unknown> } : null
  }

  exists(id: string): boolean {
    return this.db.prepare<[string]>('SELECT 1 FROM runs WHERE id = ?').get(id) !== undefined
  }

  delete(id: string): void {
    this.db.prepare<[string]>('DELETE FROM runs WHERE id = ?').run(id)
  }

  count(): number {
    return this.db.prepare<[], { n: number }>('SELECT COUNT(*) AS n FROM runs').get()?.n ?? 0
  }

  /** Ids of a campaign's runs, to number the next one. */
  idsOfCampaign(campaign: string): string[] {
    return this.db.prepare<[string], { id: string }>('SELECT id FROM runs WHERE campaign = ?').all(campaign).map((r) => r.id)
  }

  /** Runs judged by another evaluator than `version`, to judge again. */
  judgedByOther(version: string): string[] {
    return this.db.prepare<[string], { id: string }>("SELECT id FROM runs WHERE evaluator_version != ? AND state != 'running' ORDER BY id").all(version).map((r) => r.id)
  }

  list(filter: RunFilter = {}): RunSummary[] {
    const where: string[] = []
    const params: Record<string, unknown> = {}
    if (filter.verdict) {
      where.push('verdict = @verdict')
      params.verdict = filter.verdict
    }
    if (filter.campaign) {
      where.push('campaign = @campaign')
      params.campaign = filter.campaign
    }
    if (filter.version) {
      where.push('(ai_memory_version = @version OR ai_memory_ref = @version)')
      params.version = filter.version
    }
    if (filter.state) {
      where.push('state = @state')
      params.state = filter.state
    }
    if (filter.simulated !== undefined) {
      where.push('simulated = @simulated')
      params.simulated = filter.simulated ? 1 : 0
    }
    if (filter.search) {
      where.push("(id LIKE @search ESCAPE '\\' OR reason LIKE @search ESCAPE '\\' OR campaign LIKE @search ESCAPE '\\')")
      params.search = `%${filter.search.replace(/[\\%_]/g, (c) => `\\${c}`)}%`
    }
    if (filter.since !== undefined) {
      where.push('COALESCE(completed_at, started_at) >= @since')
      params.since = filter.since
    }
    if (filter.until !== undefined) {
      where.push('COALESCE(completed_at, started_at) <= @until')
      params.until = filter.until
    }
    const limit = filter.limit ? ` LIMIT ${Math.max(1, Math.floor(filter.limit))}` : ''
    const sql = `SELECT ${SUMMARY_COLUMNS} FROM runs ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
      ORDER BY COALESCE(completed_at, started_at, created_at) DESC, id DESC${limit}`
    return this.db.prepare<[Record<string, unknown>], SummaryRow>(sql).all(params).map(toSummary)
  }

  /** Runs of a campaign in chronological order, for "the previous run" and trends. */
  listCampaign(campaign: string): RunSummary[] {
    return this.db
      .prepare<[string], SummaryRow>(`SELECT ${SUMMARY_COLUMNS} FROM runs WHERE campaign = ? ORDER BY COALESCE(completed_at, started_at, created_at), id`)
      .all(campaign)
      .map(toSummary)
  }

  /** Runs still marked running, for recovery after a crash. */
  listRunning(): RunRow[] {
    return this.db
      .prepare<[], { id: string }>("SELECT id FROM runs WHERE state = 'running'")
      .all()
      .map((r) => this.get(r.id))
      .filter((r): r is RunRow => r !== null)
  }

  /** Cost of launched runs (imported runs have none), per campaign and per month (UTC); exact sums. */
  costSummary(): CostSummary {
    const byCampaign = this.db
      .prepare<[], CostSummary['byCampaign'][number]>('SELECT campaign, COUNT(*) AS runs, SUM(cost_usd) AS usd FROM runs WHERE cost_usd IS NOT NULL GROUP BY campaign ORDER BY usd DESC')
      .all()
    const byMonth = this.db
      .prepare<[], CostSummary['byMonth'][number]>("SELECT strftime('%Y-%m', started_at / 1000, 'unixepoch') AS month, COUNT(*) AS runs, SUM(cost_usd) AS usd FROM runs WHERE cost_usd IS NOT NULL GROUP BY month ORDER BY month DESC")
      .all()
    return { byCampaign, byMonth, totalUsd: byCampaign.reduce((s, r) => s + r.usd, 0) }
  }
}
