// `shipgate`: the command line over the same services as the desktop app, for engineers and CI.
// Commands are thin: parse the arguments, call a service, print its answer.
import { Command, CommanderError } from 'commander'
import { USAGE_ERRORS } from '@shared/errors'
import { errorMessage, toErrorData } from '../lib/errors'
import { registerCloudCommands } from './cloud'
import { type CliIo, type ServicesFactory, cliContext } from './context'
import { registerExportCommands } from './export'
import { type Style, paint } from './format'
import { registerHistoryCommands } from './history'
import { registerLaunchCommands } from './launch'
import { registerPublishCommands } from './publish'
import { registerSelftestCommand } from './selftest'
import { registerSoakCommands } from './soak'
import { registerReleaseCommands } from './release'

export type { CliIo }

const defaultIo: CliIo = {
  out: (t) => process.stdout.write(t.endsWith('\n') ? t : `${t}\n`),
  err: (t) => process.stderr.write(t.endsWith('\n') ? t : `${t}\n`),
  env: process.env,
  isTty: Boolean(process.stdout.isTTY),
}

/** The program with every command, for running and for inspecting (the CI example's test reads it). */
export function buildProgram(io: CliIo, options: { services?: ServicesFactory; exit?: (code: number) => void } = {}) {
  const program = new Command()
  const style: Style = { color: io.isTty && !io.env.NO_COLOR && io.env.TERM !== 'dumb' }
  const ctx = cliContext(program, io, style, options.exit ?? (() => undefined), options.services)
  program
    .name('shipgate')
    .description('Shipgate Lab: run, keep and compare ai-memory ship-gate campaigns')
    .option('--db <file>', "history database (default: $SHIPGATE_DB or the desktop app's database)")
    .showHelpAfterError()
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.out(s), writeErr: (s) => io.err(s) })
  registerHistoryCommands(program, ctx)
  registerLaunchCommands(program, ctx)
  registerExportCommands(program, ctx)
  registerSelftestCommand(program, ctx)
  registerCloudCommands(program, ctx)
  registerSoakCommands(program, ctx)
  registerReleaseCommands(program, ctx)
  registerPublishCommands(program, ctx)
  return { program, ctx }
}

/** Runs the CLI; resolves to the process exit code. */
export async function main(argv: string[], io: CliIo = defaultIo, options: { services?: ServicesFactory } = {}): Promise<number> {
  let exitCode = 0
  const { program, ctx } = buildProgram(io, { ...options, exit: (code) => (exitCode = Math.max(exitCode, code)) })
  try {
    await program.parseAsync(argv, { from: 'node' })
  } catch (err) {
    exitCode = handleError(err, io, ctx.style)
  } finally {
    ctx.close()
  }
  return exitCode
}

function handleError(err: unknown, io: CliIo, style: Style): number {
  if (err instanceof CommanderError) {
    if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version' || err.code === 'commander.help') return 0
    return err.exitCode || 2
  }
  const data = toErrorData(err)
  io.err(`${paint(style, 'bad', 'shipgate: error:')} ${data.code === 'INTERNAL' ? errorMessage(err) : data.message}`)
  return USAGE_ERRORS.has(data.code) ? 2 : 1
}
