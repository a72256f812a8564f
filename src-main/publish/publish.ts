// `shipgate publish`: writes a run into the team's evidence repo as ship-gate lays runs out
// (runs/<id>/: every artifact byte for byte, campaign-summary.json, the log, our record), and with
// `git` commits that folder and nothing else. Everything that would refuse is checked before a
// single file is written; a second publish of the same run writes nothing and commits nothing.
import { execFileSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { existsSync, lstatSync, mkdirSync, readFileSync, readdirSync, realpathSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { join, relative } from 'node:path'
import { IMPORT_LIMITS, RUN_ID_PATTERN } from '@shared/bundle'
import type { RunVerdict } from '@shared/domain'
import { AppError } from '../lib/errors'
import { redactDeep } from '../lib/redact'
import type { Store } from '../store/store'
import { LOG_FILE, PUBLICATION_FILES, RECORD_FILE, SUMMARY_FILE, buildRecord, campaignSummary, logText, parseRecord, recordText, type RecordLogLine } from './record'

export interface PublishOptions {
  to: string
  git?: boolean
  replace?: boolean
}

export interface PublishResult {
  runId: string
  verdict: RunVerdict
  /** The run's folder, absolute. */
  folder: string
  files: { name: string; sha256: string; sizeBytes: number; written: boolean }[]
  /** False when the folder already held exactly this publication. */
  changed: boolean
  /** The commit made with `git` (null when nothing changed or without `git`). */
  commit: string | null
}

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex')

function git(cwd: string, args: string[], env?: NodeJS.ProcessEnv): string {
  return execFileSync('git', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], ...(env ? { env } : {}) })
}

function gitError(err: unknown): string {
  const e = err as { stderr?: string; message?: string }
  return (e.stderr || e.message || String(err)).trim().split('\n').slice(-3).join(' ')
}

/** The files of the publication, in name order: artifacts first as stored, then the three of ours. */
export function publicationOf(store: Store, runId: string): { files: { name: string; bytes: Buffer }[]; verdict: RunVerdict; reason: string } {
  const row = store.runs.get(runId)
  if (!row) throw new AppError('NOT_FOUND', `no run ${JSON.stringify(runId)}`)
  if (row.source === 'import') {
    throw new AppError('BAD_REQUEST', `${runId} was imported from ship-gate run files; it is already someone's evidence and is not published back (publish runs launched here or received as bundles)`)
  }
  if (row.state === 'running') throw new AppError('CONFLICT', `${runId} is still running; publish it when it has finished`)
  if (!RUN_ID_PATTERN.test(runId)) throw new AppError('BAD_REQUEST', `run id ${JSON.stringify(runId)} cannot name a folder`)
  const artifacts = store.artifacts.all(runId)
  const clash = artifacts.find((a) => PUBLICATION_FILES.includes(a.name) || a.name === 'index.html')
  if (clash) throw new AppError('BAD_REQUEST', `${runId} has an artifact named ${clash.name}, which a publication writes itself; it cannot be published`)
  const log: RecordLogLine[] = []
  const total = store.logs.count(runId)
  for (let offset = 0; offset < total; offset += 5000) for (const l of store.logs.list(runId, offset, 5000)) log.push({ at: l.at, phase: l.phase, host: l.host, stream: l.stream, line: l.line })
  const record = buildRecord({
    run: {
      id: row.id,
      campaign: row.campaign,
      source: row.source,
      state: row.state,
      verdict: row.verdict,
      reason: row.reason,
      aiMemoryRef: row.aiMemoryRef,
      aiMemoryVersion: row.aiMemoryVersion,
      aiMemoryCommit: row.aiMemoryCommit,
      startedAt: row.startedAt,
      completedAt: row.completedAt,
      durationMs: row.durationMs,
      costUsd: row.costUsd,
      stopReason: row.stopReason,
      unresolved: store.journal
        .entries(runId)
        .flatMap((e) => (e.state === 'pending' || e.state === 'failed' ? [{ kind: e.kind, hostRole: e.hostRole, label: e.label, state: e.state, detail: e.detail }] : [])),
    },
    params: redactDeep(row.params),
    phaseTimings: store.timings.list(runId),
    evaluation: row.evaluation,
    evidence: artifacts.map((a) => ({ name: a.name, bytes: a.bytes, sha256: sha256(a.bytes) })),
    log,
  })
  const files = [
    ...artifacts,
    { name: SUMMARY_FILE, bytes: Buffer.from(campaignSummary({ id: row.id, aiMemoryRef: row.aiMemoryRef, completedAt: row.completedAt, verdict: row.verdict, artifacts })) },
    { name: LOG_FILE, bytes: Buffer.from(logText(log)) },
    { name: RECORD_FILE, bytes: Buffer.from(recordText(record)) },
  ].sort((a, b) => (a.name < b.name ? -1 : 1))
  checkImportable(runId, files)
  return { files, verdict: row.verdict, reason: row.reason }
}

