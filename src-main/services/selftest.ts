// The gate's self-test: every check of the catalog is shown both passing (on the healthy simulator)
// and failing (under a bug switch of the simulator, or on the healthy run's own evidence altered the
// way a broken harness or a tampered artifact would alter it). The result is a matrix, one row per
// check; a check never shown failing makes the self-test fail.
import { ALL_CHECK_IDS, type CheckId } from '@shared/catalog'
import { gateInput, type Campaign } from '@shared/campaign'
import { FAULT_CLASSES, type CheckStatus, type FaultClass, type PhaseNumber, type PhaseStatus } from '@shared/domain'
import { demoCampaign } from '../demo/demo'
import { DEFAULT_ENGINES } from '../engine/engines'
import { errorMessage } from '../lib/errors'
import type { Store } from '../store/store'
import { evaluateRun, type ArtifactBytes } from '../verdict/evaluate'
import { RunService } from './runs'

/** Small sizes: the self-test proves the checks react; the benchmark and the demo use real sizes. */
const SIZES = { writesPerAgent: 10, memories: 40, cycles: 2, writesPerCycle: 12 }

type Guard = { check: CheckId; subject?: string; expect: Exclude<CheckStatus, 'pass'> }

/** A bug switch of the simulated ai-memory (AI_MEMORY_SIM_BUGS) and the check that must catch it. */
export interface SwitchCase {
  kind: 'switch'
  phase: PhaseNumber
  bug: string
  faults?: FaultClass[]
  guard: Guard
  why: string
}

/** The healthy run's evidence altered as a broken harness or a tampered artifact would, and the check that must refuse it. */
export interface EvidenceCase {
  kind: 'evidence'
  phase: PhaseNumber
  name: string
  alter: (files: Map<string, Buffer>) => void
  guard: Guard
  why: string
}

export type SelftestCase = SwitchCase | EvidenceCase

