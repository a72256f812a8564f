// A drafted three-audience narrative, generated from a run's evidence by fixed rules. Every sentence
// ends with the checks or evidence fields it rests on (`[cite: …]`); nothing is invented: no bug,
// cause or fix is guessed, and what cannot be decided is called inconclusive with its reason.
import { PHASE_INFO } from '@shared/catalog'
import { type Comparison, compareEvaluations, checkKey } from '@shared/compare'
import type { Annotation, CheckResult, PhaseResult, RunDetail } from '@shared/domain'
import { statusWord } from '@shared/status'
import type { DraftNarrative } from '@shared/views'

type Field = keyof Omit<Annotation, 'bugs'>

class Writer {
  readonly text: Record<Field, string[]> = {
    headline: [],
    verdictLine: [],
    whatItTested: [],
    whatItProved: [],
    forNonTechnical: [],
    forCLevel: [],
    forEngineers: [],
    nextRunChange: [],
  }
  readonly citations: Record<string, string[]> = {}

  say(field: Field, sentence: string, cites: string[]): void {
    // Brackets would end the [cite: …] marker early.
    const unique = [...new Set(cites.map((c) => c.replace(/\[/g, '(').replace(/\]/g, ')')))].filter(Boolean)
    if (unique.length === 0) throw new Error(`uncited sentence in ${field}: ${sentence}`)
    const text = sentence.replace(/\.+$/, '.')
    this.text[field].push(`${/[.!?]$/.test(text) ? text : `${text}.`} [cite: ${unique.join(', ')}]`)
    this.citations[field] = [...(this.citations[field] ?? []), unique.join(', ')]
  }
}

const PLAIN: Record<number, { pass: string; fail: string }> = {
  1: {
    pass: 'Each of the three servers started and answered the basic requests a user makes: store, search, statistics, backup and the list of tools an AI agent can call.',
    fail: 'At least one server did not answer its basic requests correctly.',
  },
  2: {
    pass: 'When several AI agents wrote at the same time, every server ended up holding every confirmed write, and the system refused writes it could not copy to enough servers.',
    fail: 'When several AI agents wrote at the same time, not every server ended up with every confirmed write, or the system answered wrongly when servers were down.',
  },
  3: {
    pass: 'All the stored memories moved from the embedded database to PostgreSQL and back without loss or error.',
    fail: 'Moving the stored memories between the two databases lost rows or reported errors.',
  },
  4: {
    pass: 'Under the injected failures, every write the system confirmed was found on both remaining servers.',
    fail: 'Under the injected failures, some writes the system confirmed were not found on both remaining servers.',
  },
}

function cite(c: CheckResult): string {
  return checkKey(c)
}

function counted(p: PhaseResult): CheckResult[] {
  return p.checks.filter((c) => c.counted)
}

function num(n: number | null | undefined): string {
  if (n === null || n === undefined) return '—'
  return Number.isInteger(n) ? String(n) : String(Number(n.toFixed(4)))
}

