// `shipgate run`, `demo`, `check`: launching campaigns from the command line (and CI).
import { writeFileSync } from 'node:fs'
import { createInterface } from 'node:readline'
import type { Command } from 'commander'
import type { Campaign } from '@shared/campaign'
import { FAULT_CLASSES, HOST_ROLES, type FaultClass } from '@shared/domain'
import { demoCampaign } from '../demo/demo'
import { AppError } from '../lib/errors'
import { loadCampaignFile } from '../services/campaigns'
import { HistoryService } from '../services/history'
import { RunService } from '../services/runs'
import { checkHosts } from '../services/hosts'
import { junitXml } from '../report/junit'
import type { ApproveHostKey } from '../transport/ssh/host-keys'
import type { AskPassphrase } from '../transport/ssh/credentials'
import { defaultKnownHostsFiles, type TransportOptions } from '../engine/transports'
import type { CliContext } from './main'
import { clean, paint, runDetailText, status } from './format'
import { progressPrinter } from './progress'
import { runJson } from './json'
import { ExportService } from '../services/exports'
import { ReportService } from '../services/reports'
import { llmFromEnv, rewriteDraft } from '../report/llm'
import { runSelftest, SELFTEST_CASES } from '../selftest/selftest'
import { Store } from '../store/store'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { DEFAULT_ENGINES } from '../engine/engines'
import { ProvisionService } from '../services/provisions'

function approver(ctx: CliContext, accept: boolean): ApproveHostKey {
  return async (p) => {
    if (accept) {
      ctx.io.err(`shipgate: trusting the new host key of ${p.host}:${p.port}: ${p.keyType} ${p.fingerprint} (--accept-new-host-key)`)
      return true
    }
    return false
  }
}

/** Passphrases come from SHIPGATE_SSH_PASSPHRASE or a prompt on the terminal; never echoed or logged. */
function passphraseAsker(ctx: CliContext): AskPassphrase {
  return async (keyPath, attempt) => {
    if (ctx.io.env.SHIPGATE_SSH_PASSPHRASE && attempt === 1) return ctx.io.env.SHIPGATE_SSH_PASSPHRASE
    if (!process.stdin.isTTY) return null
    return new Promise((resolve) => {
      const rl = createInterface({ input: process.stdin, output: process.stderr, terminal: true })
      const write = (rl as unknown as { _writeToOutput: (s: string) => void })._writeToOutput.bind(rl)
      ;(rl as unknown as { _writeToOutput: (s: string) => void })._writeToOutput = (s: string) => write(s.includes('Passphrase') ? s : '')
      rl.question(`Passphrase for ${keyPath}: `, (answer) => {
        rl.close()
        process.stderr.write('\n')
        resolve(answer)
      })
    })
  }
}

/** SSH options of the CLI: the user's known_hosts plus SHIPGATE_KNOWN_HOSTS (colon-separated files). */
export function transportOptions(ctx: CliContext, acceptNew: boolean): TransportOptions {
  const extra = (ctx.io.env.SHIPGATE_KNOWN_HOSTS ?? '').split(':').filter(Boolean)
  return { approveHostKey: approver(ctx, acceptNew), askPassphrase: passphraseAsker(ctx), knownHostsFiles: [...defaultKnownHostsFiles(), ...extra] }
}

/** Provisioning on the command line: the token comes from DIGITALOCEAN_TOKEN, the state lives next to the database. */
export function provisionService(ctx: CliContext, store: Store): ProvisionService {
  const env = ctx.io.env
  return new ProvisionService({
    store,
    terraformRoot: join(dirname(ctx.dbPath()), 'terraform'),
    token: () => env.DIGITALOCEAN_TOKEN?.trim() || null,
    ...(env.SHIPGATE_DIGITALOCEAN_API ? { apiUrl: env.SHIPGATE_DIGITALOCEAN_API } : {}),
    ...(env.SHIPGATE_TERRAFORM ? { terraform: env.SHIPGATE_TERRAFORM } : {}),
  })
}

export function runService(ctx: CliContext, store: Store, acceptNewHostKey: boolean): RunService {
  return new RunService(store, transportOptions(ctx, acceptNewHostKey), DEFAULT_ENGINES, provisionService(ctx, store))
}

interface RunFlags {
  json?: string
  junit?: string
  verbose?: boolean
  acceptNewHostKey?: boolean
}

