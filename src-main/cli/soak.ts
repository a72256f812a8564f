// `shipgate soak <series>` judges a soak series; `shipgate soak run <campaign>` runs one.
import { writeFileSync } from 'node:fs'
import { resolve } from 'node:path'
import type { Command } from 'commander'
import type { Campaign } from '@shared/campaign'
import { type SoakCriterion, type SoakEvent, type SoakOptions, type SoakReport, parseDuration } from '@shared/soak'
import { fmtUsd } from '@shared/money'
import { AppError } from '../lib/errors'
import { loadCampaignFile } from '../services/campaign-service'
import { seriesReport, soakDir } from '../soak/series'
import { SoakRunner } from '../soak/runner'
import type { CliContext } from './context'
import { bringUpToDate } from './history'
import { type Style, clean, fmtDuration, fmtTime, paint, status } from './format'
import { progressPrinter } from './progress'

const STATE_WORD: Record<SoakCriterion['state'], { word: string; tone: 'good' | 'bad' | 'warn' | 'none' }> = {
  pass: { word: '✓ PASS', tone: 'good' },
  fail: { word: '✗ FAIL', tone: 'bad' },
  unknown: { word: '? UNKNOWN', tone: 'warn' },
  not_applicable: { word: '– N/A', tone: 'none' },
  info: { word: 'ℹ INFO', tone: 'none' },
}

/** At most this many findings per criterion on the terminal (`--json` has them all). */
const FINDINGS_SHOWN = 8

export function soakReportText(style: Style, r: SoakReport): string {
  const lines: string[] = []
  lines.push(`${paint(style, 'bold', `soak ${clean(r.series)}`)}  ${status(style, r.verdict)}  ${r.runs} run(s): ${r.pass} pass, ${r.fail} fail, ${r.incomplete} incomplete`)
  lines.push('')
  for (const c of r.criteria) {
    const s = STATE_WORD[c.state]
    lines.push(`${paint(style, s.tone, s.word.padEnd(10))} ${clean(c.title)}${c.gating ? '' : paint(style, 'dim', ' (informational)')}`)
    lines.push(`           ${clean(c.summary)}`)
    for (const f of c.findings.slice(0, FINDINGS_SHOWN)) lines.push(paint(style, 'dim', `             ${clean(f.run)}: ${clean(f.why)}`))
    if (c.findings.length > FINDINGS_SHOWN) lines.push(paint(style, 'dim', `             … ${c.findings.length - FINDINGS_SHOWN} more (--json)`))
  }
  lines.push('')
  if (r.gaps.length === 0) lines.push('No stretch of runs without evidence.')
  for (const g of r.gaps) {
    const span = g.first === g.last ? clean(g.first) : `${clean(g.first)} … ${clean(g.last)}`
    lines.push(`Without evidence: ${span} (${g.runs} run(s)${g.missing.length ? `, ${g.missing.length} absent from the history` : ''})`)
  }
  const flaky = r.flips.filter((f) => f.flaky)
  const flipping = r.flips.filter((f) => f.flips > 0)
  lines.push(`${flipping.length} check(s) changed status between consecutive runs; ${flaky.length} flaky (≥ 2 changes)`)
  for (const f of flipping.slice(0, FINDINGS_SHOWN)) lines.push(`  ${f.flaky ? paint(style, 'warn', 'flaky') : '     '} ${clean(f.key)}: ${f.flips} flip(s) in ${f.observations} runs (${(f.rate * 100).toFixed(0)} %)`)
  return lines.join('\n')
}

