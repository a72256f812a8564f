// Importing history, the same for the desktop app and the command line: ship-gate run folders (a
// run, a folder of runs, a whole checkout with its narratives) and run bundles another engineer
// exported. Each path is imported on its own: one bad path never stops the others.
import { closeSync, openSync, readFileSync, readSync, statSync } from 'node:fs'
import { BUNDLE_FORMAT } from '@shared/bundle'
import type { RunVerdict } from '@shared/domain'
import { importBundle, parseBundleText } from '../import/bundle'
import { type RunImportHooks, type RunImportResult, importPaths } from '../import/importer'
import { AppError, errorMessage } from '../lib/errors'
import { alreadyHeld, hasRecord, restorePublished } from '../publish/restore'
import type { Store } from '../store/store'

const BUNDLE_LIMIT_BYTES = 512 * 1024 * 1024

/** One path's import: a run folder's result (see RunImportResult), or a bundle's. */
export interface ImportItem extends RunImportResult {
  kind: 'folder' | 'bundle'
}

export interface ImportOutcome {
  results: ImportItem[]
  insightsFile: string | null
}

/** A file whose first bytes declare a run bundle (a folder is a ship-gate run folder). */
export function isBundleFile(path: string): boolean {
  try {
    if (!statSync(path).isFile()) return false
    const fd = openSync(path, 'r')
    try {
      const head = Buffer.alloc(256)
      const n = readSync(fd, head, 0, head.length, 0)
      return head.subarray(0, n).toString('utf8').replace(/\s+/g, '').includes(`"format":"${BUNDLE_FORMAT}"`)
    } finally {
      closeSync(fd)
    }
  } catch {
    return false
  }
}

export class ImportService {
  constructor(private readonly store: Store) {}

  /** Run folders published by `shipgate publish` carry a record: restore from it, here, for every front end. */
  private readonly publishedRuns: RunImportHooks = {
    alreadyHeld: (run) => hasRecord(run) && alreadyHeld(this.store, run),
    afterImport: (run, status) => (hasRecord(run) && status !== 'unchanged' ? restorePublished(this.store, run) : null),
  }

  import(paths: string[], options: { insightsFile?: string; replace?: boolean } = {}): ImportOutcome {
    const results: ImportItem[] = []
    const folders: string[] = []
    const bundles: string[] = []
    // Every path is checked before anything is imported: a path that is neither gives one clear error.
    for (const path of paths) {
      if (isBundleFile(path)) bundles.push(path)
      else {
        let st
        try {
          st = statSync(path)
        } catch {
          throw new AppError('BAD_INPUT', `${path}: no such file or folder`)
        }
        if (!st.isDirectory()) throw new AppError('BAD_INPUT', `${path} is a file, not a folder or a run bundle: give a run folder (runs/<campaign_id>), a folder of run folders, or a bundle exported by Shipgate Lab`)
        folders.push(path)
      }
    }
    for (const path of bundles) {
      try {
        const size = statSync(path).size
        if (size > BUNDLE_LIMIT_BYTES) throw new AppError('BAD_INPUT', `${path} is over the ${BUNDLE_LIMIT_BYTES / 1048576} MB limit for a bundle`)
        const r = importBundle(this.store, parseBundleText(readFileSync(path, 'utf8'), path))
        results.push({ id: r.runId, path, kind: 'bundle', status: r.status, ...this.verdictOf(r.runId) })
      } catch (err) {
        results.push({ id: path, path, kind: 'bundle', status: 'failed', error: errorMessage(err) })
      }
    }
    let insightsFile: string | null = null
    for (const folder of folders) {
      try {
        const report = importPaths(this.store, [folder], { ...(options.insightsFile ? { insightsFile: options.insightsFile } : {}), replace: Boolean(options.replace), hooks: this.publishedRuns })
        insightsFile ??= report.insightsFile
        for (const r of report.results) results.push({ ...r, kind: 'folder' })
      } catch (err) {
        results.push({ id: folder, path: folder, kind: 'folder', status: 'failed', error: errorMessage(err) })
      }
    }
    return { results, insightsFile }
  }

  private verdictOf(runId: string): { verdict?: RunVerdict } {
    const row = this.store.runs.get(runId)
    return row ? { verdict: row.verdict } : {}
  }
}
