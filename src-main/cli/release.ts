// `shipgate release <version> --run R --out F`: ship-gate's release verdict file from a stored run.
import type { Command } from 'commander'
import { statusWord } from '@shared/status'
import { AppError } from '../lib/errors'
import { releaseVersion, writeRelease } from '../release/summary'
import { seriesReport } from '../soak/series'
import type { CliContext } from './context'
import { bringUpToDate } from './history'
import { clean, paint } from './format'

export function registerReleaseCommands(program: Command, ctx: CliContext): void {
  program
    .command('release')
    .description("write ship-gate's release verdict file (summary.json, validated by its releases/schema.json) from a stored run; exits 0 only for a PASS file")
    .argument('<version>', 'the release, e.g. v0.6.3')
    .requiredOption('--run <run>', 'the run that certifies it (id or unique ending)')
    .requiredOption('--out <file>', 'where to write summary.json (e.g. releases/v0.6.3/summary.json)')
    .option('--soak <series>', 'a soak series that must be PASS; its verdict and criteria go into the file')
    .option('--soak-expect <n>', "the soak's window (default: the count `soak run` was given)")
    .option('--allow-weakened', 'certify a run judged with weakened thresholds (written into the file)')
    .option('--force', 'replace an existing file')
    .action(async (versionText: string, opts: { run: string; out: string; soak?: string; soakExpect?: string; allowWeakened?: boolean; force?: boolean }) => {
      const version = releaseVersion(versionText)
      // A release is certified by the current rules: runs of an older evaluator are judged again first.
      await bringUpToDate(ctx)
      const s = ctx.services()
      const run = s.history.detail(opts.run)
      let soak = null
      if (opts.soak) {
        const expect = opts.soakExpect === undefined ? undefined : Number(opts.soakExpect)
        if (expect !== undefined && (!Number.isInteger(expect) || expect < 1)) throw new AppError('BAD_REQUEST', `--soak-expect ${JSON.stringify(opts.soakExpect)}: a whole number ≥ 1`)
        soak = seriesReport(s.store, ctx.dbPath(), opts.soak, expect === undefined ? {} : { expect })
      }
      const { file, summary } = writeRelease({ version, run, soak, allowWeakened: Boolean(opts.allowWeakened), generatedBy: 'shipgate release', now: Date.now() }, opts.out, { force: Boolean(opts.force) })
      const tone = summary.verdict === 'pass' ? 'good' : 'bad'
      ctx.io.out(`${paint(ctx.style, tone, statusWord(summary.verdict))} ${clean(summary.headline)}`)
      ctx.io.out(`wrote ${clean(file)} (validated against ship-gate's releases/schema.json)`)
      if (summary.release.allow_weakened) ctx.io.err(`shipgate: note: certified under weakened thresholds: ${summary.evidence.threshold_overrides.map(clean).join('; ')}`)
      ctx.exit(summary.verdict === 'pass' ? 0 : 1)
    })
}