function soakOptions(opts: { expect?: string; baseline?: string; costEnvelope?: string }): SoakOptions {
  const out: SoakOptions = {}
  if (opts.expect !== undefined) {
    const n = Number(opts.expect)
    if (!Number.isInteger(n) || n < 1) throw new AppError('BAD_REQUEST', `--expect ${JSON.stringify(opts.expect)}: a whole number of runs ≥ 1`)
    out.expect = n
  }
  if (opts.baseline !== undefined) {
    const ms = parseDuration(opts.baseline)
    if (ms === null || ms <= 0) throw new AppError('BAD_REQUEST', `--baseline ${JSON.stringify(opts.baseline)}: a duration such as 14m or 13m30s`)
    out.baselineMs = ms
  }
  if (opts.costEnvelope !== undefined) {
    const usd = Number(opts.costEnvelope.replace(/^\$/, ''))
    if (!Number.isFinite(usd) || usd <= 0) throw new AppError('BAD_REQUEST', `--cost-envelope ${JSON.stringify(opts.costEnvelope)}: US dollars per run, e.g. 0.12`)
    out.costEnvelopeUsd = usd
  }
  return out
}

function soakEventLine(style: Style, e: SoakEvent): string | null {
  switch (e.type) {
    case 'soak-started':
      return paint(style, 'bold', `soak ${clean(e.series)}: ${e.count} run(s) every ${fmtDuration(e.everyMs)}${e.resumed ? `, resuming at r${e.nextIndex}` : ''}`)
    case 'waiting':
      return `[soak] next run at ${fmtTime(e.until)} (Ctrl-C stops now)`
    case 'run-started':
      return `[soak] run ${e.index} starting (Ctrl-C: stop after this run; twice: cancel it)`
    case 'run-finished':
      return `[soak] ${clean(e.runId)} ${status(style, e.verdict)} (${e.state})`
    case 'stopping':
      return e.how === 'after-run' ? 'shipgate: stopping the soak after the current run (its teardown included); Ctrl-C again cancels the run' : 'shipgate: cancelling the current run (tearing down); Ctrl-C again exits at once'
    case 'soak-ended':
      return `[soak] ${e.outcome}: ${clean(e.message)}`
  }
}

/**
 * `soak run`'s exit code: 1 when any run of the series is not PASS (the soak cannot be green), else
 * 130 when it was stopped before the window was done, else 0.
 */
export function soakRunExitCode(report: Pick<SoakReport, 'runs' | 'pass'>, outcome: 'completed' | 'stopped' | 'cancelled'): number {
  if (report.pass < report.runs) return 1
  return outcome === 'completed' ? 0 : 130
}

interface RunFlags {
  count: string
  every: string
  series?: string
  report?: string
  verbose?: boolean
  acceptNewHostKey?: boolean
  phases?: string
  labDir?: string
}

async function loadSoakCampaign(ctx: CliContext, ref: string, flags: RunFlags): Promise<Campaign> {
  if (ref !== 'demo') return loadCampaignFile(ref)
  const phases = (flags.phases ?? '1,2,3,4').split(',').map((p) => Number(p.trim()))
  if (phases.some((p) => ![1, 2, 3, 4].includes(p))) throw new AppError('BAD_REQUEST', `--phases ${JSON.stringify(flags.phases)}: phases 1 to 4, e.g. 1,2`)
  return ctx.services().campaigns.demo({ phases: phases as (1 | 2 | 3 | 4)[], ...(flags.labDir ? { baseDir: resolve(flags.labDir) } : {}) })
}

