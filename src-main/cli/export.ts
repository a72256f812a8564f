// `shipgate export` and `narrative`: reports for people and for CI.
import type { Command } from 'commander'
import { AppError } from '../lib/errors'
import { llmFromEnv, rewriteDraft } from '../report/llm'
import type { ExportFormat } from '../services/exports'
import type { CliContext } from './context'
import { clean, paint } from './format'

export function registerExportCommands(program: Command, ctx: CliContext): void {
  program
    .command('export')
    .description('export a run as PDF (system Chromium), self-contained HTML, JUnit XML or a run bundle; or every run as a static site')
    .argument('[run]', 'run id (or a unique ending of it)')
    .option('--pdf <file>', 'PDF for leadership (cover, summary, charts, check lists, sha256 appendix)')
    .option('--html <path>', 'self-contained HTML file; with --all, a folder')
    .option('--junit <file>', 'JUnit XML: one test case per check, one per phase that did not pass, one for the verdict')
    .option('--bundle <file>', 'run bundle (run, evidence, narrative) another engineer imports')
    .option('--all', 'every run (with --html <dir>): pages plus an index')
    .action(async (ref: string | undefined, flags: { pdf?: string; html?: string; junit?: string; bundle?: string; all?: boolean }) => {
      const { exports } = ctx.services()
      if (flags.all) {
        if (!flags.html) throw new AppError('BAD_REQUEST', 'export --all needs --html <dir>')
        const r = exports.allHtml(flags.html)
        ctx.io.out(`wrote ${r.files} run page(s) and ${r.index}`)
        return
      }
      if (!ref) throw new AppError('BAD_REQUEST', 'name a run to export (or use --all --html <dir>)')
      const targets = (['html', 'junit', 'bundle', 'pdf'] as const).flatMap((f) => (flags[f] ? [[f, flags[f]] as [ExportFormat, string]] : []))
      if (targets.length === 0) throw new AppError('BAD_REQUEST', 'choose at least one of --pdf, --html, --junit, --bundle')
      for (const [format, path] of targets) ctx.io.out(`wrote ${await exports.write(ref, format, path)}`)
    })

  program
    .command('narrative')
    .description('draft the three-audience narrative of a run from its evidence (every sentence cites its checks)')
    .argument('<run>')
    .option('--llm', 'let the language model in SHIPGATE_LLM_URL / SHIPGATE_LLM_MODEL (/ SHIPGATE_LLM_KEY) rewrite it, under the same rules')
    .option('--save', 'store it with the run as a draft (a new version; earlier ones are kept)')
    .option('--json', 'print it as JSON with its citations')
    .action(async (ref: string, flags: { llm?: boolean; save?: boolean; json?: boolean }) => {
      const s = ctx.services()
      let draft = s.reports.draft(ref)
      let source: 'draft' | 'llm-draft' = 'draft'
      const provider = flags.llm ? llmFromEnv(ctx.io.env) : null
      if (flags.llm) {
        if (!provider) throw new AppError('BAD_REQUEST', '--llm needs SHIPGATE_LLM_URL and SHIPGATE_LLM_MODEL')
        draft = await rewriteDraft(draft, provider)
        source = 'llm-draft'
      }
      if (flags.save) s.store.annotations.add(draft.basedOn.runId, draft.annotation, source, source === 'draft' ? 'Shipgate Lab (rules)' : `language model ${provider?.model ?? ''}`, Date.now(), draft.citations)
      if (flags.json) {
        ctx.io.out(JSON.stringify(draft, null, 2))
        return
      }
      const a = draft.annotation
      const section = (title: string, text: string) => ctx.io.out(`${paint(ctx.style, 'bold', title)}\n${clean(text) || '—'}\n`)
      ctx.io.out(`${paint(ctx.style, 'warn', 'DRAFT')} drafted from the evidence of ${draft.basedOn.runId}${draft.basedOn.previousRunId ? `, compared with ${draft.basedOn.previousRunId}` : ''}\n`)
      section('Headline', a.headline)
      section('Verdict', a.verdictLine)
      section('What it tested', a.whatItTested)
      section('What it proved', a.whatItProved)
      section('Non-technical end users', a.forNonTechnical)
      section('C-level decision makers', a.forCLevel)
      section('Engineers & architects', a.forEngineers)
    })
}