const mb = (bytes: number) => `${(bytes / 1048576).toFixed(1)} MB`

/** A publication `shipgate import` could not read back is refused before anything is written. */
function checkImportable(runId: string, files: { name: string; bytes: Buffer }[]): void {
  const why = 'nothing was written; the run stays whole in this history (share it with `shipgate export --bundle`)'
  if (files.length > IMPORT_LIMITS.filesPerRun) throw new AppError('BAD_INPUT', `${runId} would publish ${files.length} files, more than the ${IMPORT_LIMITS.filesPerRun} an import reads from one run folder; ${why}`)
  const big = files.find((f) => f.bytes.length > IMPORT_LIMITS.artifactBytes)
  if (big) throw new AppError('BAD_INPUT', `${runId}'s ${big.name} would be ${mb(big.bytes.length)}, over the ${mb(IMPORT_LIMITS.artifactBytes)} an import reads for one file; ${why}`)
  const total = files.reduce((n, f) => n + f.bytes.length, 0)
  if (total > IMPORT_LIMITS.runBytes) throw new AppError('BAD_INPUT', `${runId}'s publication would be ${mb(total)}, over the ${mb(IMPORT_LIMITS.runBytes)} an import reads for one run; ${why}`)
}

/** The git work tree holding `dir`, or null. */
function workTreeOf(dir: string): string | null {
  try {
    return git(dir, ['rev-parse', '--show-toplevel']).trim() || null
  } catch {
    return null
  }
}

/**
 * What is in the way of writing the run's folder: a link, a clash with another run, files a
 * .gitignore would drop. Throws with the reason; returns the evidence hashes already there.
 */
function checkTarget(root: string, runId: string, files: { name: string; bytes: Buffer }[], options: PublishOptions): { top: string | null } {
  let st
  try {
    st = statSync(root)
  } catch {
    throw new AppError('BAD_INPUT', `${root}: no such folder (give the evidence repo's checkout)`)
  }
  if (!st.isDirectory()) throw new AppError('BAD_INPUT', `${root} is not a folder`)
  const runs = join(root, 'runs')
  const runsSt = lstatSync(runs, { throwIfNoEntry: false })
  if (runsSt?.isSymbolicLink()) throw new AppError('BAD_INPUT', `${runs} is a symbolic link; the runs folder must be a real folder in the evidence repo (a link could point anywhere on this machine)`)
  if (runsSt && !runsSt.isDirectory()) throw new AppError('BAD_INPUT', `${runs} is not a folder`)
  const folder = join(runs, runId)
  const folderSt = lstatSync(folder, { throwIfNoEntry: false })
  if (folderSt?.isSymbolicLink()) throw new AppError('BAD_INPUT', `${folder} is a symbolic link; a run folder must be a real folder`)
  if (folderSt && !folderSt.isDirectory()) throw new AppError('BAD_INPUT', `${folder} is not a folder`)
  if (folderSt) {
    for (const f of files) {
      const t = lstatSync(join(folder, f.name), { throwIfNoEntry: false })
      if (t && !t.isFile()) throw new AppError('BAD_INPUT', `${join(folder, f.name)} is not a regular file (a link or a folder); nothing was written`)
    }
    if (!options.replace) {
      const clash = clashWith(folder, files)
      if (clash) throw new AppError('CONFLICT', `${folder} already holds ${clash}; nothing was written (use --replace to overwrite it)`)
    }
  }
  let top: string | null = null
  if (options.git) {
    top = workTreeOf(root)
    if (!top) throw new AppError('BAD_INPUT', `${root} is not in a git repository; --git needs a checkout of the evidence repo (or publish without --git)`)
    const rel = relative(realpathSync(top), join(realpathSync(root), 'runs', runId))
    const paths = files.map((f) => join(rel, f.name))
    let ignored = ''
    try {
      ignored = git(top, ['check-ignore', '--no-index', '--', ...paths])
    } catch (err) {
      // Exit 1: nothing ignored. Anything else is an error of git's.
      if ((err as { status?: number }).status !== 1) throw new AppError('INTERNAL', `git check-ignore failed: ${gitError(err)}`)
    }
    const names = ignored.split('\n').filter(Boolean)
    if (names.length) throw new AppError('BAD_INPUT', `a .gitignore of ${top} would leave out ${names.join(', ')}; nothing was written (change the .gitignore so the whole run is committed)`)
  }
  return { top }
}

