// `shipgate selftest`: proves the gate can fail.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Command } from 'commander'
import { runSelftest, SELFTEST_CASES } from '../services/selftest'
import { Store } from '../store/store'
import type { CliContext } from './context'
import { clean, paint } from './format'

export function registerSelftestCommand(program: Command, ctx: CliContext): void {
  program
    .command('selftest')
    .description('prove the gate can fail: every phase against a healthy simulator (must pass) and against each bug switch (the guarding check must fail)')
    .option('--phase <n>', 'only the cases of one phase', (v) => Number.parseInt(v, 10))
    .option('--keep', 'keep the self-test runs in the history database (default: a temporary one)')
    .action(async (flags: { phase?: number; keep?: boolean }) => {
      const tmp = flags.keep ? null : mkdtempSync(join(tmpdir(), 'shipgate-selftest-'))
      const store = tmp ? Store.open(join(tmp, 'selftest.sqlite')) : ctx.services().store
      try {
        const cases = SELFTEST_CASES.filter((c) => flags.phase === undefined || c.phase === flags.phase)
        ctx.io.out(paint(ctx.style, 'bold', `phase  bug switch              guarding check                     expected  got        result`))
        const results = await runSelftest(store, {
          cases,
          onResult: (r) => {
            const guard = r.case.guard ? `${r.case.guard.check}${r.case.guard.subject ? ` (${r.case.guard.subject})` : ''}` : 'every check'
            const expected = r.case.guard ? r.case.guard.expect.toUpperCase() : 'PASS'
            const got = (r.guardStatus ?? r.phaseStatus).toString().toUpperCase()
            const verdict = r.ok ? paint(ctx.style, 'good', r.case.guard ? '✓ caught' : '✓ no false alarm') : paint(ctx.style, 'bad', r.case.guard ? '✗ MISSED' : '✗ FALSE ALARM')
            ctx.io.out(`${String(r.case.phase).padEnd(6)} ${(r.case.bug ?? '(healthy)').padEnd(23)} ${guard.padEnd(34)} ${expected.padEnd(9)} ${got.padEnd(10)} ${verdict}  ${paint(ctx.style, 'dim', `${clean(r.detail)} · ${(r.ms / 1000).toFixed(1)}s`)}`)
          },
        })
        const missed = results.filter((r) => !r.ok).length
        ctx.io.out(`${results.length} case(s): ${results.length - missed} as expected, ${missed} not`)
        ctx.exit(missed === 0 ? 0 : 1)
      } finally {
        if (tmp) {
          store.close()
          rmSync(tmp, { recursive: true, force: true })
        }
      }
    })
}
