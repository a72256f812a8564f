// Annotations are append-only versions: an edit never overwrites, so the history stays readable.
import type { Annotation, AnnotationSource, AnnotationVersion } from '@shared/domain'
import type { Db } from './db'

interface Row {
  version: number
  source: AnnotationSource
  author: string
  created_at: number
  body_json: string
  citations_json: string | null
}

function toVersion(r: Row): AnnotationVersion {
  return {
    version: r.version,
    source: r.source,
    author: r.author,
    createdAt: r.created_at,
    annotation: JSON.parse(r.body_json) as Annotation,
    ...(r.citations_json ? { citations: JSON.parse(r.citations_json) as Record<string, string[]> } : {}),
  }
}

export class AnnotationRepo {
  constructor(private readonly db: Db) {}

  add(runId: string, annotation: Annotation, source: AnnotationSource, author: string, createdAt: number, citations?: Record<string, string[]>): number {
    const next = (this.db.prepare<[string], { v: number | null }>('SELECT MAX(version) AS v FROM annotations WHERE run_id = ?').get(runId)?.v ?? 0) + 1
    this.db
      .prepare<[string, number, AnnotationSource, string, number, string, string | null]>(
        `INSERT INTO annotations (run_id, version, source, author, created_at, body_json, citations_json)
         VALUES (?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(runId, next, source, author, createdAt, JSON.stringify(annotation), citations ? JSON.stringify(citations) : null)
    return next
  }

  latest(runId: string): AnnotationVersion | null {
    const r = this.db
      .prepare<[string], Row>('SELECT version, source, author, created_at, body_json, citations_json FROM annotations WHERE run_id = ? ORDER BY version DESC LIMIT 1')
      .get(runId)
    return r ? toVersion(r) : null
  }

  history(runId: string): AnnotationVersion[] {
    const rows = this.db
      .prepare<[string], Row>('SELECT version, source, author, created_at, body_json, citations_json FROM annotations WHERE run_id = ? ORDER BY version')
      .all(runId)
    return rows.map(toVersion)
  }
}
