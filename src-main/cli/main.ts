// `shipgate`: the command line over the same services as the desktop app, for engineers and CI.
import { Command, CommanderError, Option } from 'commander'
import type { RunDetail, RunVerdict } from '@shared/domain'
import { AppError, errorMessage, isAppError } from '../lib/errors'
import { defaultDbPath } from '../lib/paths'
import { Store } from '../store/store'
import { HistoryService } from '../services/history'
import { importPaths } from '../import/importer'
import { BUNDLE_FORMAT, importBundle } from '../report/bundle'
import { readFileSync, statSync } from 'node:fs'
import { type Style, clean, comparisonText, paint, runDetailText, runsTable, status } from './format'
import { runJson } from './json'
import { registerRunCommands, runService } from './commands'
import { registerCloudCommands } from './cloud'

export interface CliIo {
  out: (text: string) => void
  err: (text: string) => void
  env: NodeJS.ProcessEnv
  isTty: boolean
}

const defaultIo: CliIo = {
  out: (t) => process.stdout.write(t.endsWith('\n') ? t : `${t}\n`),
  err: (t) => process.stderr.write(t.endsWith('\n') ? t : `${t}\n`),
  env: process.env,
  isTty: Boolean(process.stdout.isTTY),
}

export interface CliContext {
  io: CliIo
  style: Style
  dbPath: () => string
  openStore: () => Store
}

/** Runs the CLI; resolves to the process exit code. */
export async function main(argv: string[], io: CliIo = defaultIo): Promise<number> {
  const program = new Command()
  let exitCode = 0
  const style: Style = { color: io.isTty && !io.env.NO_COLOR && io.env.TERM !== 'dumb' }
  const stores: Store[] = []
  const ctx: CliContext = {
    io,
    style,
    dbPath: () => (program.opts<{ db?: string }>().db ?? defaultDbPath(io.env)),
    openStore: () => {
      const store = Store.open(ctx.dbPath())
      stores.push(store)
      return store
    },
  }

  program
    .name('shipgate')
    .description('Shipgate Lab: run, keep and compare ai-memory ship-gate campaigns')
    .option('--db <file>', 'history database (default: $SHIPGATE_DB or the desktop app\'s database)')
    .showHelpAfterError()
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.out(s), writeErr: (s) => io.err(s) })

  program
    .command('import')
    .description('import ship-gate run folders (runs/<campaign_id>/*.json), a folder of them, or run bundles (.json)')
    .argument('<paths...>', 'run folders, folders of run folders, or a ship-gate checkout')
    .option('--insights <file>', 'run-insights.json with the three-audience narratives (found next to runs/ by default)')
    .option('--replace', 'replace runs already imported with different evidence')
    .option('--json', 'print the import report as JSON')
    .action((paths: string[], opts: { insights?: string; replace?: boolean; json?: boolean }) => {
      const store = ctx.openStore()
      const bundles = paths.filter(isBundleFile)
      for (const file of bundles) {
        const r = importBundle(store, JSON.parse(readFileSync(file, 'utf8')) as unknown)
        io.out(`${r.status.padEnd(9)} ${clean(r.runId)}  (bundle ${clean(file)})`)
      }
      const folders = paths.filter((p) => !bundles.includes(p))
      if (folders.length === 0) return
      const report = importPaths(store, folders, { ...(opts.insights ? { insightsFile: opts.insights } : {}), replace: Boolean(opts.replace) })
      const failed = report.results.filter((r) => r.status === 'failed')
      if (opts.json) io.out(JSON.stringify(report, null, 2))
      else {
        for (const r of report.results) {
          const what = r.status === 'failed' ? paint(style, 'bad', 'failed   ') : r.status.padEnd(9)
          const detail = r.status === 'failed' ? clean(r.error ?? '') : r.verdict ? status(style, r.verdict) : ''
          io.out(`${what} ${clean(r.id)}  ${detail}${r.annotated && r.status !== 'failed' ? paint(style, 'dim', '  + narrative') : ''}`)
        }
        const count = (s: string) => report.results.filter((r) => r.status === s).length
        io.out(
          `${report.results.length} run(s): ${count('imported')} imported, ${count('replaced')} replaced, ${count('unchanged')} unchanged, ${failed.length} failed${report.insightsFile ? ` · narratives from ${report.insightsFile}` : ''}`,
        )
      }
      if (failed.length) exitCode = 1
    })

  program
    .command('runs')
    .description('list the runs in the history, newest first')
    .option('--json', 'print JSON: [{id, verdict, phases:[{phase, status, checks}], warnings}]')
    .addOption(new Option('--verdict <verdict>', 'only runs with this verdict').choices(['pass', 'fail', 'incomplete']))
    .option('--campaign <name>', 'only runs of this campaign')
    .option('--version <version>', 'only runs of this ai-memory version or ref')
    .option('--search <text>', 'match run id, campaign or verdict line')
    .option('--limit <n>', 'at most n runs', (v) => Number.parseInt(v, 10))
    .action(async (opts: { json?: boolean; verdict?: RunVerdict; campaign?: string; version?: string; search?: string; limit?: number }) => {
      const store = ctx.openStore()
      await recoverQuietly(ctx, store)
      const history = new HistoryService(store)
      const runs = history.list({
        ...(opts.verdict ? { verdict: opts.verdict } : {}),
        ...(opts.campaign ? { campaign: opts.campaign } : {}),
        ...(opts.version ? { version: opts.version } : {}),
        ...(opts.search ? { search: opts.search } : {}),
        ...(opts.limit ? { limit: opts.limit } : {}),
      })
      if (opts.json) io.out(JSON.stringify(runs.map((r) => runJson(history.detail(r.id))), null, 2))
      else io.out(runsTable(style, runs))
    })

  program
    .command('show')
    .description('show one run: verdict, phases, checks with measured values, warnings, artifacts')
    .argument('<run>', 'run id (or a unique ending of it, e.g. final-r17)')
    .option('--json', 'print the run as JSON, with per-cycle chaos rows when recorded')
    .action(async (ref: string, opts: { json?: boolean }) => {
      const store = ctx.openStore()
      await recoverQuietly(ctx, store)
      const history = new HistoryService(store)
      const run: RunDetail = history.detail(ref)
      const note = store.annotations.latest(run.id)
      if (opts.json) io.out(JSON.stringify(runJson(run, { detail: true, store }), null, 2))
      else io.out(runDetailText(style, run, note?.annotation.headline || null))
    })

  program
    .command('compare')
    .description('compare two runs: checks that flipped, metrics that moved, metric definitions that differ')
    .argument('<runA>')
    .argument('<runB>')
    .option('--json', 'print the comparison as JSON')
    .action((a: string, b: string, opts: { json?: boolean }) => {
      const history = new HistoryService(ctx.openStore())
      const c = history.compare(a, b)
      if (opts.json) io.out(JSON.stringify({ ...c, a: c.a.id, b: c.b.id }, null, 2))
      else io.out(comparisonText(style, c))
    })

  registerRunCommands(program, ctx, (code) => {
    exitCode = Math.max(exitCode, code)
  })
  registerCloudCommands(program, ctx, (code) => {
    exitCode = Math.max(exitCode, code)
  })

  try {
    await program.parseAsync(argv, { from: 'node' })
  } catch (err) {
    exitCode = handleError(err, io, style)
  } finally {
    for (const s of stores) s.close()
  }
  return exitCode
}