async function launch(ctx: CliContext, campaign: Campaign, flags: RunFlags): Promise<number> {
  const store = ctx.openStore()
  const service = runService(ctx, store, Boolean(flags.acceptNewHostKey))
  await service.recoverInterrupted(progressPrinter(ctx.style, ctx.io.err, false))
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
    const outcome = await service.start(campaign, { signal: ac.signal, onEvent: progressPrinter(ctx.style, ctx.io.out, Boolean(flags.verbose)) })
    const history = new HistoryService(store)
    const detail = history.detail(outcome.runId)
    ctx.io.out('')
    ctx.io.out(runDetailText(ctx.style, detail, null))
    if (flags.json) writeFileSync(flags.json, `${JSON.stringify(runJson(detail, { detail: true, store }), null, 2)}\n`)
    if (flags.junit) writeFileSync(flags.junit, junitXml(detail))
    ctx.io.out('')
    ctx.io.out(`${paint(ctx.style, 'bold', clean(outcome.runId))} ${status(ctx.style, detail.evaluation.verdict)} — stored in ${ctx.dbPath()}`)
    return detail.evaluation.verdict === 'pass' && outcome.state === 'completed' ? 0 : 1
  } finally {
    process.off('SIGINT', onSigint)
  }
}

function parseList<T extends string>(value: string, allowed: readonly T[], what: string): T[] {
  const items = value.split(',').map((s) => s.trim()).filter(Boolean)
  for (const i of items) if (!allowed.includes(i as T)) throw new AppError('BAD_REQUEST', `unknown ${what} ${JSON.stringify(i)} (known: ${allowed.join(', ')})`)
  return items as T[]
}

