// `shipgate reconcile` and `shipgate costs`: cloud resources left behind, and what runs cost.
import { createInterface } from 'node:readline'
import type { Command } from 'commander'
import { fmtUsd } from '@shared/money'
import type { LeftoverCampaign } from '@shared/views'
import type { CliContext } from './context'
import { clean, fmtDuration, paint } from './format'

function leftoverLines(l: LeftoverCampaign): string[] {
  const deadline = l.deadlineAt === null ? 'no deadline' : l.pastDeadline ? 'PAST its dead-man deadline' : `deadline ${new Date(l.deadlineAt).toISOString().slice(0, 16)}Z`
  return [
    `${l.kind.padEnd(12)} ${clean(l.tag)}${l.runId ? ` (run ${clean(l.runId)})` : ''} · age ${fmtDuration(l.ageMs)} · ${fmtUsd(l.costSoFarUsd)} so far at ${fmtUsd(l.hourlyUsd)}/h · ${deadline}`,
    ...l.resources.map((r) => `    ${r.kind} ${clean(r.name)} (${clean(r.id)})`),
  ]
}

async function confirm(question: string): Promise<boolean> {
  if (!process.stdin.isTTY) return false
  const rl = createInterface({ input: process.stdin, output: process.stderr })
  const answer = await new Promise<string>((resolve) => rl.question(question, resolve))
  rl.close()
  return /^y(es)?$/i.test(answer.trim())
}

export function registerCloudCommands(program: Command, ctx: CliContext): void {
  program
    .command('reconcile')
    .description('list cloud resources (tagged shipgate, or in a kept Terraform state) that belong to no running campaign, and destroy them on confirmation; exits 0 only when nothing is left')
    .option('--yes', 'destroy without asking')
    .option('--expired', 'only campaigns past their dead-man deadline (safe for a scheduled job)')
    .option('--json', 'print the leftovers (and outcomes) as JSON')
    .action(async (opts: { yes?: boolean; expired?: boolean; json?: boolean }) => {
      const service = ctx.services().reconcile
      const { leftovers, errors } = await service.leftovers()
      const targets = opts.expired ? leftovers.filter((l) => l.pastDeadline) : leftovers
      for (const e of errors) ctx.io.err(`shipgate: cannot list ${clean(e)}`)
      const doListed = Boolean(ctx.io.env.DIGITALOCEAN_TOKEN)
      if (!doListed) ctx.io.err('shipgate: DIGITALOCEAN_TOKEN is not set: DigitalOcean resources were not listed')
      if (!opts.json) {
        // Say what was looked at: "nothing" over a listing that failed or was skipped is a false green.
        const scope = errors.length > 0 ? ' in what could be listed' : doListed ? '' : ' in the kept Terraform states'
        if (leftovers.length === 0) ctx.io.out(`nothing left behind${scope}`)
        for (const l of leftovers) for (const line of leftoverLines(l)) ctx.io.out(line)
      }
      let destroy = Boolean(opts.yes)
      if (!destroy && targets.length > 0 && !opts.json) destroy = await confirm(`Destroy ${targets.length} campaign(s)? [y/N] `)
      const outcomes: { tag: string; verified: boolean; message: string }[] = []
      if (destroy) {
        for (const l of targets) {
          const outcome = await service.destroyLeftover(l.kind, l.tag, { log: () => undefined, step: (_n, work) => work() }).catch((err: Error) => ({ verified: false, message: err.message }))
          outcomes.push({ tag: l.tag, verified: outcome.verified, message: outcome.message })
          if (!opts.json) ctx.io.out(`${outcome.verified ? paint(ctx.style, 'good', '✓') : paint(ctx.style, 'bad', '✗')} ${clean(l.tag)}: ${clean(outcome.message)}`)
        }
      } else if (targets.length > 0 && !opts.json) ctx.io.out(`${targets.length} campaign(s) left; run \`shipgate reconcile --yes\` to destroy them`)
      if (opts.json) ctx.io.out(JSON.stringify({ leftovers, destroyed: outcomes, errors }, null, 2))
      const left = leftovers.length - outcomes.filter((o) => o.verified).length
      ctx.exit(errors.length === 0 && left === 0 ? 0 : 1)
    })

  program
    .command('costs')
    .description('what launched runs cost in cloud resources, per campaign and per month')
    .option('--json', 'print as JSON')
    .action((opts: { json?: boolean }) => {
      const summary = ctx.services().reconcile.costs()
      if (opts.json) return ctx.io.out(JSON.stringify(summary, null, 2))
      if (summary.byCampaign.length === 0) return ctx.io.out('no launched run has a cloud cost yet')
      ctx.io.out(paint(ctx.style, 'bold', 'Per campaign'))
      for (const c of summary.byCampaign) ctx.io.out(`  ${clean(c.campaign).padEnd(32)} ${String(c.runs).padStart(4)} run(s)  ${fmtUsd(c.usd)}`)
      ctx.io.out(paint(ctx.style, 'bold', 'Per month'))
      for (const m of summary.byMonth) ctx.io.out(`  ${m.month.padEnd(32)} ${String(m.runs).padStart(4)} run(s)  ${fmtUsd(m.usd)}`)
      ctx.io.out(`Total ${fmtUsd(summary.totalUsd)}`)
    })
}
