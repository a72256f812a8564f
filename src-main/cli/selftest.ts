// `shipgate selftest`: proves the gate can fail. Every check of the catalog is shown passing on the
// healthy simulator and failing under a bug switch or on altered evidence; a check never shown
// failing makes it exit non-zero.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Command } from 'commander'
import type { PhaseNumber } from '@shared/domain'
import { runSelftest } from '../services/selftest'
import { Store } from '../store/store'
import type { CliContext } from './context'
import { clean, paint, status } from './format'

export function registerSelftestCommand(program: Command, ctx: CliContext): void {
  program
    .command('selftest')
    .description('prove the gate can fail: every check shown passing on the healthy simulator and failing under a bug switch or on altered evidence')
    .option('--phase <n>', 'only the checks of one phase', (v) => Number.parseInt(v, 10))
    .option('--json', 'print the matrix as JSON')
    .option('--keep', 'keep the self-test runs in the history database (default: a temporary one)')
    .action(async (flags: { phase?: number; json?: boolean; keep?: boolean }) => {
      const tmp = flags.keep ? null : mkdtempSync(join(tmpdir(), 'shipgate-selftest-'))
      const store = tmp ? Store.open(join(tmp, 'selftest.sqlite')) : ctx.services().store
      const say = (line: string) => (flags.json ? ctx.io.err(line) : ctx.io.out(line))
      try {
        const report = await runSelftest(store, {
          ...(flags.phase ? { phases: [flags.phase as PhaseNumber] } : {}),
          onHealthy: (h) => say(`healthy phase ${h.phase}: ${status(ctx.style, h.status)}${h.status === 'pass' ? '' : `  ${clean(h.summary)}`}`),
          onCase: (r) => {
            const c = r.case
            const what = c.kind === 'switch' ? `switch ${c.bug}` : `evidence: ${c.name}`
            const verdict = r.ok ? paint(ctx.style, 'good', '✓ caught') : paint(ctx.style, 'bad', '✗ MISSED')
            say(`  ${verdict} ${c.guard.check}${c.guard.subject ? ` (${c.guard.subject})` : ''} ${String(r.status).toUpperCase()} under ${clean(what)}  ${paint(ctx.style, 'dim', clean(r.detail))}`)
          },
        })
        if (flags.json) ctx.io.out(JSON.stringify({ ok: report.ok, matrix: report.matrix, healthy: report.healthy, cases: report.cases.map((r) => ({ check: r.case.guard.check, subject: r.case.guard.subject ?? null, expect: r.case.guard.expect, got: r.status, ok: r.ok, by: r.case.kind === 'switch' ? { switch: r.case.bug } : { evidence: r.case.name }, why: r.case.why })), gaps: report.gaps }, null, 2))
        else {
          ctx.io.out('')
          ctx.io.out(paint(ctx.style, 'bold', `${'check'.padEnd(34)} healthy   shown failing by`))
          for (const m of report.matrix) {
            const name = `${m.check}${m.subject ? ` (${m.subject})` : ''}`
            const healthy = m.unavailable ? paint(ctx.style, 'warn', 'n/a    ') : m.passed ? paint(ctx.style, 'good', '✓ pass ') : paint(ctx.style, 'bad', '✗ NO   ')
            const by = m.failedBy.length ? m.failedBy.join(', ') : paint(ctx.style, 'bad', 'NOTHING')
            ctx.io.out(`${name.padEnd(34)} ${healthy}   ${clean(by)}${m.unavailable ? paint(ctx.style, 'warn', `  (not on this machine: ${clean(m.unavailable)})`) : ''}`)
          }
          ctx.io.out('')
          if (report.ok) ctx.io.out(paint(ctx.style, 'good', `every check of the gate was shown passing and failing (${report.matrix.length} rows)`))
          else for (const g of report.gaps) ctx.io.out(`${paint(ctx.style, 'bad', '✗')} ${clean(g)}`)
        }
        ctx.exit(report.ok ? 0 : 1)
      } finally {
        if (tmp) {
          store.close()
          rmSync(tmp, { recursive: true, force: true })
        }
      }
    })
}
