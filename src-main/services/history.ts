// Reading the history: lists, run details, comparisons. Shared by the CLI and the IPC handlers.
import { type Comparison, compareEvaluations } from '@shared/compare'
import type { RunDetail, RunSummary } from '@shared/domain'
import { AppError } from '../lib/errors'
import type { RunFilter } from '../store/run-repo'
import type { Store } from '../store/store'

export class HistoryService {
  constructor(private readonly store: Store) {}

  list(filter: RunFilter = {}): RunSummary[] {
    return this.store.runs.list(filter)
  }

  /** Exact id, else the one run whose id ends with the given text (`final-r17`). */
  resolve(ref: string): string {
    if (this.store.runs.exists(ref)) return ref
    const matches = this.store.runs.list({ search: ref }).filter((r) => r.id.endsWith(ref))
    if (matches.length === 1 && matches[0]) return matches[0].id
    if (matches.length > 1) {
      throw new AppError('BAD_REQUEST', `${JSON.stringify(ref)} matches ${matches.length} runs: ${matches.slice(0, 5).map((r) => r.id).join(', ')}`)
    }
    throw new AppError('NOT_FOUND', `no run ${JSON.stringify(ref)} in the history (see \`shipgate runs\`)`)
  }

  detail(ref: string): RunDetail {
    const id = this.resolve(ref)
    const row = this.store.runs.get(id)
    if (!row) throw new AppError('NOT_FOUND', `no run ${JSON.stringify(ref)}`)
    const { contentSha256: _hash, ownerPid: _pid, ownerHost: _host, createdAt: _created, ...summary } = row
    return { ...summary, artifacts: this.store.artifacts.list(id), phaseTimings: this.store.timings.list(id), verdictHistory: this.store.verdicts.list(id) }
  }

  compare(refA: string, refB: string): Comparison {
    const a = this.detail(refA)
    const b = this.detail(refB)
    return compareEvaluations(a, a.evaluation, b, b.evaluation)
  }

  /** The run of the same campaign just before this one, for "what changed since". */
  previous(ref: string): RunSummary | null {
    const run = this.detail(ref)
    const series = this.store.runs.listCampaign(run.campaign)
    const index = series.findIndex((r) => r.id === run.id)
    return index > 0 ? (series[index - 1] ?? null) : null
  }
}
