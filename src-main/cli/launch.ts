// `shipgate run`, `demo`, `check`, `recover`, `selftest`: launching campaigns from the command line (and CI).
import { writeFileSync } from 'node:fs'
import { resolve } from 'node:path'
import type { Command } from 'commander'
import { type Campaign, campaignWarnings } from '@shared/campaign'
import { FAULT_CLASSES, HOST_ROLES, type FaultClass } from '@shared/domain'
import { AppError } from '../lib/errors'
import { loadCampaignFile } from '../services/campaign-service'
import { checkHosts } from '../services/hosts'
import { junitXml } from '../report/junit'
import type { CliContext } from './context'
import { clean, paint, runDetailText, status } from './format'
import { progressPrinter } from './progress'
import { runJson } from './json'

interface RunFlags {
  json?: string
  junit?: string
  verbose?: boolean
  acceptNewHostKey?: boolean
}

async function launch(ctx: CliContext, campaign: Campaign, flags: RunFlags): Promise<number> {
  const s = ctx.services({ acceptNewHostKey: Boolean(flags.acceptNewHostKey) })
  for (const w of campaignWarnings(campaign)) ctx.io.err(`shipgate: note: ${w}`)
  await s.runs.recoverInterrupted(progressPrinter(ctx.style, ctx.io.err, false))
  const ac = new AbortController()
  let interrupts = 0
  const onSigint = () => {
    interrupts++
    if (interrupts === 1) {
      ctx.io.err('shipgate: cancelling (tearing down faults and servers); press Ctrl-C again to stop at once')
      ac.abort()
    } else process.exit(130)
  }
  process.on('SIGINT', onSigint)
  try {
    const outcome = await s.runs.start(campaign, { signal: ac.signal, onEvent: progressPrinter(ctx.style, ctx.io.out, Boolean(flags.verbose)) })
    const detail = s.history.detail(outcome.runId)
    ctx.io.out('')
    ctx.io.out(runDetailText(ctx.style, detail, null))
    if (flags.json) writeFileSync(flags.json, `${JSON.stringify(runJson(detail, { detail: { annotation: null, cycles: s.reports.cycles(detail.id) } }), null, 2)}\n`)
    if (flags.junit) writeFileSync(flags.junit, junitXml(detail))
    ctx.io.out('')
    ctx.io.out(`${paint(ctx.style, 'bold', clean(outcome.runId))} ${status(ctx.style, detail.evaluation.verdict)} — stored in ${ctx.dbPath()}`)
    return detail.evaluation.verdict === 'pass' && outcome.state === 'completed' ? 0 : 1
  } finally {
    process.off('SIGINT', onSigint)
  }
}

function parseList<T extends string>(value: string, allowed: readonly T[], what: string): T[] {
  const items = value.split(',').map((v) => v.trim()).filter(Boolean)
  for (const i of items) if (!allowed.includes(i as T)) throw new AppError('BAD_REQUEST', `unknown ${what} ${JSON.stringify(i)} (known: ${allowed.join(', ')})`)
  return items as T[]
}

