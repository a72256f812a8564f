// The simulated ai-memory's command line: the clap surface of v0.6.0 (main.rs:67-460) as
// node:util.parseArgs specs, one per subcommand, strict like clap. An option the real binary does
// not take on that subcommand is refused here too, so an engine that passes one fails in the demo
// exactly as it would on a droplet (for example `serve --tier`: serve has no such flag).
import { parseArgs, type ParseArgsConfig } from 'node:util'

type Options = NonNullable<ParseArgsConfig['options']>
type ParseArgsOptionDescriptor = Options[string]

const text = (short?: string): ParseArgsOptionDescriptor => ({ type: 'string', ...(short ? { short } : {}) })
const flag = (short?: string): ParseArgsOptionDescriptor => ({ type: 'boolean', ...(short ? { short } : {}) })
const list = (): ParseArgsOptionDescriptor => ({ type: 'string', multiple: true })

/** Cli's `global = true` arguments (main.rs:73-96): accepted before or after the subcommand. */
const GLOBAL: Options = { db: text(), json: flag(), 'agent-id': text(), 'db-passphrase-file': text() }

interface CommandSpec {
  options: Options
  /** Required options and positionals, in clap's order, as clap names them in its usage line. */
  required?: string[]
  /** The positional argument, if the subcommand takes one (clap's value name). */
  positional?: string
  /** Options declared `allow_hyphen_values`: `--title -x` makes `-x` the title, not a flag. */
  hyphenValues?: string[]
}

/** The subcommands the phases use, with every option v0.6.0 declares on them. */
const COMMANDS: Record<string, CommandSpec> = {
  // main.rs:372-428
  serve: {
    options: {
      host: text(),
      port: text(),
      'tls-cert': text(),
      'tls-key': text(),
      'mtls-allowlist': text(),
      'shutdown-grace-secs': text(),
      'quorum-writes': text(),
      'quorum-peers': list(),
      'quorum-timeout-ms': text(),
      'quorum-client-cert': text(),
      'quorum-client-key': text(),
    },
  },
  // main.rs:102-107
  mcp: { options: { tier: text() } },
  // main.rs:431-462
  store: {
    options: { tier: text('t'), namespace: text('n'), title: text('T'), content: text('c'), tags: text(), priority: text('p'), confidence: text(), source: text('S'), 'expires-at': text(), 'ttl-secs': text(), scope: text() },
    required: ['--title <TITLE>', '--content <CONTENT>'],
    hyphenValues: ['title', 'content'],
  },
  // main.rs:487-519
  recall: {
    options: { namespace: text('n'), limit: text(), tags: text(), since: text(), until: text(), tier: text('T'), 'as-agent': text(), 'budget-tokens': text(), 'context-tokens': list() },
    positional: '<CONTEXT>',
    required: ['<CONTEXT>'],
  },
  // main.rs:552-570
  list: { options: { namespace: text('n'), tier: text('t'), limit: text(), since: text(), until: text(), tags: text(), offset: text() } },
  stats: { options: {} },
  // main.rs:251-260
  backup: { options: { to: text(), keep: text() } },
  // main.rs:189-225
  curator: {
    options: { once: flag(), daemon: flag(), 'interval-secs': text(), 'max-ops': text(), 'dry-run': flag(), 'include-namespace': list(), 'exclude-namespace': list(), rollback: text(), 'rollback-last': text() },
  },
  // main.rs:228-248
  migrate: { options: { from: text(), to: text(), batch: text(), namespace: text(), 'dry-run': flag() }, required: ['--from <FROM>', '--to <TO>'] },
}

/** Subcommands v0.6.0 has that the simulator does not (main.rs:99-185): refused as unsimulated, not unknown. */
export const UNSIMULATED = ['update', 'search', 'get', 'delete', 'promote', 'forget', 'link', 'consolidate', 'gc', 'namespaces', 'export', 'import', 'resolve', 'shell', 'sync', 'sync-daemon', 'auto-consolidate', 'completions', 'man', 'mine', 'archive', 'agents', 'pending', 'restore']

/** A command-line error in clap's words; the binary prints it with its usage and exits 2. */
export class ClapError extends Error {
  constructor(
    message: string,
    readonly usage = 'ai-memory [OPTIONS] <COMMAND>',
  ) {
    super(message)
  }

  render(): string {
    return `error: ${this.message}\n\nUsage: ${this.usage}\n\nFor more information, try '--help'.\n`
  }
}

export type ParsedValues = Record<string, string | boolean | string[] | undefined>

export type Invocation =
  | { kind: 'version' }
  | { kind: 'help'; command: string | null }
  | { kind: 'unsimulated'; command: string }
  | { kind: 'command'; command: string; values: ParsedValues; positionals: string[] }

function usageOf(command: string, spec: CommandSpec): string {
  return `ai-memory ${command} [OPTIONS]${spec.required?.length ? ` ${spec.required.join(' ')}` : ''}`
}

