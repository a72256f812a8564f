// Where the command line reads and writes: injected, so tests run the CLI in-process.
export interface CliIo {
  out: (text: string) => void
  err: (text: string) => void
  env: NodeJS.ProcessEnv
  isTty: boolean
}
