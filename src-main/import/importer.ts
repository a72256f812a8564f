// Imports ship-gate run folders (`runs/<campaign_id>/*.json`) into the store. One transaction per
// run; re-importing identical content changes nothing; a run that cannot be read whole is not
// imported at all. A checkout may come from anyone: files are read only when they are regular files
// in it (never through a symbolic link), and no error repeats what a file contains.
import { closeSync, constants, fstatSync, lstatSync, openSync, readdirSync, readFileSync, statSync } from 'node:fs'
import { basename, dirname, join, resolve } from 'node:path'
import { createHash } from 'node:crypto'
import type { RunVerdict } from '@shared/domain'
import { AppError, errorMessage } from '../lib/errors'
import { IMPORT_LIMITS } from '@shared/bundle'
import type { Store } from '../store/store'
import { campaignOf } from '../store/run-repo'
import { evaluateRun } from '../verdict/evaluate'
import { type InsightsMap, parseInsights } from './insights'


const RUN_ID = /^[A-Za-z0-9][A-Za-z0-9._+-]{0,127}$/
const RUN_FILE = /^(campaign-summary\.json|phase[1-4].*\.json|phase4-cycles\.jsonl)$/

export interface RunImportResult {
  id: string
  path: string
  status: 'imported' | 'unchanged' | 'replaced' | 'failed'
  verdict?: RunVerdict
  error?: string
  annotated?: boolean
  /** Set when a hook restored more than the evidence (a published run's record). */
  restored?: boolean
  /** What the hook did, or why it did nothing. */
  note?: string
}

/** What a caller adds around each run folder's import (restoring a published run's record). */
export interface RunImportHooks {
  /** True when the history already holds this run with the same evidence: reported unchanged, nothing written. */
  alreadyHeld?: (run: ReadRun) => boolean
  /** After the run was stored: may complete it; returns a note for the report, or null. */
  afterImport?: (run: ReadRun, status: RunImportResult['status']) => { restored: boolean; note: string } | null
}

export interface ImportOptions {
  replace?: boolean
  insightsFile?: string
  now?: () => number
  hooks?: RunImportHooks
}

export interface ImportReport {
  results: RunImportResult[]
  insightsFile: string | null
}

function isRunFolder(dir: string): boolean {
  try {
    return readdirSync(dir).some((n) => RUN_FILE.test(n))
  } catch {
    return false
  }
}

/** A run folder, a folder of run folders, or a ship-gate checkout (`runs/` + `analysis/`). */
export function discoverRunFolders(path: string): { runs: string[]; insights: string | null } {
  const abs = resolve(path)
  let st
  try {
    st = statSync(abs)
  } catch {
    throw new AppError('BAD_INPUT', `${path}: no such file or folder`)
  }
  if (!st.isDirectory()) throw new AppError('BAD_INPUT', `${path} is a file, not a folder: give a run folder (runs/<campaign_id>) or a folder of run folders`)
  // Found by name whatever it is: a link or a special file is refused when read, not silently skipped.
  const insightsNear = (dir: string): string | null => {
    for (const candidate of [join(dir, 'analysis', 'run-insights.json'), join(dirname(dir), 'analysis', 'run-insights.json')]) {
      if (lstatSync(candidate, { throwIfNoEntry: false })) return candidate
    }
    return null
  }
  if (isRunFolder(abs)) return { runs: [abs], insights: insightsNear(dirname(abs)) }
  const root = (() => {
    try {
      return statSync(join(abs, 'runs')).isDirectory() ? join(abs, 'runs') : abs
    } catch {
      return abs
    }
  })()
  const runs = readdirSync(root, { withFileTypes: true })
    .filter((d) => d.isDirectory() && isRunFolder(join(root, d.name)))
    .map((d) => join(root, d.name))
    .sort()
  if (runs.length === 0) throw new AppError('BAD_INPUT', `${path}: no ship-gate runs found (expected campaign-summary.json or phase*.json files in it or in its sub-folders)`)
  return { runs, insights: insightsNear(abs) ?? insightsNear(root) }
}

export interface ReadRun {
  id: string
  files: { name: string; bytes: Buffer }[]
  contentSha256: string
}

/** Reads every evidence file of a run folder whole, or throws: nothing is imported half. */
export function readRunFolder(dir: string): ReadRun {
  const id = basename(dir)
  if (!RUN_ID.test(id)) throw new AppError('BAD_INPUT', `run folder name ${JSON.stringify(id)} is not a valid campaign id`)
  const entries = readdirSync(dir).filter((n) => !n.endsWith('.html')).sort()
  if (entries.length > IMPORT_LIMITS.filesPerRun) throw new AppError('BAD_INPUT', `${id}: ${entries.length} files, more than ${IMPORT_LIMITS.filesPerRun} in one run folder`)
  const files: { name: string; bytes: Buffer }[] = []
  let total = 0
  for (const name of entries) {
    const full = join(dir, name)
    const st = lstatSync(full)
    if (!st.isFile()) continue // symlinks and sub-folders are not evidence
    if (st.size > IMPORT_LIMITS.artifactBytes) {
      throw new AppError('BAD_INPUT', `${id}/${name} is ${(st.size / 1048576).toFixed(1)} MB, over the ${IMPORT_LIMITS.artifactBytes / 1048576} MB limit for one artifact; the run was not imported`)
    }
    total += st.size
    if (total > IMPORT_LIMITS.runBytes) throw new AppError('BAD_INPUT', `${id}: artifacts exceed ${IMPORT_LIMITS.runBytes / 1048576} MB in total; the run was not imported`)
    files.push({ name, bytes: readRegularFile(full, IMPORT_LIMITS.artifactBytes, 'an artifact') })
  }
  if (!files.some((f) => RUN_FILE.test(f.name))) throw new AppError('BAD_INPUT', `${id}: no ship-gate artifact in the folder`)
  return { id, files, contentSha256: contentHash(files) }
}