/** Node's parser refuses `--title -x`; clap takes it where allow_hyphen_values says so. */
function joinHyphenValues(args: string[], spec: CommandSpec): string[] {
  const takesHyphen = new Set<string>()
  for (const name of spec.hyphenValues ?? []) {
    takesHyphen.add(`--${name}`)
    const short = spec.options[name]?.short
    if (short) takesHyphen.add(`-${short}`)
  }
  const out: string[] = []
  for (let i = 0; i < args.length; i++) {
    const a = args[i] as string
    if (a === '--') {
      out.push(...args.slice(i))
      break
    }
    const next = args[i + 1]
    if (takesHyphen.has(a) && next !== undefined && next.startsWith('-')) {
      out.push(a.startsWith('--') ? `${a}=${next}` : `${a}${next}`)
      i++
    } else out.push(a)
  }
  return out
}

/** Node's messages for a strict-mode refusal, in clap's words. */
function clapMessage(err: Error & { code?: string }, args: string[]): string {
  const unknown = /Unknown option '([^']+)'/.exec(err.message)
  if (unknown) return `unexpected argument '${unknown[1]}' found`
  const missing = /Option '(-\w, )?(--[\w-]+)[^']*' argument missing/.exec(err.message) ?? /Option '(-\w, )?(--[\w-]+)[^']*' argument is ambiguous/.exec(err.message)
  if (missing) return `a value is required for '${missing[2]} <${(missing[2] as string).slice(2).toUpperCase().replace(/-/g, '_')}>' but none was supplied`
  const extra = /Unexpected argument '([^']+)'/.exec(err.message)
  if (extra) return `unexpected argument '${extra[1]}' found`
  return `${err.message} (in ${args.join(' ')})`
}

/**
 * Parses argv as v0.6.0's clap definition does: global options anywhere, then one subcommand with
 * its own options, strictly. Throws ClapError for anything the real binary would refuse with exit 2.
 */
export function parseInvocation(argv: string[], hasCommand: (name: string) => boolean = () => true): Invocation {
  // The subcommand is the first positional; before it only the global options, --help and --version.
  const top = parseArgs({ args: argv, options: { ...GLOBAL, help: flag('h'), version: flag('V') }, strict: false, allowPositionals: true, tokens: true })
  const first = top.tokens.find((t) => t.kind === 'positional' || t.kind === 'option-terminator')
  const commandIndex = first?.kind === 'positional' ? first.index : -1
  for (const t of top.tokens) {
    if (t.kind !== 'option' || (commandIndex >= 0 && t.index > commandIndex)) continue
    if (!(t.name in GLOBAL) && t.name !== 'help' && t.name !== 'version') throw new ClapError(`unexpected argument '${t.rawName}' found`)
  }
  if (commandIndex < 0) {
    if (top.values.version) return { kind: 'version' }
    if (top.values.help) return { kind: 'help', command: null }
    throw new ClapError("'ai-memory' requires a subcommand but one was not provided")
  }
  const command = argv[commandIndex] as string
  const spec = COMMANDS[command]
  if (!spec || !hasCommand(command)) {
    if (UNSIMULATED.includes(command)) return { kind: 'unsimulated', command }
    throw new ClapError(`unrecognized subcommand '${command}'`)
  }
  const rest = joinHyphenValues([...argv.slice(0, commandIndex), ...argv.slice(commandIndex + 1)], spec)
  const usage = usageOf(command, spec)
  let parsed: ReturnType<typeof parseArgs<{ options: Options; allowPositionals: true; tokens: true; strict: true }>>
  try {
    parsed = parseArgs({ args: rest, options: { ...GLOBAL, ...spec.options, help: flag('h') }, strict: true, allowPositionals: spec.positional !== undefined, tokens: true })
  } catch (err) {
    throw new ClapError(clapMessage(err as Error, rest), usage)
  }
  if (parsed.values.help) return { kind: 'help', command }
  // clap: a single-valued option given twice is an error, not "the last one wins".
  const seen = new Set<string>()
  for (const t of parsed.tokens) {
    if (t.kind !== 'option') continue
    const descriptor = spec.options[t.name] ?? GLOBAL[t.name]
    if (descriptor?.multiple || descriptor?.type === 'boolean') continue
    if (seen.has(t.name)) throw new ClapError(`the argument '--${t.name}' cannot be used multiple times`, usage)
    seen.add(t.name)
  }
  const missing = (spec.required ?? []).filter((r) => (r.startsWith('--') ? parsed.values[(r.split(' ')[0] as string).slice(2)] === undefined : parsed.positionals.length === 0))
  if (missing.length) throw new ClapError(`the following required arguments were not provided:\n  ${missing.join('\n  ')}`, usage)
  if (parsed.positionals.length > 1) throw new ClapError(`unexpected argument '${parsed.positionals[1]}' found`, usage)
  return { kind: 'command', command, values: parsed.values as ParsedValues, positionals: parsed.positionals }
}
