// `shipgate import`, `runs`, `show`, `compare`: the history.
import { Option, type Command } from 'commander'
import type { RunVerdict } from '@shared/domain'
import type { CliContext } from './context'
import { clean, comparisonText, paint, runDetailText, runsTable, status } from './format'
import { runJson } from './json'

/** Before anything lists runs: runs judged by an older evaluator are judged again, and crashed runs recovered. */
export async function bringUpToDate(ctx: CliContext): Promise<void> {
  const s = ctx.services()
  const rejudged = s.rejudge()
  if (rejudged > 0) ctx.io.err(`shipgate: ${rejudged} run(s) judged again by the current evaluator (earlier verdicts kept in their history)`)
  for (const r of await s.runs.recoverInterrupted()) {
    const what = r.undone ? `${r.undone} pending journal entries ${r.teardownOk ? 'undone' : 'could NOT all be undone'}` : 'nothing to undo'
    ctx.io.err(`shipgate: ${clean(r.runId)} was interrupted (its process is gone); ${what}${r.survivors.length ? `; still running: ${clean(r.survivors.join('; '))}` : ''}${r.cloud ? `; ${clean(r.cloud)}` : ''}`)
  }
}

export function registerHistoryCommands(program: Command, ctx: CliContext): void {
  program
    .command('import')
    .description('import ship-gate run folders (runs/<campaign_id>/*.json), a folder of them, a ship-gate checkout, or run bundles (.json)')
    .argument('<paths...>', 'run folders, folders of run folders, a ship-gate checkout, or run bundle files')
    .option('--insights <file>', 'run-insights.json with the three-audience narratives (found next to runs/ by default)')
    .option('--replace', 'replace runs already imported with different evidence')
    .option('--json', 'print the import report as JSON')
    .action((paths: string[], opts: { insights?: string; replace?: boolean; json?: boolean }) => {
      const report = ctx.services().imports.import(paths, { ...(opts.insights ? { insightsFile: opts.insights } : {}), replace: Boolean(opts.replace) })
      const failed = report.results.filter((r) => r.status === 'failed')
      if (opts.json) ctx.io.out(JSON.stringify(report, null, 2))
      else {
        for (const r of report.results) {
          const what = r.status === 'failed' ? paint(ctx.style, 'bad', 'failed   ') : r.status.padEnd(9)
          const detail = r.status === 'failed' ? clean(r.error ?? '') : r.verdict ? status(ctx.style, r.verdict) : ''
          const from = r.kind === 'bundle' ? paint(ctx.style, 'dim', `  (bundle ${clean(r.path)})`) : ''
          const restored = r.restored ? paint(ctx.style, 'dim', '  + published record') : ''
          const note = r.note ? paint(ctx.style, 'dim', `  (${clean(r.note)})`) : ''
          ctx.io.out(`${what} ${clean(r.id)}  ${detail}${r.annotated && r.status !== 'failed' ? paint(ctx.style, 'dim', '  + narrative') : ''}${restored}${from}${note}`)
        }
        const count = (s: string) => report.results.filter((r) => r.status === s).length
        ctx.io.out(
          `${report.results.length} run(s): ${count('imported')} imported, ${count('replaced')} replaced, ${count('unchanged')} unchanged, ${failed.length} failed${report.insightsFile ? ` · narratives from ${clean(report.insightsFile)}` : ''}`,
        )
      }
      if (failed.length) ctx.exit(1)
    })

  program
    .command('runs')
    .description('list the runs in the history, newest first')
    .option('--json', 'print JSON: [{id, verdict, simulated, phases:[{phase, status, checks}], warnings}]')
    .addOption(new Option('--verdict <verdict>', 'only runs with this verdict').choices(['pass', 'fail', 'incomplete']))
    .option('--campaign <name>', 'only runs of this campaign')
    .option('--version <version>', 'only runs of this ai-memory version or ref')
    .option('--search <text>', 'match run id, campaign or verdict line')
    .option('--simulated', 'only runs against the simulated ai-memory')
    .option('--real', 'only runs against a real ai-memory')
    .option('--limit <n>', 'at most n runs', (v) => Number.parseInt(v, 10))
    .action(async (opts: { json?: boolean; verdict?: RunVerdict; campaign?: string; version?: string; search?: string; simulated?: boolean; real?: boolean; limit?: number }) => {
      await bringUpToDate(ctx)
      const { history } = ctx.services()
      const runs = history.list({
        ...(opts.verdict ? { verdict: opts.verdict } : {}),
        ...(opts.campaign ? { campaign: opts.campaign } : {}),
        ...(opts.version ? { version: opts.version } : {}),
        ...(opts.search ? { search: opts.search } : {}),
        ...(opts.simulated ? { simulated: true } : opts.real ? { simulated: false } : {}),
        ...(opts.limit ? { limit: opts.limit } : {}),
      })
      if (opts.json) ctx.io.out(JSON.stringify(runs.map((r) => runJson(history.detail(r.id))), null, 2))
      else ctx.io.out(runsTable(ctx.style, runs))
    })

  program
    .command('show')
    .description('show one run: verdict, phases, checks with measured values, warnings, artifacts')
    .argument('<run>', 'run id (or a unique ending of it, e.g. final-r17)')
    .option('--json', 'print the run as JSON, with per-cycle chaos rows when recorded')
    .action(async (ref: string, opts: { json?: boolean }) => {
      await bringUpToDate(ctx)
      const s = ctx.services()
      const run = s.history.detail(ref)
      const note = s.store.annotations.latest(run.id)
      if (opts.json) ctx.io.out(JSON.stringify(runJson(run, { detail: { annotation: note, cycles: s.reports.cycles(run.id) } }), null, 2))
      else ctx.io.out(runDetailText(ctx.style, run, note?.annotation.headline || null))
    })

  program
    .command('compare')
    .description('compare two runs: checks that flipped, metrics that moved, metric definitions and threshold sets that differ')
    .argument('<runA>')
    .argument('<runB>')
    .option('--json', 'print the comparison as JSON')
    .action((a: string, b: string, opts: { json?: boolean }) => {
      const c = ctx.services().history.compare(a, b)
      if (opts.json) ctx.io.out(JSON.stringify({ ...c, a: c.a.id, b: c.b.id }, null, 2))
      else ctx.io.out(comparisonText(ctx.style, c))
    })
}
