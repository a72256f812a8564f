// `shipgate publish`: a run into the team's evidence repo (runs/<id>/ in ship-gate's layout).
import type { Command } from 'commander'
import { publishRun } from '../publish/publish'
import type { CliContext } from './context'
import { clean, status } from './format'

export function registerPublishCommands(program: Command, ctx: CliContext): void {
  program
    .command('publish')
    .description("write a run into the team's evidence repo as runs/<id>/ (ship-gate's layout: every artifact, campaign-summary.json, the log, shipgate-run.json); `shipgate import <repo>` reads it back")
    .argument('<run>', 'run id (or a unique ending of it)')
    .requiredOption('--to <dir>', "the evidence repo's checkout (runs/<id>/ is written in it)")
    .option('--git', 'commit the run folder (and nothing else) with a message naming the verdict')
    .option('--replace', 'overwrite a folder of the same name that holds another run')
    .option('--json', 'print {runId, verdict, folder, files:[{name, sha256, sizeBytes, written}], changed, commit}')
    .action((ref: string, opts: { to: string; git?: boolean; replace?: boolean; json?: boolean }) => {
      const s = ctx.services()
      const runId = s.history.resolve(ref)
      const r = publishRun(s.store, runId, { to: opts.to, git: Boolean(opts.git), replace: Boolean(opts.replace) }, ctx.io.env)
      if (opts.json) {
        ctx.io.out(JSON.stringify(r, null, 2))
        return
      }
      const what = r.changed ? `published ${r.files.filter((f) => f.written).length} file(s) of ${r.files.length}` : 'already published, nothing changed'
      ctx.io.out(`${clean(r.runId)}  ${status(ctx.style, r.verdict)}  ${what} in ${clean(r.folder)}${r.commit ? ` · commit ${r.commit.slice(0, 12)}` : opts.git && !r.changed ? ' · no commit' : ''}`)
    })
}