/**
 * A regular file's bytes, read without following a symbolic link (O_NOFOLLOW, so a link swapped in
 * after the check is refused too) and within a size limit. Errors name the file, never its content.
 */
function readRegularFile(file: string, limit: number, what: string): Buffer {
  const refusedLink = () => new AppError('BAD_INPUT', `${file} is a symbolic link; ${what} must be a regular file in the folder being imported (a link could point anywhere on this machine)`)
  const st = lstatSync(file, { throwIfNoEntry: false })
  if (!st) throw new AppError('BAD_INPUT', `${file}: no such file`)
  if (st.isSymbolicLink()) throw refusedLink()
  let fd: number
  try {
    fd = openSync(file, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK)
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ELOOP') throw refusedLink()
    throw new AppError('BAD_INPUT', `${file}: cannot read it (${(err as NodeJS.ErrnoException).code ?? 'error'})`)
  }
  try {
    const opened = fstatSync(fd)
    if (!opened.isFile()) throw new AppError('BAD_INPUT', `${file} is not a regular file; ${what} must be one`)
    if (opened.size > limit) throw new AppError('BAD_INPUT', `${file} is ${(opened.size / 1048576).toFixed(1)} MB, over the ${limit / 1048576} MB limit for ${what}`)
    return readFileSync(fd)
  } finally {
    closeSync(fd)
  }
}

/** The narratives file; one found in a checkout must not be reached through a linked `analysis` folder either. */
function readInsights(file: string, found: boolean): InsightsMap {
  if (found && lstatSync(dirname(file)).isSymbolicLink()) {
    throw new AppError('BAD_INPUT', `${dirname(file)} is a symbolic link; the narratives file must be in the checkout being imported (a link could point anywhere on this machine)`)
  }
  const bytes = readRegularFile(file, IMPORT_LIMITS.insightsBytes, 'the narratives file (run-insights.json)')
  try {
    return parseInsights(bytes.toString('utf8'))
  } catch (err) {
    throw new AppError('BAD_INPUT', `${file}: ${errorMessage(err)}`)
  }
}

export function contentHash(files: { name: string; bytes: Uint8Array }[]): string {
  const h = createHash('sha256')
  for (const f of [...files].sort((a, b) => (a.name < b.name ? -1 : 1))) {
    h.update(f.name).update('\0').update(createHash('sha256').update(f.bytes).digest('hex')).update('\n')
  }
  return h.digest('hex')
}

function isoToMs(iso: string | null): number | null {
  if (!iso) return null
  const t = Date.parse(iso)
  return Number.isNaN(t) ? null : t
}

export function importRun(store: Store, run: ReadRun, insights: InsightsMap, options: ImportOptions = {}): RunImportResult['status'] {
  const now = options.now ?? Date.now
  const { evaluation, meta } = evaluateRun({ artifacts: run.files })
  const existing = store.runs.get(run.id)
  let status: RunImportResult['status'] = 'imported'
  if (existing) {
    if (existing.contentSha256 === run.contentSha256) status = 'unchanged'
    else if (!options.replace) {
      throw new AppError('CONFLICT', `${run.id} is already in the history with different evidence; re-run with --replace to overwrite it`)
    } else status = 'replaced'
  }
  const createdAt = now()
  store.transaction(() => {
    if (status !== 'unchanged') {
      if (existing) store.runs.delete(run.id)
      store.runs.insert({
        id: run.id,
        campaign: campaignOf(run.id),
        source: 'import',
        state: 'completed',
        evaluation,
        params: {},
        aiMemoryRef: meta.aiMemoryRef,
        aiMemoryVersion: meta.aiMemoryVersion,
        aiMemoryCommit: null,
        startedAt: null,
        completedAt: isoToMs(meta.completedAt),
        durationMs: null,
        contentSha256: run.contentSha256,
        createdAt,
      })
      for (const f of run.files) store.artifacts.put(run.id, f.name, f.bytes, createdAt)
    }
    const narrative = insights.get(run.id)
    if (narrative) {
      const latestImported = store.annotations.history(run.id).filter((v) => v.source === 'imported').pop()
      if (!latestImported || JSON.stringify(latestImported.annotation) !== JSON.stringify(narrative)) {
        store.annotations.add(run.id, narrative, 'imported', 'run-insights.json', createdAt)
      }
    }
  })
  return status
}

export function importPaths(store: Store, paths: string[], options: ImportOptions = {}): ImportReport {
  const folders: string[] = []
  let insightsFile = options.insightsFile ?? null
  for (const p of paths) {
    const found = discoverRunFolders(p)
    folders.push(...found.runs)
    insightsFile ??= found.insights
  }
  const insights: InsightsMap = insightsFile ? readInsights(insightsFile, options.insightsFile === undefined) : new Map()
  const results: RunImportResult[] = []
  for (const folder of [...new Set(folders)]) {
    const id = basename(folder)
    try {
      const run = readRunFolder(folder)
      const held = options.hooks?.alreadyHeld?.(run) ?? false
      const status = held ? 'unchanged' : importRun(store, run, insights, options)
      const hooked = held ? null : (options.hooks?.afterImport?.(run, status) ?? null)
      // The verdict is read after the hook: a restored run is judged again with what it restored.
      const row = store.runs.get(run.id)
      results.push({ id, path: folder, status, ...(row ? { verdict: row.verdict } : {}), annotated: insights.has(id), ...(hooked ? { restored: hooked.restored, note: hooked.note } : {}) })
    } catch (err) {
      results.push({ id, path: folder, status: 'failed', error: errorMessage(err) })
    }
  }
  return { results, insightsFile }
}