export function draftNarrative(run: RunDetail, previous: RunDetail | null): DraftNarrative {
  const w = new Writer()
  const e = run.evaluation
  const phases = e.phases
  const version = run.aiMemoryVersion ?? run.aiMemoryRef ?? 'the tested build'
  const failing = phases.filter((p) => p.status === 'fail')
  const undecided = phases.filter((p) => p.status === 'error' || p.status === 'not_run')
  const allCites = phases.flatMap((p) => counted(p).map(cite))

  // Headline and verdict
  if (e.verdict === 'pass') w.say('headline', `All four phases pass on ${version}`, allCites.slice(0, 6).concat(['verdict']))
  else if (e.verdict === 'fail') w.say('headline', `${failing.map((p) => `Phase ${p.phase}`).join(' and ')} failed on ${version}`, failing.flatMap((p) => counted(p).filter((c) => c.status === 'fail').map(cite)))
  else w.say('headline', `Inconclusive on ${version}: ${undecided.map((p) => `phase ${p.phase} ${statusWord(p.status)}`).join(', ')}`, undecided.map((p) => `phase${p.phase}.status`))
  w.say('verdictLine', e.reason, ['verdict', ...phases.map((p) => `phase${p.phase}.status`)])

  // What was tested
  for (const p of phases) {
    if (p.status === 'not_run') continue
    const c = counted(p)
    const detail =
      p.phase === 2
        ? ` (${c.find((x) => x.id === 'p2.burst')?.value ?? 'burst'})`
        : p.phase === 4
          ? ` (fault classes: ${[...new Set(c.filter((x) => x.subject).map((x) => x.subject))].join(', ') || 'none recorded'})`
          : ''
    w.say('whatItTested', `${PHASE_INFO[p.phase].title}${detail}: ${c.length} checks.`, [`phase${p.phase}.checks`, ...p.artifacts.map((a) => a)])
  }
  if (phases.every((p) => p.status === 'not_run')) w.say('whatItTested', 'No phase produced evidence in this run.', ['phase1.status', 'phase2.status', 'phase3.status', 'phase4.status'])

  // What it proved, disproved, or left open
  for (const p of phases) {
    const c = counted(p)
    if (p.status === 'pass') w.say('whatItProved', `Proved: ${PHASE_INFO[p.phase].title.replace(/^Phase \d — /, '')} holds (${p.summary}).`, c.map(cite))
    else if (p.status === 'fail') w.say('whatItProved', `Disproved: ${p.summary}.`, c.filter((x) => x.status === 'fail').map(cite))
    else if (p.status === 'error') w.say('whatItProved', `Phase ${p.phase} is inconclusive: ${p.summary}.`, [`phase${p.phase}.status`, ...p.artifacts])
  }

  // Non-technical readers
  for (const p of phases) {
    const c = counted(p)
    if (p.status === 'pass') w.say('forNonTechnical', PLAIN[p.phase]!.pass, c.map(cite))
    else if (p.status === 'fail') w.say('forNonTechnical', `${PLAIN[p.phase]!.fail} ${c.filter((x) => x.status === 'fail').map((x) => `${x.label}${x.subject ? ` (${x.subject})` : ''}: ${x.value}`).join('; ')}.`, c.filter((x) => x.status === 'fail').map(cite))
    else if (p.status === 'error') w.say('forNonTechnical', `Phase ${p.phase} could not be judged because its evidence is incomplete or unreadable, so it gives no assurance either way.`, [`phase${p.phase}.status`, ...p.artifacts])
    else w.say('forNonTechnical', `Phase ${p.phase} did not run, so nothing is known about what it covers.`, [`phase${p.phase}.status`])
  }

  // C-level readers
  if (e.verdict === 'pass') w.say('forCLevel', `The evidence supports releasing ${version}: all four gates hold, each judged from its own evidence.`, ['verdict', ...allCites.slice(0, 4)])
  else if (e.verdict === 'fail') w.say('forCLevel', `Do not release ${version} on this run: ${failing.length} of 4 gates fail (${failing.map((p) => `phase ${p.phase}`).join(', ')}).`, ['verdict', ...failing.map((p) => `phase${p.phase}.status`)])
  else w.say('forCLevel', `No release decision can rest on this run: ${undecided.length} of 4 gates produced no decisive evidence (${undecided.map((p) => `phase ${p.phase}: ${statusWord(p.status)}`).join('; ')}).`, ['verdict', ...undecided.map((p) => `phase${p.phase}.status`)])
  const warnings = [...e.warnings, ...phases.flatMap((p) => p.warnings)]
  if (warnings.length) w.say('forCLevel', `${warnings.length} warning${warnings.length === 1 ? '' : 's'} qualify these figures; they are listed for the engineers.`, warnings.map((x) => x.evidence ?? x.code))

  // Engineers and architects
  for (const p of phases) {
    for (const c of counted(p).filter((x) => x.status !== 'pass')) {
      w.say('forEngineers', `${c.id}${c.subject ? ` (${c.subject})` : ''} ${statusWord(c.status)}: ${c.label} measured ${c.value}${c.threshold ? ` against ${c.threshold}` : ''}${c.metricDefinition ? `, metric ${c.metricDefinition}` : ''}.`, [cite(c), ...c.reads])
    }
  }
  for (const x of warnings) w.say('forEngineers', `Warning (${x.code}): ${x.message}`, [x.evidence ?? x.code])
  if (w.text.forEngineers.length === 0) w.say('forEngineers', `Every counted check holds; evaluated by ${e.evaluatorVersion} with thresholds ${e.thresholdSet}.`, allCites.slice(0, 8))

  // What changed since the previous run of the same campaign
  if (previous) {
    const cmp: Comparison = compareEvaluations(previous, previous.evaluation, run, run.evaluation)
    const flipped = cmp.flipped.slice(0, 8)
    if (flipped.length === 0) w.say('forEngineers', `Since ${previous.id}: no check changed status.`, [`compare:${previous.id}`])
    for (const f of flipped) {
      w.say('forEngineers', `Since ${previous.id}: ${f.key} (${f.label}) went from ${f.from === 'absent' ? 'absent' : statusWord(f.from)} to ${f.to === 'absent' ? 'absent' : statusWord(f.to)}${f.valueTo ? ` (${f.valueTo})` : ''}.`, [f.key, `compare:${previous.id}`])
    }
    for (const m of cmp.moved.filter((x) => !cmp.flipped.some((f) => f.key === x.key)).slice(0, 6)) {
      w.say('forEngineers', `Since ${previous.id}: ${m.key} moved ${num(m.from)} → ${num(m.to)}${m.delta !== null ? ` (${m.delta >= 0 ? '+' : ''}${num(m.delta)})` : ''}${m.definitionChanged ? `; its definition changed (${m.definitionFrom} → ${m.definitionTo})` : ''}.`, [m.key, `compare:${previous.id}`])
    }
    const changed = cmp.phases.filter((p) => p.from !== p.to)
    w.say(
      'forCLevel',
      changed.length ? `Compared with ${previous.id}: ${changed.map((p) => `phase ${p.phase} ${statusWord(p.from)} → ${statusWord(p.to)}`).join('; ')}.` : `Compared with ${previous.id}, every phase has the same status.`,
      [`compare:${previous.id}`, ...changed.map((p) => `phase${p.phase}.status`)],
    )
  }

  const join = (f: Field) => w.text[f].join(' ')
  return {
    annotation: {
      headline: join('headline'),
      verdictLine: join('verdictLine'),
      whatItTested: join('whatItTested'),
      whatItProved: join('whatItProved'),
      forNonTechnical: join('forNonTechnical'),
      forCLevel: join('forCLevel'),
      forEngineers: join('forEngineers'),
      bugs: [],
      nextRunChange: '',
    },
    citations: w.citations,
    basedOn: { runId: run.id, previousRunId: previous?.id ?? null },
  }
}