export function registerRunCommands(program: Command, ctx: CliContext, exit: (code: number) => void): void {
  program
    .command('run')
    .description('run a campaign file (YAML or JSON): live progress, stored in the history; exits non-zero unless the verdict is pass')
    .argument('<campaign-file>')
    .option('--json <file>', 'write the run as JSON')
    .option('--junit <file>', 'write JUnit XML (one test case per check)')
    .option('--accept-new-host-key', 'trust and pin host keys seen for the first time')
    .option('-v, --verbose', 'print every log line of the hosts')
    .action(async (file: string, flags: RunFlags) => exit(await launch(ctx, loadCampaignFile(file), flags)))

  program
    .command('demo')
    .description('run the whole campaign against the built-in demo lab: simulated ai-memory nodes on this machine, no root, no network')
    .option('--phases <list>', 'phases to run, e.g. 1,2,3', '1,2,3,4')
    .option('--faults <list>', `fault classes of phase 4 (${FAULT_CLASSES.join(', ')})`)
    .option('--cycles <n>', 'chaos cycles per fault class', (v) => Number.parseInt(v, 10))
    .option('--writes <n>', 'writes per chaos cycle', (v) => Number.parseInt(v, 10))
    .option('--writes-per-agent <n>', 'phase-2 writes per agent (4 agents)', (v) => Number.parseInt(v, 10))
    .option('--memories <n>', 'phase-3 memories to migrate', (v) => Number.parseInt(v, 10))
    .option('--json <file>', 'write the run as JSON')
    .option('--junit <file>', 'write JUnit XML')
    .option('-v, --verbose', 'print every log line')
    .action(async (flags: RunFlags & { phases: string; faults?: string; cycles?: number; writes?: number; writesPerAgent?: number; memories?: number }) => {
      const phases = parseList(flags.phases, ['1', '2', '3', '4'] as const, 'phase').map(Number) as (1 | 2 | 3 | 4)[]
      const campaign = await demoCampaign({
        phases,
        ...(flags.faults ? { faults: parseList(flags.faults, FAULT_CLASSES, 'fault class') as FaultClass[] } : {}),
        ...(flags.cycles ? { cycles: flags.cycles } : {}),
        ...(flags.writes ? { writesPerCycle: flags.writes } : {}),
        ...(flags.writesPerAgent ? { writesPerAgent: flags.writesPerAgent } : {}),
        ...(flags.memories ? { memories: flags.memories } : {}),
      })
      exit(await launch(ctx, campaign, flags))
    })

  program
    .command('selftest')
    .description('prove the gate can fail: every phase against a healthy simulator (must pass) and against each bug switch (the guarding check must fail)')
    .option('--phase <n>', 'only the cases of one phase', (v) => Number.parseInt(v, 10))
    .option('--keep', 'keep the self-test runs in the history database (default: a temporary one)')
    .action(async (flags: { phase?: number; keep?: boolean }) => {
      const tmp = flags.keep ? null : mkdtempSync(join(tmpdir(), 'shipgate-selftest-'))
      const store = tmp ? Store.open(join(tmp, 'selftest.sqlite')) : ctx.openStore()
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
        exit(missed === 0 ? 0 : 1)
      } finally {
        if (tmp) {
          store.close()
          rmSync(tmp, { recursive: true, force: true })
        }
      }
    })

  program
    .command('export')
    .description('export a run as PDF (system Chromium), self-contained HTML, JUnit XML or a run bundle; or every run as a static site')
    .argument('[run]', 'run id (or a unique ending of it)')
    .option('--pdf <file>', 'PDF for leadership (cover, summary, charts, check lists, sha256 appendix)')
    .option('--html <path>', 'self-contained HTML file; with --all, a folder')
    .option('--junit <file>', 'JUnit XML, one test case per check')
    .option('--bundle <file>', 'run bundle (run, evidence, narrative) another engineer imports')
    .option('--all', 'every run (with --html <dir>): pages plus an index')
    .action(async (ref: string | undefined, flags: { pdf?: string; html?: string; junit?: string; bundle?: string; all?: boolean }) => {
      const store = ctx.openStore()
      const exporter = new ExportService(store)
      if (flags.all) {
        if (!flags.html) throw new AppError('BAD_REQUEST', 'export --all needs --html <dir>')
        const r = exporter.allHtml(flags.html)
        ctx.io.out(`wrote ${r.files} run page(s) and ${r.index}`)
        return
      }
      if (!ref) throw new AppError('BAD_REQUEST', 'name a run to export (or use --all --html <dir>)')
      if (!flags.pdf && !flags.html && !flags.junit && !flags.bundle) throw new AppError('BAD_REQUEST', 'choose at least one of --pdf, --html, --junit, --bundle')
      if (flags.html) writeFileSync(flags.html, exporter.html(ref))
      if (flags.junit) writeFileSync(flags.junit, exporter.junit(ref))
      if (flags.bundle) writeFileSync(flags.bundle, exporter.bundle(ref))
      if (flags.pdf) await exporter.pdf(ref, flags.pdf)
      for (const f of [flags.html, flags.junit, flags.bundle, flags.pdf]) if (f) ctx.io.out(`wrote ${f}`)
    })

  program
    .command('narrative')
    .description('draft the three-audience narrative of a run from its evidence (every sentence cites its checks)')
    .argument('<run>')
    .option('--llm', 'let the language model in SHIPGATE_LLM_URL / SHIPGATE_LLM_MODEL (/ SHIPGATE_LLM_KEY) rewrite it, under the same rules')
    .option('--save', 'store it with the run as a draft (a new version; earlier ones are kept)')
    .option('--json', 'print it as JSON with its citations')
    .action(async (ref: string, flags: { llm?: boolean; save?: boolean; json?: boolean }) => {
      const store = ctx.openStore()
      let draft = new ReportService(store).draft(ref)
      let source: 'draft' | 'llm-draft' = 'draft'
      if (flags.llm) {
        const provider = llmFromEnv(ctx.io.env)
        if (!provider) throw new AppError('BAD_REQUEST', '--llm needs SHIPGATE_LLM_URL and SHIPGATE_LLM_MODEL')
        draft = await rewriteDraft(draft, provider)
        source = 'llm-draft'
      }
      if (flags.save) store.annotations.add(draft.basedOn.runId, draft.annotation, source, source === 'draft' ? 'Shipgate Lab (rules)' : `language model ${llmFromEnv(ctx.io.env)?.model ?? ''}`, Date.now(), draft.citations)
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

  program
    .command('recover')
    .description('mark runs whose process died as interrupted and undo what their journal left pending (partitions, stopped peers, servers)')
    .action(async () => {
      const service = runService(ctx, ctx.openStore(), false)
      const reports = await service.recoverInterrupted(progressPrinter(ctx.style, ctx.io.out, true))
      for (const r of reports) ctx.io.out(`${clean(r.runId)}: interrupted; ${r.undone} journal entr${r.undone === 1 ? 'y' : 'ies'} ${r.teardownOk ? 'undone' : 'NOT all undone'}${r.cloud ? `; ${clean(r.cloud)}` : ''}`)
      if (reports.length === 0) ctx.io.out('nothing to recover')
      exit(reports.every((r) => r.teardownOk) ? 0 : 1)
    })

  program
    .command('check')
    .description('test the SSH connection to every host of a campaign and the ai-memory binary on it')
    .argument('<campaign-file>')
    .option('--accept-new-host-key', 'trust and pin host keys seen for the first time')
    .action(async (file: string, flags: { acceptNewHostKey?: boolean }) => {
      const campaign = loadCampaignFile(file)
      const store = ctx.openStore()
      const results = await checkHosts(campaign, { knownHosts: store.knownHosts, ...transportOptions(ctx, Boolean(flags.acceptNewHostKey)) })
      for (const role of HOST_ROLES) {
        const r = results[role]
        ctx.io.out(`${r.ok ? paint(ctx.style, 'good', '✓') : paint(ctx.style, 'bad', '✗')} ${role.padEnd(7)} ${clean(r.target)}  ${clean(r.ok ? `${r.hostname} · ${r.version ?? 'ai-memory not found'} · ${r.ms} ms` : r.error ?? 'failed')}`)
      }
      exit(HOST_ROLES.every((r) => results[r].ok) ? 0 : 1)
    })
}

