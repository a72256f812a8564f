// One status vocabulary for the UI, the CLI, HTML and PDF: a word and a glyph for every status,
// so nothing depends on colour alone.
import type { CheckStatus, PhaseStatus, RunVerdict } from './domain'

export type AnyStatus = PhaseStatus | CheckStatus | RunVerdict | 'warning' | 'running'

const WORDS: Record<AnyStatus, string> = {
  pass: 'PASS',
  fail: 'FAIL',
  error: 'ERROR',
  not_run: 'NOT RUN',
  incomplete: 'INCOMPLETE',
  warning: 'WARNING',
  running: 'RUNNING',
}

const GLYPHS: Record<AnyStatus, string> = {
  pass: '✓',
  fail: '✗',
  error: '!',
  not_run: '–',
  incomplete: '!',
  warning: '!',
  running: '…',
}

/** Tone drives colour: green, red, amber, grey. */
const TONES: Record<AnyStatus, 'good' | 'bad' | 'warn' | 'none'> = {
  pass: 'good',
  fail: 'bad',
  error: 'warn',
  not_run: 'none',
  incomplete: 'warn',
  warning: 'warn',
  running: 'none',
}

export function statusWord(s: AnyStatus): string {
  return WORDS[s]
}

export function statusGlyph(s: AnyStatus): string {
  return GLYPHS[s]
}

export function statusTone(s: AnyStatus): 'good' | 'bad' | 'warn' | 'none' {
  return TONES[s]
}