export function registerSoakCommands(program: Command, ctx: CliContext): void {
  const soak = program
    .command('soak')
    .description("judge a soak series (runs <series>-r<k>) against ship-gate's soak criteria; exits 0 only on PASS")
    .argument('<series>', 'the series id (the campaign name of its runs, e.g. soak-v0.6.0)')
    .option('--json', 'print JSON: {series, runs, pass, fail, incomplete, verdict, criteria[], gaps[], flips[]}')
    .option('--expect <n>', 'the window: how many runs the soak should have (default: the count `soak run` was given)')
    .option('--baseline <duration>', 'wall-clock baseline, e.g. 14m (default: the first passing run with a recorded duration)')
    .option('--cost-envelope <usd>', "cost envelope per run in USD (default: 1.5 × the first passing run's cost)")
    .action(async (series: string, opts: { json?: boolean; expect?: string; baseline?: string; costEnvelope?: string }) => {
      const options = soakOptions(opts)
      // Judged by the current rules: runs of an older evaluator are judged again first.
      await bringUpToDate(ctx)
      const { report } = seriesReport(ctx.services().store, ctx.dbPath(), series, options)
      ctx.io.out(opts.json ? JSON.stringify(report, null, 2) : soakReportText(ctx.style, report))
      ctx.exit(report.verdict === 'pass' ? 0 : 1)
    })

  soak
    .command('run')
    .description('run a campaign file (or `demo`) again and again as a soak: runs <series>-r<k>, resumable, one at a time per series')
    .argument('<campaign>', 'a campaign file (YAML or JSON), or `demo` for the built-in demo lab')
    .requiredOption('--count <n>', 'how many runs the soak has (84 for 14 days every 4 h)')
    .requiredOption('--every <duration>', 'the cadence: a run starts at most this often, e.g. 4h, 30m, 0s')
    .option('--series <id>', "the series id (default: the campaign's name)")
    .option('--report <file>', 'write the soak report (JSON) at the end')
    .option('--phases <list>', 'with `demo`: the phases to run, e.g. 1,2')
    .option('--lab-dir <dir>', "with `demo`: where the demo lab's hosts keep their files")
    .option('--accept-new-host-key', 'trust and pin host keys seen for the first time')
    .option('-v, --verbose', 'print every log line of the hosts')
    .action(async (ref: string, flags: RunFlags) => {
      const count = Number(flags.count)
      const everyMs = parseDuration(flags.every)
      if (!Number.isInteger(count) || count < 1) throw new AppError('BAD_REQUEST', `--count ${JSON.stringify(flags.count)}: a whole number ≥ 1`)
      if (everyMs === null) throw new AppError('BAD_REQUEST', `--every ${JSON.stringify(flags.every)}: a duration such as 4h, 30m or 0s`)
      const campaign = await loadSoakCampaign(ctx, ref, flags)
      const s = ctx.services({ acceptNewHostKey: Boolean(flags.acceptNewHostKey) })
      await s.runs.recoverInterrupted(progressPrinter(ctx.style, ctx.io.err, false))
      const runner = new SoakRunner({ dir: soakDir(ctx.dbPath()), start: (c, o) => s.runs.start(c, o), runIds: (series) => s.store.runs.idsOfCampaign(series) })
      let interrupts = 0
      const onSigint = () => {
        // Third Ctrl-C: leave now; the lock goes stale and `shipgate recover` cleans the run.
        if (++interrupts >= 3) process.exit(130)
        runner.stop()
      }
      process.on('SIGINT', onSigint)
      let result
      try {
        result = await runner.run(campaign, {
          count,
          everyMs,
          ...(flags.series ? { series: flags.series } : {}),
          onEvent: (e) => {
            const line = soakEventLine(ctx.style, e)
            if (line) (e.type === 'stopping' ? ctx.io.err : ctx.io.out)(line)
          },
          onProgress: progressPrinter(ctx.style, ctx.io.out, Boolean(flags.verbose)),
        })
      } finally {
        process.off('SIGINT', onSigint)
      }
      const { report } = seriesReport(s.store, ctx.dbPath(), result.series)
      if (flags.report) writeFileSync(flags.report, `${JSON.stringify(report, null, 2)}\n`)
      ctx.io.out('')
      ctx.io.out(soakReportText(ctx.style, report))
      const cost = result.runs.length ? s.store.runs.list({ campaign: result.series }).reduce((sum, r) => sum + (r.costUsd ?? 0), 0) : 0
      if (cost > 0) ctx.io.out(`cloud cost of the series so far: ${fmtUsd(cost)}`)
      ctx.exit(soakRunExitCode(report, result.outcome))
    })
}
