// Environments of local child processes, built from allow-lists: the binary under test (simulated or
// real ai-memory) and Terraform never inherit the app's secrets (DIGITALOCEAN_TOKEN,
// SHIPGATE_SSH_PASSPHRASE, SHIPGATE_LLM_KEY, TF_VAR_*, cloud credentials...). What a command needs
// beyond this comes with the command itself (the campaign's ai_memory.env, through envPrefix).

/** Where programs are, who and where the user is, locale and terminal. */
const BASE_NAMES = ['PATH', 'HOME', 'USER', 'LOGNAME', 'SHELL', 'TMPDIR', 'TZ', 'LANG', 'LANGUAGE', 'TERM'] as const
const LOCALE_NAME = /^LC_[A-Z]+$/

/** Local campaign commands: the base, plus the interpreter the simulator's shim (resources/bin/ai-memory) runs. */
export const COMMAND_ENV_NAMES: readonly string[] = [...BASE_NAMES, 'SHIPGATE_NODE']

/** The variables of `from` that are in the base allow-list or named in `names`, and nothing else. */
export function allowedEnv(names: readonly string[], from: NodeJS.ProcessEnv = process.env): Record<string, string> {
  const allowed = new Set<string>([...BASE_NAMES, ...names])
  const out: Record<string, string> = {}
  for (const [k, v] of Object.entries(from)) {
    if (v !== undefined && (allowed.has(k) || LOCALE_NAME.test(k))) out[k] = v
  }
  return out
}

/** The environment of a local campaign command. */
export function commandEnv(from: NodeJS.ProcessEnv = process.env): Record<string, string> {
  return allowedEnv(COMMAND_ENV_NAMES, from)
}
