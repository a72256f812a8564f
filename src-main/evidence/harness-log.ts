// Extracts what a run-chaos.sh log can tell: per fault class the configured cycles, the cycles
// that started, the summary JSON block if one was printed, and a FATAL line if the harness died.
// The result is evidence to show, never a pass: a phase is never judged passing from a log.
import { isRecord, num } from './normalize'

export interface HarnessSummary {
  totalCycles: number | null
  totalWrites: number | null
  totalOk: number | null
  totalQuorumNotMet: number | null
  totalFail: number | null
  convergenceBound: number | null
}

export interface HarnessFaultBlock {
  fault: string
  cyclesConfigured: number | null
  writesPerCycle: number | null
  cyclesStarted: number
  summary: HarnessSummary | null
  fatal: string | null
}

const HEADER = /\[chaos\] chaos campaign: fault=(\S+) cycles=(\d+) writes\/cycle=(\d+)/
const CYCLE = /\[chaos\] cycle (\d+): nodes ready/
const SUMMARY = /\[chaos\] -+ summary -+/
const FATAL = /\[chaos\] FATAL: (.*)$/

export function parseHarnessLog(text: string): HarnessFaultBlock[] {
  const lines = text.split(/\r?\n/)
  const blocks: HarnessFaultBlock[] = []
  let current: HarnessFaultBlock | null = null
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? ''
    const header = HEADER.exec(line)
    if (header) {
      current = { fault: header[1] ?? '', cyclesConfigured: Number(header[2]), writesPerCycle: Number(header[3]), cyclesStarted: 0, summary: null, fatal: null }
      blocks.push(current)
      continue
    }
    if (!current) continue
    const cycle = CYCLE.exec(line)
    if (cycle) {
      current.cyclesStarted = Math.max(current.cyclesStarted, Number(cycle[1]))
      continue
    }
    const fatal = FATAL.exec(line)
    if (fatal) {
      current.fatal = (fatal[1] ?? '').trim()
      continue
    }
    if (SUMMARY.test(line)) {
      const { json, next } = readJsonBlock(lines, i + 1)
      if (json) current.summary = toSummary(json)
      i = next - 1
    }
  }
  return blocks
}

/** Reads a pretty-printed JSON object starting at `start`, balancing braces line by line. */
function readJsonBlock(lines: string[], start: number): { json: Record<string, unknown> | null; next: number } {
  let depth = 0
  let buf = ''
  for (let i = start; i < lines.length && i < start + 200; i++) {
    const line = lines[i] ?? ''
    if (depth === 0 && !line.trim().startsWith('{')) return { json: null, next: i }
    buf += line + '\n'
    for (const ch of line) {
      if (ch === '{') depth++
      else if (ch === '}') depth--
    }
    if (depth === 0) {
      try {
        const v: unknown = JSON.parse(buf)
        return { json: isRecord(v) ? v : null, next: i + 1 }
      } catch {
        return { json: null, next: i + 1 }
      }
    }
  }
  return { json: null, next: start }
}

function toSummary(v: Record<string, unknown>): HarnessSummary {
  return {
    totalCycles: num(v.total_cycles),
    totalWrites: num(v.total_writes),
    totalOk: num(v.total_ok),
    totalQuorumNotMet: num(v.total_quorum_not_met),
    totalFail: num(v.total_fail),
    convergenceBound: num(v.convergence_bound),
  }
}
