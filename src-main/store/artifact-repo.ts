// Raw artifacts, byte for byte, with their sha256: the report traces back to these.
import type { ArtifactInfo, PhaseNumber } from '@shared/domain'
import { createHash } from 'node:crypto'
import { artifactRole } from '../evidence/artifact'
import type { Db } from './db'

export function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex')
}

interface Row {
  name: string
  phase: number | null
  subject: string | null
  media_type: string
  size_bytes: number
  sha256: string
}

function toInfo(r: Row): ArtifactInfo {
  return { name: r.name, phase: r.phase as PhaseNumber | null, subject: r.subject, sizeBytes: r.size_bytes, sha256: r.sha256, mediaType: r.media_type }
}

export class ArtifactRepo {
  private readonly upsertStmt

  constructor(private readonly db: Db) {
    this.upsertStmt = db.prepare<[Record<string, unknown>]>(`
      INSERT INTO artifacts (run_id, name, phase, subject, media_type, size_bytes, sha256, bytes, created_at)
      VALUES (@runId, @name, @phase, @subject, @mediaType, @size, @sha256, @bytes, @createdAt)
      ON CONFLICT (run_id, name) DO UPDATE SET phase = excluded.phase, subject = excluded.subject,
        media_type = excluded.media_type, size_bytes = excluded.size_bytes, sha256 = excluded.sha256,
        bytes = excluded.bytes, created_at = excluded.created_at`)
  }

  /** Inserts or replaces one artifact; returns its sha256. */
  put(runId: string, name: string, bytes: Uint8Array, createdAt: number): string {
    const role = artifactRole(name)
    const sha256 = sha256Hex(bytes)
    this.upsertStmt.run({
      runId,
      name,
      phase: role.phase,
      subject: role.subject,
      mediaType: role.mediaType,
      size: bytes.length,
      sha256,
      bytes: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength),
      createdAt,
    })
    return sha256
  }

  list(runId: string): ArtifactInfo[] {
    const rows = this.db
      .prepare<[string], Row>('SELECT name, phase, subject, media_type, size_bytes, sha256 FROM artifacts WHERE run_id = ? ORDER BY name')
      .all(runId)
    return rows.map(toInfo)
  }

  get(runId: string, name: string): { info: ArtifactInfo; bytes: Buffer } | null {
    const r = this.db
      .prepare<[string, string], Row & { bytes: Buffer }>('SELECT name, phase, subject, media_type, size_bytes, sha256, bytes FROM artifacts WHERE run_id = ? AND name = ?')
      .get(runId, name)
    return r ? { info: toInfo(r), bytes: r.bytes } : null
  }

  /** Every artifact with its bytes, for re-evaluation and bundles. */
  all(runId: string): { name: string; bytes: Buffer }[] {
    return this.db.prepare<[string], { name: string; bytes: Buffer }>('SELECT name, bytes FROM artifacts WHERE run_id = ? ORDER BY name').all(runId)
  }
}