/** Runs left `running` by a dead process are marked interrupted before anything lists them. */
async function recoverQuietly(ctx: CliContext, store: Store): Promise<void> {
  const reports = await runService(ctx, store, false).recoverInterrupted()
  for (const r of reports) ctx.io.err(`shipgate: ${r.runId} was interrupted (its process is gone); ${r.undone ? `${r.undone} pending journal entries ${r.teardownOk ? 'undone' : 'could NOT all be undone'}` : 'nothing to undo'}${r.cloud ? `; ${r.cloud}` : ''}`)
}

/** A file holding a run bundle (a folder is a ship-gate run folder). */
function isBundleFile(path: string): boolean {
  try {
    if (!statSync(path).isFile() || statSync(path).size > 512 * 1024 * 1024) return false
    const head = readFileSync(path, { encoding: 'utf8' }).slice(0, 200)
    return head.includes(`"format":"${BUNDLE_FORMAT}"`) || head.includes(`"format": "${BUNDLE_FORMAT}"`)
  } catch {
    return false
  }
}

function handleError(err: unknown, io: CliIo, style: Style): number {
  if (err instanceof CommanderError) {
    if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version' || err.code === 'commander.help') return 0
    return err.exitCode || 2
  }
  const prefix = paint(style, 'bad', 'shipgate: error:')
  if (isAppError(err)) {
    io.err(`${prefix} ${err.message}`)
    return err.code === 'BAD_INPUT' || err.code === 'BAD_REQUEST' || err.code === 'NOT_FOUND' || err.code === 'CAMPAIGN_INVALID' ? 2 : 1
  }
  io.err(`${prefix} ${errorMessage(err)}`)
  return 1
}

export { AppError }
