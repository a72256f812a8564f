// Text output of the CLI: the same words and glyphs as the UI, colour only when a terminal wants it.
import type { Comparison } from '@shared/compare'
import type { CheckResult, PhaseResult, RunDetail, RunSummary, RunWarning } from '@shared/domain'
import { PHASE_INFO } from '@shared/catalog'
import { type AnyStatus, statusGlyph, statusTone, statusWord } from '@shared/status'
import { fmtDuration, fmtTime } from '@shared/format'

export { fmtDuration, fmtTime }

export interface Style {
  color: boolean
}

const ANSI = { good: '32', bad: '31', warn: '33', none: '90', bold: '1', dim: '2' } as const

export function paint(style: Style, code: keyof typeof ANSI, text: string): string {
  return style.color ? `\x1b[${ANSI[code]}m${text}\x1b[0m` : text
}

export function status(style: Style, s: AnyStatus, withGlyph = true): string {
  const word = withGlyph ? `${statusGlyph(s)} ${statusWord(s)}` : statusWord(s)
  return paint(style, statusTone(s), word)
}

/** Untrusted text (from hosts and artifacts) must not drive the terminal: strip control characters. */
export function clean(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\x00-\x08\x0b-\x1f\x7f-\x9f]/g, '�')
}


function pad(text: string, width: number): string {
  // eslint-disable-next-line no-control-regex
  const visible = text.replace(/\x1b\[[0-9;]*m/g, '').length
  return visible >= width ? text : text + ' '.repeat(width - visible)
}

export function runsTable(style: Style, runs: RunSummary[]): string {
  if (runs.length === 0) return 'No runs in the history yet. Import ship-gate artifacts with `shipgate import <folder>` or run `shipgate demo`.'
  const version = (r: RunSummary) => clean(r.aiMemoryVersion ?? r.aiMemoryRef ?? '—')
  // Columns as wide as their widest cell (within reason), so a long version never shifts the rest.
  const idWidth = Math.min(48, Math.max(...runs.map((r) => r.id.length), 3))
  const versionWidth = Math.min(40, Math.max(...runs.map((r) => version(r).length), 7))
  const header = `${pad('RUN', idWidth)}  ${pad('VERDICT', 14)}  P1 P2 P3 P4  ${pad('VERSION', versionWidth)}  ${pad('COMPLETED', 23)}  WARN`
  const lines = runs.map((r) => {
    const phases = r.phaseStatuses.map((s) => paint(style, statusTone(s), statusGlyph(s).padEnd(2))).join(' ')
    const sim = r.simulated ? paint(style, 'dim', '  simulated') : ''
    return `${pad(clean(r.id), idWidth)}  ${pad(status(style, r.verdict), 14)}  ${phases}  ${pad(version(r), versionWidth)}  ${pad(fmtTime(r.completedAt ?? r.startedAt), 23)}  ${r.warningCount || ''}${sim}`
  })
  return [paint(style, 'bold', header), ...lines].join('\n')
}

export function checkLine(style: Style, c: CheckResult): string {
  const glyph = c.counted ? paint(style, statusTone(c.status), statusGlyph(c.status)) : paint(style, 'none', 'ℹ')
  const threshold = c.threshold && !c.value.includes('threshold') ? paint(style, 'dim', `  [threshold ${c.threshold}]`) : ''
  const stated = c.provenance === 'stated' && !c.value.includes('not recomputed') ? paint(style, 'warn', '  (stated by the harness, not recomputed)') : ''
  return `  ${glyph} ${clean(c.label)} — ${clean(c.value)}${threshold}${stated}`
}

/** "judged FAIL by evaluator@1, INCOMPLETE by evaluator@2": a verdict that changed is never silent. */
export function verdictHistoryLine(run: RunDetail): string | null {
  if (run.verdictHistory.length === 0) return null
  const all = [...run.verdictHistory.map((v) => ({ verdict: v.verdict, by: v.evaluatorVersion })), { verdict: run.evaluation.verdict, by: run.evaluation.evaluatorVersion }]
  return `judged ${all.map((v) => `${statusWord(v.verdict)} by ${v.by}`).join(', ')}`
}

function warningLines(style: Style, warnings: RunWarning[], indent: string): string[] {
  return warnings.map((w) => `${indent}${paint(style, 'warn', '! warning')} ${clean(w.message)}${w.evidence ? paint(style, 'dim', `  (${w.evidence})`) : ''}`)
}

export function phaseBlock(style: Style, p: PhaseResult): string {
  const info = PHASE_INFO[p.phase]
  const lines = [`${paint(style, 'bold', info.title)}  ${status(style, p.status)}${p.status === 'pass' ? '' : `  ${clean(p.summary)}`}`]
  let subject: string | undefined
  for (const c of p.checks) {
    if (p.phase === 1 && c.subject !== subject) {
      subject = c.subject
      lines.push(`  ${paint(style, 'bold', subject ?? '')}`)
    }
    lines.push(checkLine(style, p.phase === 4 && c.subject ? { ...c, label: `${c.label} — ${c.subject}` } : c))
  }
  lines.push(...warningLines(style, p.warnings, '  '))
  return lines.join('\n')
}

export function runDetailText(style: Style, run: RunDetail, annotationHeadline: string | null): string {
  const e = run.evaluation
  const lines = [
    `${paint(style, 'bold', clean(run.id))}  ${status(style, e.verdict)}`,
    clean(e.reason),
    paint(
      style,
      'dim',
      [
        `ai-memory ${clean(run.aiMemoryRef ?? '—')}${run.aiMemoryVersion ? ` (${clean(run.aiMemoryVersion)})` : ''}${run.aiMemoryCommit ? ` @ ${clean(run.aiMemoryCommit.slice(0, 12))}` : ''}`,
        `completed ${fmtTime(run.completedAt)}`,
        `duration ${fmtDuration(run.durationMs)}`,
        `${run.source}${run.state !== 'completed' ? `, ${run.state}` : ''}`,
      ].join(' · '),
    ),
  ]
  if (e.simulated) lines.push(paint(style, 'warn', 'SIMULATED: the nodes ran Shipgate Lab\'s simulated ai-memory; this run shows the gate works, it certifies no release'))
  if (e.deviations?.length) lines.push(paint(style, e.deviations.some((d) => d.direction === 'weaker') ? 'warn' : 'dim', `Threshold set ${e.thresholdSet}: ${e.deviations.map((d) => d.text).join('; ')}`))
  const history = verdictHistoryLine(run)
  if (history) lines.push(paint(style, 'warn', history))
  if (run.stopReason) lines.push(paint(style, 'warn', `stopped early: ${clean(run.stopReason)}`))
  if (annotationHeadline) lines.push(`Run focus: ${clean(annotationHeadline)}`)
  lines.push(...warningLines(style, e.warnings.filter((w) => w.code !== 'simulated' && w.code !== 'weakened'), ''))
  for (const p of e.phases) lines.push('', phaseBlock(style, p))
  if (run.artifacts.length) {
    lines.push('', paint(style, 'bold', 'Artifacts'))
    for (const a of run.artifacts) lines.push(`  ${pad(clean(a.name), 24)} ${String(a.sizeBytes).padStart(9)} B  sha256 ${a.sha256}`)
  }
  return lines.join('\n')
}

function num(n: number | null): string {
  if (n === null) return '—'
  return Number.isInteger(n) ? String(n) : String(Number(n.toFixed(4)))
}

export function comparisonText(style: Style, c: Comparison): string {
  const lines = [
    `${paint(style, 'bold', clean(c.a.id))} ${status(style, c.a.verdict)}  →  ${paint(style, 'bold', clean(c.b.id))} ${status(style, c.b.verdict)}`,
    `phases: ${c.phases.map((p) => `${p.phase} ${statusGlyph(p.from)}→${statusGlyph(p.to)}`).join('   ')}`,
  ]
  lines.push('', paint(style, 'bold', `Checks that flipped (${c.flipped.length})`))
  if (c.flipped.length === 0) lines.push('  none')
  for (const f of c.flipped) {
    const from = f.from === 'absent' ? '— absent' : status(style, f.from)
    const to = f.to === 'absent' ? '— absent' : status(style, f.to)
    lines.push(`  phase ${f.phase}  ${clean(f.label)}${f.subject ? ` (${clean(f.subject)})` : ''}: ${from} → ${to}${f.valueTo ? paint(style, 'dim', `  now: ${clean(f.valueTo)}`) : ''}`)
  }
  lines.push('', paint(style, 'bold', `Metrics that moved (${c.moved.length})`))
  if (c.moved.length === 0) lines.push('  none')
  for (const m of c.moved) {
    const delta = m.delta === null ? '' : ` (${m.delta >= 0 ? '+' : ''}${num(m.delta)})`
    const def = m.definitionChanged ? paint(style, 'warn', `  ! definition ${m.definitionFrom ?? '—'} → ${m.definitionTo ?? '—'}`) : ''
    lines.push(`  phase ${m.phase}  ${clean(m.label)}: ${num(m.from)} → ${num(m.to)}${delta}${def}`)
  }
  if (c.warnings.length) {
    lines.push('', paint(style, 'bold', 'Warnings'))
    for (const w of c.warnings) lines.push(`  ${paint(style, 'warn', '!')} ${clean(w)}`)
  }
  return lines.join('\n')
}