const json = (files: Map<string, Buffer>, name: string): Record<string, unknown> => JSON.parse((files.get(name) ?? Buffer.from('{}')).toString('utf8')) as Record<string, unknown>
const put = (files: Map<string, Buffer>, name: string, value: unknown) => files.set(name, Buffer.from(`${JSON.stringify(value, null, 2)}\n`))
const jsonl = (files: Map<string, Buffer>): Record<string, unknown>[] =>
  (files.get('phase4-cycles.jsonl') ?? Buffer.from(''))
    .toString('utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as Record<string, unknown>)
/** Alters the per-cycle rows in both places the engine keeps them (the JSONL and phase4.json), so they still agree. */
function alterRows(files: Map<string, Buffer>, change: (rows: Record<string, unknown>[]) => Record<string, unknown>[]): void {
  const rows = change(jsonl(files))
  files.set('phase4-cycles.jsonl', Buffer.from(rows.map((r) => JSON.stringify(r)).join('\n') + (rows.length ? '\n' : '')))
  const p4 = json(files, 'phase4.json')
  const byFault: Record<string, unknown[]> = {}
  for (const r of rows) (byFault[String(r.fault)] ??= []).push(r)
  p4.cycles_by_fault = byFault
  p4.cycles_recorded_by_fault = Object.fromEntries(Object.entries(byFault).map(([f, list]) => [f, list.length]))
  put(files, 'phase4.json', p4)
}
const selfFlagFalse = (name: string) => (files: Map<string, Buffer>) => put(files, name, { ...json(files, name), pass: false })

export const SELFTEST_CASES: SelftestCase[] = [
  { kind: 'switch', phase: 1, bug: 'stats-zero', guard: { check: 'p1.stats_total', expect: 'fail' }, why: 'stats reports no memory after a store' },
  { kind: 'switch', phase: 1, bug: 'recall-empty', guard: { check: 'p1.recall', expect: 'fail' }, why: 'recall finds nothing' },
  { kind: 'switch', phase: 1, bug: 'extra-snapshot', guard: { check: 'p1.snapshot', expect: 'fail' }, why: 'backup --keep 1 leaves two snapshots' },
  { kind: 'switch', phase: 1, bug: 'no-manifest', guard: { check: 'p1.manifest', expect: 'fail' }, why: 'backup without its manifest' },
  { kind: 'switch', phase: 1, bug: 'mcp-tools=12', guard: { check: 'p1.mcp_tools', expect: 'fail' }, why: 'MCP server advertises too few tools' },
  { kind: 'switch', phase: 1, bug: 'curator-error', guard: { check: 'p1.curator', expect: 'fail' }, why: 'curator reports an unexpected error' },
  {
    kind: 'evidence',
    phase: 1,
    name: 'one node file stands for two',
    alter: (f) => f.set('phase1-node-b.json', f.get('phase1-node-a.json') as Buffer),
    guard: { check: 'p1.nodes', expect: 'error' },
    why: "node-a's file copied over node-b's: one host answering for two",
  },
  {
    kind: 'evidence',
    phase: 1,
    name: 'store exited 1',
    alter: (f) => {
      const p = json(f, 'phase1-node-c.json')
      p.steps = (p.steps as { step: string; exit_code: number }[]).map((s) => (s.step === 'store' ? { ...s, exit_code: 1 } : s))
      put(f, 'phase1-node-c.json', p)
    },
    guard: { check: 'p1.steps', subject: 'node-c', expect: 'fail' },
    why: 'a command of the phase failed while its output still looked fine',
  },
  { kind: 'evidence', phase: 1, name: 'artifact says fail', alter: selfFlagFalse('phase1-node-a.json'), guard: { check: 'p1.reported', subject: 'node-a', expect: 'fail' }, why: "the artifact's own flag is shown (never counted)" },
  { kind: 'switch', phase: 2, bug: 'reject-source=api', guard: { check: 'p2.burst', expect: 'fail' }, why: 'source "api" rejected with 400 (r12)' },
  { kind: 'switch', phase: 2, bug: 'drop-fanout', guard: { check: 'p2.convergence', subject: 'node-c', expect: 'fail' }, why: 'post-quorum fan-outs lost (r14)' },
  { kind: 'switch', phase: 2, bug: 'quorum-never-ok', guard: { check: 'p2.probe1', expect: 'fail' }, why: '503 although the remaining peer acknowledged' },
  { kind: 'switch', phase: 2, bug: 'quorum-always-ok', guard: { check: 'p2.probe2', expect: 'fail' }, why: '201 without a quorum (misclassification)' },
  { kind: 'evidence', phase: 2, name: 'artifact says fail', alter: selfFlagFalse('phase2.json'), guard: { check: 'p2.reported', expect: 'fail' }, why: "the artifact's own flag is shown (never counted)" },
  {
    kind: 'evidence',
    phase: 3,
    name: 'source short of the seed',
    alter: (f) => put(f, 'phase3.json', { ...json(f, 'phase3.json'), src_count: SIZES.memories - 1 }),
    guard: { check: 'p3.src_count', expect: 'fail' },
    why: 'the seeded source does not hold every memory',
  },
  { kind: 'switch', phase: 3, bug: 'lose-rows=5', guard: { check: 'p3.dst_count', expect: 'fail' }, why: 'migration silently drops rows' },
  { kind: 'switch', phase: 3, bug: 'migrate-error', guard: { check: 'p3.forward_errors', expect: 'fail' }, why: 'migration reports an error' },
  { kind: 'switch', phase: 3, bug: 'forward-short=3', guard: { check: 'p3.forward_counts', expect: 'fail' }, why: 'the forward migration reads and writes fewer rows, silently' },
  { kind: 'switch', phase: 3, bug: 'idempotent-dup', guard: { check: 'p3.idempotent', expect: 'fail' }, why: 'the second identical migration is not a clean upsert' },
  { kind: 'switch', phase: 3, bug: 'reverse-error', guard: { check: 'p3.reverse_errors', expect: 'fail' }, why: 'the reverse migration reports an error' },
  { kind: 'evidence', phase: 3, name: 'artifact says fail', alter: selfFlagFalse('phase3.json'), guard: { check: 'p3.reported', expect: 'fail' }, why: "the artifact's own flag is shown (never counted)" },
  { kind: 'switch', phase: 4, bug: 'drop-fanout', faults: ['drop_random_acks'], guard: { check: 'p4.bound', subject: 'drop_random_acks', expect: 'fail' }, why: 'post-quorum fan-outs lost under a stopped peer' },
  { kind: 'switch', phase: 4, bug: 'reject-source=chaos', faults: ['kill_primary_mid_write'], guard: { check: 'p4.bound', subject: 'kill_primary_mid_write', expect: 'error' }, why: 'source "chaos" rejected (r16): no write acknowledged' },
  {
    kind: 'evidence',
    phase: 4,
    name: 'harness log instead of JSON',
    alter: (f) => f.set('phase4.json', Buffer.from('[chaos] chaos campaign: fault=kill_primary_mid_write cycles=2 writes/cycle=12\n[chaos] cycle 1: nodes ready\n')),
    guard: { check: 'p4.parsed', expect: 'error' },
    why: "the harness printed its log where the phase's JSON belongs (r17)",
  },
  {
    kind: 'evidence',
    phase: 4,
    name: 'a configured fault class without a result',
    alter: (f) => {
      const p4 = json(f, 'phase4.json')
      const drop = (o: unknown) => Object.fromEntries(Object.entries((o ?? {}) as Record<string, unknown>).filter(([k]) => k !== 'kill_primary_mid_write'))
      for (const k of ['convergence_by_fault', 'totals_by_fault', 'cycles_recorded_by_fault', 'fault_errors', 'cycles_by_fault']) p4[k] = drop(p4[k])
      put(f, 'phase4.json', p4)
      f.set('phase4-cycles.jsonl', Buffer.from(jsonl(f).filter((r) => r.fault !== 'kill_primary_mid_write').map((r) => `${JSON.stringify(r)}\n`).join('')))
    },
    guard: { check: 'p4.faults', expect: 'error' },
    why: 'a fault class that timed out vanished from the results (r21–r23)',
  },
  {
    kind: 'evidence',
    phase: 4,
    name: 'a torn JSONL line',
    alter: (f) => f.set('phase4-cycles.jsonl', Buffer.concat([f.get('phase4-cycles.jsonl') ?? Buffer.from(''), Buffer.from('{"cycle": 3, "fault": "kill_pri\n')])),
    guard: { check: 'p4.rows', expect: 'error' },
    why: 'the per-cycle file was cut mid-write',
  },
  {
    kind: 'evidence',
    phase: 4,
    name: 'a cycle missing',
    alter: (f) => alterRows(f, (rows) => rows.filter((r, i) => !(r.fault === 'kill_primary_mid_write' && i === rows.findLastIndex((x) => x.fault === 'kill_primary_mid_write')))),
    guard: { check: 'p4.cycles', subject: 'kill_primary_mid_write', expect: 'error' },
    why: 'fewer cycles recorded than configured (a harness that died mid-run)',
  },
  {
    kind: 'evidence',
    phase: 4,
    name: 'a fault that did not take effect',
    alter: (f) => alterRows(f, (rows) => rows.map((r, i) => (i === 0 ? { ...r, verified: false } : r))),
    guard: { check: 'p4.verified', subject: 'kill_primary_mid_write', expect: 'error' },
    why: 'the process survived its SIGKILL (the OS makes this impossible to simulate: shown on the evidence)',
  },
  {
    kind: 'evidence',
    phase: 4,
    name: 'no write met the fault',
    alter: (f) => alterRows(f, (rows) => rows.map((r, i) => (i === 0 ? { ...r, writes_during_fault: 0 } : r))),
    guard: { check: 'p4.fault_window', subject: 'kill_primary_mid_write', expect: 'error' },
    why: 'every write landed before the fault: the cycle tested nothing',
  },
  { kind: 'evidence', phase: 4, name: 'artifact says fail', alter: selfFlagFalse('phase4.json'), guard: { check: 'p4.reported', expect: 'fail' }, why: "the artifact's own flag is shown (never counted)" },
]

export interface CaseResult {
  case: SelftestCase
  status: CheckStatus | 'absent'
  ok: boolean
  detail: string
}

export interface MatrixRow {
  check: CheckId
  /** Fault class, for the per-fault checks of phase 4. */
  subject?: string
  /** Passed on the healthy simulator. */
  passed: boolean
  /** The cases that made it fail (or error), by name. */
  failedBy: string[]
  /** Why it could not be exercised on this machine, when it could not. */
  unavailable?: string
}

export interface SelftestReport {
  healthy: { phase: PhaseNumber; status: PhaseStatus; summary: string; runId: string | null }[]
  cases: CaseResult[]
  matrix: MatrixRow[]
  /** Checks never shown failing, or never shown passing: each a defect of the gate. */
  gaps: string[]
  ok: boolean
}

const caseName = (c: SelftestCase) => (c.kind === 'switch' ? `switch ${c.bug}` : `evidence: ${c.name}`)

/** The fault classes this machine can inject (partition needs iptables and root, clock skew libfaketime). */
async function injectableFaults(campaign: Campaign, runs: RunService, store: Store): Promise<{ faults: FaultClass[]; unavailable: Partial<Record<FaultClass, string>> }> {
  // The faults' own preflight, on a one-cycle run of each: the same check a real campaign makes.
  const unavailable: Partial<Record<FaultClass, string>> = {}
  const outcome = await runs.start({ ...campaign, name: `${campaign.name}-preflight`, phases: [4], parameters: { ...campaign.parameters, phase4: { ...campaign.parameters.phase4, faults: [...FAULT_CLASSES], cycles: 1 } } })
  const p4 = store.artifacts.get(outcome.runId, 'phase4.json')
  const errors = p4 ? ((JSON.parse(p4.bytes.toString('utf8')) as { fault_errors?: Record<string, string> }).fault_errors ?? {}) : {}
  for (const f of FAULT_CLASSES) if (errors[f]) unavailable[f] = errors[f]
  return { faults: FAULT_CLASSES.filter((f) => !unavailable[f]), unavailable }
}

export async function runSelftest(store: Store, options: { phases?: PhaseNumber[]; onCase?: (r: CaseResult) => void; onHealthy?: (h: SelftestReport['healthy'][number]) => void; concurrency?: number } = {}): Promise<SelftestReport> {
  const phases = options.phases ?? [1, 2, 3, 4]
  const runs = new RunService(store, {}, DEFAULT_ENGINES)
  const base = async (name: string, phase: PhaseNumber, extra: { faults?: FaultClass[]; bug?: string } = {}) => {
    const c = await demoCampaign({ name, phases: [phase], ...SIZES, faults: extra.faults ?? ['kill_primary_mid_write'], ...(extra.bug ? { env: { AI_MEMORY_SIM_BUGS: extra.bug } } : {}) })
    c.parameters.phase2.settle_deadline_s = 5
    c.parameters.phase4.settle_deadline_s = 3
    return c
  }

  // 1. The healthy simulator, phase by phase: every check must pass (phase 4 with every fault this machine can inject).
  const healthy: SelftestReport['healthy'] = []
  const healthyFiles = new Map<PhaseNumber, { files: Map<string, Buffer>; campaign: Campaign }>()
  let unavailable: Partial<Record<FaultClass, string>> = {}
  const statuses = new Map<string, CheckStatus>()
  for (const phase of phases) {
    let campaign = await base(`selftest-p${phase}-healthy`, phase)
    if (phase === 4) {
      const found = await injectableFaults(campaign, runs, store)
      unavailable = found.unavailable
      campaign = { ...campaign, parameters: { ...campaign.parameters, phase4: { ...campaign.parameters.phase4, faults: found.faults } } }
    }
    try {
      const outcome = await runs.start(campaign)
      const result = outcome.evaluation.phases.find((p) => p.phase === phase)
      for (const c of result?.checks ?? []) statuses.set(`${c.id}|${c.subject ?? ''}`, c.status)
      healthyFiles.set(phase, { files: new Map(store.artifacts.all(outcome.runId).map((a) => [a.name, a.bytes])), campaign })
      const h = { phase, status: result?.status ?? ('not_run' as PhaseStatus), summary: result?.summary ?? 'no result', runId: outcome.runId }
      healthy.push(h)
      options.onHealthy?.(h)
    } catch (err) {
      const h = { phase, status: 'error' as PhaseStatus, summary: errorMessage(err), runId: null }
      healthy.push(h)
      options.onHealthy?.(h)
    }
  }

  // 2. Each case: a bug switch on a fresh run, or the healthy evidence altered and judged again.
  const cases = SELFTEST_CASES.filter((c) => phases.includes(c.phase))
  const results: CaseResult[] = new Array(cases.length)
  let next = 0
  const judge = (c: SelftestCase, check: { status: CheckStatus; value: string } | undefined): CaseResult => {
    const status = check?.status ?? 'absent'
    return { case: c, status, ok: status === c.guard.expect, detail: check ? check.value : `${c.guard.check} not in the evaluation` }
  }
  const findCheck = (evaluation: ReturnType<typeof evaluateRun>['evaluation'], c: SelftestCase) =>
    evaluation.phases.find((p) => p.phase === c.phase)?.checks.find((k) => k.id === c.guard.check && (c.guard.subject === undefined || k.subject === c.guard.subject))
  const worker = async () => {
    for (;;) {
      const i = next++
      const c = cases[i]
      if (!c) return
      let r: CaseResult
      try {
        if (c.kind === 'switch') {
          const outcome = await runs.start(await base(`selftest-p${c.phase}-${c.bug.replace(/[^A-Za-z0-9]+/g, '-')}`, c.phase, { bug: c.bug, ...(c.faults ? { faults: c.faults } : {}) }))
          r = judge(c, findCheck(outcome.evaluation, c))
        } else {
          const source = healthyFiles.get(c.phase)
          if (!source) throw new Error(`no healthy phase-${c.phase} evidence to alter`)
          const files = new Map(source.files)
          c.alter(files)
          const artifacts: ArtifactBytes[] = [...files].map(([name, bytes]) => ({ name, bytes }))
          r = judge(c, findCheck(evaluateRun({ artifacts, ...gateInput(source.campaign) }).evaluation, c))
        }
      } catch (err) {
        r = { case: c, status: 'absent', ok: false, detail: errorMessage(err) }
      }
      results[i] = r
      options.onCase?.(r)
    }
  }
  await Promise.all(Array.from({ length: Math.max(1, options.concurrency ?? 2) }, worker))

  // 3. The matrix: for every check (per fault class in phase 4), passed when healthy, and what made it fail.
  const matrix: MatrixRow[] = []
  const faultChecks: CheckId[] = ['p4.bound', 'p4.cycles', 'p4.verified', 'p4.fault_window']
  for (const id of ALL_CHECK_IDS) {
    const phase = Number(id[1]) as PhaseNumber
    if (!phases.includes(phase)) continue
    const failedBy = results.filter((r) => r.ok && r.case.guard.check === id).map((r) => caseName(r.case))
    const subjects = faultChecks.includes(id) ? [...FAULT_CLASSES] : [undefined]
    for (const subject of subjects) {
      const passed = [...statuses].some(([key, status]) => key.startsWith(`${id}|`) && (subject === undefined || key === `${id}|${subject}`) && status === 'pass')
      const why = subject ? unavailable[subject as FaultClass] : undefined
      matrix.push({ check: id, ...(subject ? { subject } : {}), passed, failedBy, ...(why ? { unavailable: why } : {}) })
    }
  }
  const gaps = [
    ...matrix.filter((m) => !m.passed && !m.unavailable).map((m) => `${m.check}${m.subject ? ` (${m.subject})` : ''} never passed on the healthy simulator`),
    ...[...new Set(matrix.filter((m) => m.failedBy.length === 0).map((m) => m.check))].map((id) => `${id} was never shown failing`),
    ...healthy.filter((h) => h.status !== 'pass').map((h) => `phase ${h.phase} of the healthy simulator is ${h.status}: ${h.summary}`),
    ...results.filter((r) => !r.ok).map((r) => `${caseName(r.case)}: ${r.case.guard.check} is ${r.status}, expected ${r.case.guard.expect}`),
  ]
  return { healthy, cases: results, matrix, gaps, ok: gaps.length === 0 }
}