export function registerLaunchCommands(program: Command, ctx: CliContext): void {
  program
    .command('run')
    .description('run a campaign file (YAML or JSON): live progress, stored in the history; exits non-zero unless the verdict is pass')
    .argument('<campaign-file>')
    .option('--json <file>', 'write the run as JSON')
    .option('--junit <file>', 'write JUnit XML (one test case per check, one per phase, one for the verdict)')
    .option('--accept-new-host-key', 'trust and pin host keys seen for the first time')
    .option('-v, --verbose', 'print every log line of the hosts')
    .action(async (file: string, flags: RunFlags) => ctx.exit(await launch(ctx, loadCampaignFile(file), flags)))

  program
    .command('demo')
    .description('run the whole campaign against the built-in demo lab: simulated ai-memory nodes on this machine, no root, no network')
    .option('--phases <list>', 'phases to run, e.g. 1,2,3', '1,2,3,4')
    .option('--faults <list>', `fault classes of phase 4 (${FAULT_CLASSES.join(', ')})`)
    .option('--cycles <n>', 'chaos cycles per fault class', (v) => Number.parseInt(v, 10))
    .option('--writes <n>', 'writes per chaos cycle', (v) => Number.parseInt(v, 10))
    .option('--writes-per-agent <n>', 'phase-2 writes per agent (4 agents)', (v) => Number.parseInt(v, 10))
    .option('--memories <n>', 'phase-3 memories to migrate', (v) => Number.parseInt(v, 10))
    .option('--lab-dir <dir>', "where the demo lab's hosts keep their files (default: a new temporary folder)")
    .option('--json <file>', 'write the run as JSON')
    .option('--junit <file>', 'write JUnit XML')
    .option('-v, --verbose', 'print every log line')
    .action(async (flags: RunFlags & { phases: string; faults?: string; cycles?: number; writes?: number; writesPerAgent?: number; memories?: number; labDir?: string }) => {
      const phases = parseList(flags.phases, ['1', '2', '3', '4'] as const, 'phase').map(Number) as (1 | 2 | 3 | 4)[]
      const campaign = await ctx.services().campaigns.demo({
        phases,
        ...(flags.faults ? { faults: parseList(flags.faults, FAULT_CLASSES, 'fault class') as FaultClass[] } : {}),
        ...(flags.cycles ? { cycles: flags.cycles } : {}),
        ...(flags.writes ? { writesPerCycle: flags.writes } : {}),
        ...(flags.writesPerAgent ? { writesPerAgent: flags.writesPerAgent } : {}),
        ...(flags.memories ? { memories: flags.memories } : {}),
        ...(flags.labDir ? { baseDir: resolve(flags.labDir) } : {}),
      })
      ctx.exit(await launch(ctx, campaign, flags))
    })

  program
    .command('recover')
    .description('mark runs whose process died as interrupted, undo what their journal left pending (partitions, stopped peers, servers), and prove no process of theirs is left')
    .action(async () => {
      const reports = await ctx.services().runs.recoverInterrupted(progressPrinter(ctx.style, ctx.io.out, true))
      for (const r of reports) {
        ctx.io.out(`${clean(r.runId)}: interrupted; ${r.undone} journal entr${r.undone === 1 ? 'y' : 'ies'} ${r.teardownOk ? 'undone' : 'NOT all undone'}${r.cloud ? `; ${clean(r.cloud)}` : ''}`)
        for (const p of r.survivors) ctx.io.out(`  still running: ${clean(p)}`)
      }
      if (reports.length === 0) ctx.io.out('nothing to recover')
      ctx.exit(reports.every((r) => r.teardownOk) ? 0 : 1)
    })

  program
    .command('check')
    .description('test the SSH connection to every host of a campaign and the ai-memory binary on it')
    .argument('<campaign-file>')
    .option('--accept-new-host-key', 'trust and pin host keys seen for the first time')
    .action(async (file: string, flags: { acceptNewHostKey?: boolean }) => {
      const campaign = loadCampaignFile(file)
      const results = await checkHosts(campaign, ctx.services({ acceptNewHostKey: Boolean(flags.acceptNewHostKey) }).transportOptions)
      for (const role of HOST_ROLES) {
        const r = results[role]
        ctx.io.out(`${r.ok ? paint(ctx.style, 'good', '✓') : paint(ctx.style, 'bad', '✗')} ${role.padEnd(7)} ${clean(r.target)}  ${clean(r.ok ? `${r.hostname} · ${r.version ?? 'ai-memory not found'} · ${r.ms} ms` : (r.error ?? 'failed'))}`)
      }
      ctx.exit(HOST_ROLES.every((r) => results[r].ok) ? 0 : 1)
    })
}
