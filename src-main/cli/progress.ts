// Live progress of a run on the terminal: one plain line per event worth seeing (also in CI logs).
import type { ProgressEvent } from '@shared/progress'
import { fmtUsd } from '@shared/money'
import { statusGlyph } from '@shared/status'
import { type Style, clean, fmtDuration, paint, status } from './format'

export function progressPrinter(style: Style, out: (line: string) => void, verbose: boolean): (e: ProgressEvent) => void {
  const stepStarts = new Map<string, number>()
  return (e) => {
    switch (e.type) {
      case 'run-started':
        out(`${paint(style, 'bold', `▶ ${e.runId}`)} · phases ${e.phases.join(', ')} · ${e.provisioner === 'static' ? e.hosts.map((h) => `${h.role}=${clean(h.name)}`).join(' ') : `hosts from ${e.provisioner}`}`)
        break
      case 'setup': {
        const key = `setup|${e.host ?? ''}|${e.step}`
        if (e.status === 'started') {
          stepStarts.set(key, e.at)
          if (verbose) out(`[setup] ${e.host ? `${clean(e.host)}  ` : ''}… ${clean(e.step)}`)
          break
        }
        const took = e.at - (stepStarts.get(key) ?? e.at)
        const glyph = e.status === 'done' ? paint(style, 'good', '✓') : paint(style, 'bad', '✗')
        out(`[setup] ${e.host ? `${clean(e.host)}  ` : ''}${glyph} ${clean(e.step)} (${(took / 1000).toFixed(1)}s)${e.detail ? `: ${clean(e.detail)}` : ''}`)
        break
      }
      case 'hosts':
        out(`[setup] hosts ready: ${e.hosts.map((h) => `${h.role}=${clean(h.address)}`).join(' ')}`)
        break
      case 'cost':
        if (e.final) out(`[cost] ${fmtUsd(e.usd)} for the run's cloud resources${e.hourlyUsd ? ` (${fmtUsd(e.hourlyUsd)}/h)` : ''}`)
        break
      case 'phase-started':
        out(paint(style, 'bold', `[phase ${e.phase}] started`))
        break
      case 'step': {
        const key = `${e.phase}|${e.host ?? ''}|${e.step}`
        if (e.status === 'started') {
          stepStarts.set(key, e.at)
          if (verbose) out(`[phase ${e.phase}] ${e.host ? `${clean(e.host)}  ` : ''}… ${clean(e.step)}`)
          break
        }
        const took = e.at - (stepStarts.get(key) ?? e.at)
        const glyph = e.status === 'done' ? paint(style, 'good', '✓') : paint(style, 'bad', '✗')
        out(`[phase ${e.phase}] ${e.host ? `${clean(e.host)}  ` : ''}${glyph} ${clean(e.step)} (${(took / 1000).toFixed(1)}s)${e.detail ? `: ${clean(e.detail)}` : ''}`)
        break
      }
      case 'log':
        if (verbose) out(paint(style, 'dim', `  ${e.host ? `${clean(e.host)} ` : ''}${e.stream === 'stderr' ? '! ' : ''}${clean(e.line)}`))
        break
      case 'cycle': {
        const c = e.cycle
        const glyph = c.status === 'ok' ? (c.converged ? '✓' : '!') : '✗'
        out(
          `[phase 4] ${c.fault} cycle ${c.cycle}/${e.configured} ${glyph} ok=${c.ok}/${c.writes} counts ${c.counts.map((n) => n ?? 'ERR').join('/')}${c.convergeMs !== null ? ` converged in ${c.convergeMs} ms` : ''}${c.error ? ` — ${clean(c.error)}` : ''}`,
        )
        break
      }
      case 'phase-finished':
        out(`[phase ${e.phase}] ${status(style, e.status)}  ${clean(e.summary)} (${fmtDuration(e.durationMs)})`)
        break
      case 'teardown':
        out(`[teardown] ${e.ok ? paint(style, 'good', '✓') : paint(style, 'bad', '✗')} ${clean(e.action)}${e.detail && (!e.ok || verbose) ? `: ${clean(e.detail)}` : ''}`)
        break
      case 'run-finished':
        out(`${paint(style, 'bold', `■ ${e.runId}`)} ${status(style, e.verdict)} ${e.state === 'completed' ? '' : `(${e.state}) `}· ${fmtDuration(e.durationMs)}`)
        break
      case 'check':
        if (verbose && e.check.counted) out(`  ${statusGlyph(e.check.status)} ${clean(e.check.label)}${e.check.subject ? ` (${clean(e.check.subject)})` : ''} — ${clean(e.check.value)}`)
        break
    }
  }
}
