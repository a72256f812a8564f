// A release verdict file, `releases/<version>/summary.json` in ship-gate's shape, from one stored run
// (and optionally a soak series): the verdict from the evidence, wall times from the recorded timings
// (never invented: an imported run without them says so), every artifact's sha256, and the reasons to
// refuse a release a run cannot certify (not completed, incomplete, simulated, another version,
// weakened thresholds, a soak that is not PASS).
import { existsSync, mkdirSync, writeFileSync } from 'node:fs'
import { dirname } from 'node:path'
import type { PhaseNumber, RunDetail } from '@shared/domain'
import { type SoakReport, type SoakRunInput, humanWall } from '@shared/soak'
import { isWeakenedSet } from '@shared/thresholds'
import { AppError } from '../lib/errors'
import { releaseSchemaErrors } from './schema'

export const PHASE_NAMES: Record<PhaseNumber, string> = { 1: 'functional', 2: 'federation', 3: 'migration', 4: 'chaos' }
export const NOT_RECORDED_IMPORTED = 'not recorded (imported run)'
const NOT_RECORDED = 'not recorded'
/** ship-gate's version pattern (schema.json#/properties/version). */
const VERSION = /^v\d+\.\d+\.\d+(?:\.\d+)?(?:-[A-Za-z0-9.-]+)?$/

export interface ReleasePhase {
  phase: number
  name: string
  pass: boolean
  wall_seconds: number
  wall_human: string
  notes: string
}

export interface ReleaseSummary {
  version: string
  campaign_run_id: string
  date: string
  ai_memory_version: string | null
  ai_memory_git_ref: string | null
  ai_memory_commit: string | null
  wall_seconds: number
  wall_human: string
  pass_count: number
  fail_count: number
  verdict: 'pass' | 'fail'
  nhi_verdict: null
  headline: string
  phases: ReleasePhase[]
  evidence: {
    verdict_reason: string
    evaluator_version: string
    threshold_set: string
    threshold_overrides: string[]
    artifacts: Record<string, string>
    soak?: { series: string; verdict: string; runs: number; pass: number; fail: number; incomplete: number; criteria: Record<string, string> }
  }
  release: { generated_by: string; allow_weakened: boolean; date_source: 'run completed_at' | 'run started_at' | 'generated' }
}

export interface ReleaseInput {
  version: string
  run: RunDetail
  soak?: { report: SoakReport; runs: SoakRunInput[] } | null
  allowWeakened?: boolean
  generatedBy: string
  /** When the file is generated: the date when the run has none. */
  now: number
}

/** `0.6.3` → `v0.6.3`; anything else than ship-gate's version pattern is refused. */
export function releaseVersion(text: string): string {
  const v = /^\d/.test(text) ? `v${text}` : text
  if (!VERSION.test(v)) throw new AppError('BAD_REQUEST', `${JSON.stringify(text)} is not a release version such as v0.6.3`)
  return v
}

/** The x.y.z[.w][-pre] a version string names (`0.6.3+shipgate-sim`, `ai-memory 0.6.3`, `release/v0.6.3`). */
function semverIn(text: string | null): string | null {
  return text ? (/(\d+\.\d+\.\d+(?:\.\d+)?(?:-[A-Za-z0-9.-]+)?)/.exec(text)?.[1] ?? null) : null
}

/** The version the run's nodes reported, else its git ref. */
function runVersion(run: Pick<RunDetail, 'aiMemoryVersion' | 'aiMemoryRef'>): string | null {
  return semverIn(run.aiMemoryVersion) ?? semverIn(run.aiMemoryRef)
}

/** Why this run (and soak) cannot certify `version`; empty when it can. */
export function releaseRefusals(input: Omit<ReleaseInput, 'generatedBy' | 'now'>): string[] {
  const { run, soak } = input
  const want = input.version.replace(/^v/, '')
  const out: string[] = []
  if (run.state !== 'completed') out.push(`run ${run.id} is ${run.state}, not completed`)
  if (run.evaluation.verdict === 'incomplete') out.push(`run ${run.id} is INCOMPLETE (${run.evaluation.reason}): a release needs a decided verdict`)
  if (run.simulated || run.evaluation.simulated) out.push(`run ${run.id} ran the simulated ai-memory: it shows the gate works, it certifies no release`)
  const got = runVersion(run)
  if (got === null) out.push(`run ${run.id} does not say which ai-memory version it tested`)
  else if (got !== want) out.push(`run ${run.id} tested ai-memory ${got}, not ${want}`)
  if (isWeakenedSet(run.evaluation.thresholdSet) && !input.allowWeakened) {
    out.push(`run ${run.id} was judged with weakened thresholds (${run.evaluation.deviations.filter((d) => d.direction === 'weaker').map((d) => d.text).join('; ') || run.evaluation.thresholdSet}); pass --allow-weakened to certify anyway (it is written into the file)`)
  }
  if (soak) {
    const r = soak.report
    if (r.verdict !== 'pass') out.push(`soak ${r.series} is ${r.verdict.toUpperCase()}, not PASS`)
    const window = r.criteria.find((c) => c.id === 'window')
    if (!window || window.detail.expected === null || window.detail.expected === undefined) out.push(`soak ${r.series} has no known window (give --soak-expect)`)
    const simulated = soak.runs.filter((x) => x.simulated).map((x) => x.id)
    if (simulated.length) out.push(`soak ${r.series} has ${simulated.length} run(s) of the simulated ai-memory (${simulated.slice(0, 3).join(', ')}${simulated.length > 3 ? ', …' : ''})`)
    const other = soak.runs.filter((x) => semverIn(x.aiMemoryVersion) !== want).map((x) => `${x.id} (${semverIn(x.aiMemoryVersion) ?? 'unknown'})`)
    if (other.length) out.push(`soak ${r.series} has ${other.length} run(s) of another or unknown version than ${want}: ${other.slice(0, 3).join(', ')}${other.length > 3 ? ', …' : ''}`)
  }
  return out
}

