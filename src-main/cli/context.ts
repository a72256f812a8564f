// What every command of the CLI gets: its input and output, its style, and the one service graph
// (built on first use from the flags and the environment, as the desktop app builds it from its settings).
import type { Command } from 'commander'
import { defaultDbPath } from '../lib/paths'
import { type Services, type ServiceConfig, configFromEnv, createServices } from '../services/container'
import type { Style } from './format'
import type { CliIo } from './io'

export type { CliIo }
import { approver, passphraseAsker } from './prompt'

export interface CliContext {
  io: CliIo
  style: Style
  dbPath: () => string
  /** The service graph; `acceptNewHostKey` (a flag of some commands) is set before first use. */
  services: (options?: { acceptNewHostKey?: boolean }) => Services
  /** Sets the exit code (the highest wins). */
  exit: (code: number) => void
}

export type ServicesFactory = (config: ServiceConfig) => Services

export function cliContext(program: Command, io: CliIo, style: Style, exit: (code: number) => void, factory: ServicesFactory = createServices): CliContext & { close: () => void } {
  let built: Services | null = null
  const dbPath = () => program.opts<{ db?: string }>().db ?? defaultDbPath(io.env)
  return {
    io,
    style,
    dbPath,
    exit,
    services: (options = {}) => {
      built ??= factory({
        ...configFromEnv(io.env),
        dbPath: dbPath(),
        appVersion: '',
        approveHostKey: approver(io, Boolean(options.acceptNewHostKey)),
        askPassphrase: passphraseAsker(io),
        digitalOceanToken: () => io.env.DIGITALOCEAN_TOKEN?.trim() || null,
      })
      return built
    },
    close: () => built?.close(),
  }
}