/** Another run in the folder (or ship-gate's own files), described; null when it is this run. */
function clashWith(folder: string, files: { name: string; bytes: Buffer }[]): string | null {
  const recordPath = join(folder, RECORD_FILE)
  const names = readdirSync(folder).filter((n) => n !== 'index.html')
  if (names.length === 0) return null
  if (!existsSync(recordPath)) return `files that were not published by Shipgate Lab (${names.slice(0, 3).join(', ')}${names.length > 3 ? ', …' : ''})`
  const parsed = parseRecord(readFileSync(recordPath))
  if ('problem' in parsed) return `a record that cannot be read (${parsed.problem})`
  const ours = parseRecord(files.find((f) => f.name === RECORD_FILE)?.bytes ?? Buffer.from(''))
  if ('problem' in ours) throw new AppError('INTERNAL', ours.problem)
  const key = (e: { name: string; sha256: string }[]) => e.map((x) => `${x.name}:${x.sha256}`).join(',')
  if (parsed.record.run.id !== ours.record.run.id || key(parsed.record.evidence) !== key(ours.record.evidence)) return 'a different run with the same name (other evidence)'
  return null
}

export function publishRun(store: Store, runId: string, options: PublishOptions, env: NodeJS.ProcessEnv = process.env): PublishResult {
  const { files, verdict, reason } = publicationOf(store, runId)
  const root = options.to
  const { top } = checkTarget(root, runId, files, options)
  const folder = join(root, 'runs', runId)
  mkdirSync(folder, { recursive: true })
  if (options.replace) {
    // Another run's files must not survive under this run's name.
    const keep = new Set(files.map((f) => f.name))
    for (const n of readdirSync(folder)) if (!keep.has(n)) rmSync(join(folder, n), { recursive: true, force: true })
  }
  const written: PublishResult['files'] = []
  for (const f of files) {
    const target = join(folder, f.name)
    const same = existsSync(target) && sha256(readFileSync(target)) === sha256(f.bytes)
    if (!same) writeFileSync(target, f.bytes)
    written.push({ name: f.name, sha256: sha256(f.bytes), sizeBytes: f.bytes.length, written: !same })
  }
  let changed = written.some((f) => f.written)
  let commit: string | null = null
  if (options.git && top) {
    const rel = relative(realpathSync(top), realpathSync(folder))
    try {
      git(top, ['add', '--all', '--', rel])
      const dirty = git(top, ['status', '--porcelain', '--', rel]).trim() !== ''
      changed ||= dirty
      if (dirty) {
        const subject = `shipgate publish: ${runId} ${verdict.toUpperCase()}`
        // `commit -- <folder>` commits only that folder: whatever else is staged stays staged.
        git(top, ['commit', '--quiet', '-m', subject, '-m', reason, '--', rel], env)
        commit = git(top, ['rev-parse', 'HEAD']).trim()
      }
    } catch (err) {
      throw new AppError('INTERNAL', `git could not commit ${rel}: ${gitError(err)} (the files are written; commit them by hand)`)
    }
  }
  return { runId, verdict, folder: realpathSync(folder), files: written, changed, commit }
}