function day(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10)
}

// eslint-disable-next-line no-control-regex
const plain = (text: string) => text.replace(/[\x00-\x1f\x7f-\x9f]/g, ' ')

export function buildReleaseSummary(input: ReleaseInput): ReleaseSummary {
  const { run } = input
  const e = run.evaluation
  const imported = run.source !== 'launched'
  const missing = imported ? NOT_RECORDED_IMPORTED : NOT_RECORDED
  const phases: ReleasePhase[] = e.phases.map((p) => {
    const t = run.phaseTimings.find((x) => x.phase === p.phase)
    const ms = t && t.startedAt !== null && t.finishedAt !== null ? Math.max(0, t.finishedAt - t.startedAt) : null
    const seconds = ms === null ? 0 : Math.round(ms / 1000)
    return { phase: p.phase, name: PHASE_NAMES[p.phase], pass: p.status === 'pass', wall_seconds: seconds, wall_human: ms === null ? missing : humanWall(seconds), notes: plain(p.summary) }
  })
  const passCount = phases.filter((p) => p.pass).length
  const wallSeconds = run.durationMs === null ? 0 : Math.round(run.durationMs / 1000)
  const wallHuman = run.durationMs === null ? missing : humanWall(wallSeconds)
  const dateSource = run.completedAt !== null ? 'run completed_at' : run.startedAt !== null ? 'run started_at' : 'generated'
  const date = day(run.completedAt ?? run.startedAt ?? input.now)
  const verdict = e.verdict === 'pass' ? 'pass' : 'fail'
  const headline = `${input.version} — ${passCount}/${phases.length} phases ${verdict === 'pass' ? 'green' : 'passed, FAIL'} — ${run.durationMs === null ? 'wall not recorded' : `${wallHuman} wall`} — ${date}`
  const soak = input.soak?.report
  return {
    version: input.version,
    campaign_run_id: run.id,
    date,
    ai_memory_version: run.aiMemoryVersion,
    ai_memory_git_ref: run.aiMemoryRef,
    ai_memory_commit: run.aiMemoryCommit,
    wall_seconds: wallSeconds,
    wall_human: wallHuman,
    pass_count: passCount,
    fail_count: phases.length - passCount,
    verdict,
    nhi_verdict: null,
    headline,
    phases,
    evidence: {
      verdict_reason: plain(e.reason),
      evaluator_version: e.evaluatorVersion,
      threshold_set: e.thresholdSet,
      threshold_overrides: e.deviations.map((d) => d.text),
      artifacts: Object.fromEntries(run.artifacts.map((a) => [a.name, a.sha256])),
      ...(soak
        ? { soak: { series: soak.series, verdict: soak.verdict, runs: soak.runs, pass: soak.pass, fail: soak.fail, incomplete: soak.incomplete, criteria: Object.fromEntries(soak.criteria.map((c) => [c.id, c.state])) } }
        : {}),
    },
    release: { generated_by: input.generatedBy, allow_weakened: Boolean(input.allowWeakened), date_source: dateSource },
  }
}

export interface ReleaseWritten {
  file: string
  summary: ReleaseSummary
}

/**
 * Refusals first (an AppError listing every reason), then the file, validated by ship-gate's schema
 * before it is written; an existing file is replaced only with `force`.
 */
export function writeRelease(input: ReleaseInput, out: string, options: { force?: boolean } = {}): ReleaseWritten {
  const refusals = releaseRefusals(input)
  if (refusals.length) throw new AppError('CONFLICT', `refused to write a release file for ${input.version}:\n  - ${refusals.join('\n  - ')}`, { details: { refusals } })
  if (existsSync(out) && !options.force) throw new AppError('CONFLICT', `${out} exists; pass --force to replace it`, { details: { refusals: [`${out} exists`] } })
  const summary = buildReleaseSummary(input)
  const errors = releaseSchemaErrors(summary)
  if (errors.length) throw new AppError('INTERNAL', `the release file does not validate against ship-gate's schema: ${errors.join('; ')}`)
  mkdirSync(dirname(out), { recursive: true })
  writeFileSync(out, `${JSON.stringify(summary, null, 2)}\n`)
  return { file: out, summary }
}
