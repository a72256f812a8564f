// Secrets never reach logs, errors or the store: URL passwords, values assigned to secret-looking
// names (PGPASSWORD=…, export AI_MEMORY_API_KEY='…'), DigitalOcean tokens and every secret
// registered at run time (an API token read from the keychain or the environment) are masked
// wherever text is kept or shown.
/**
 * `scheme://[user]:password@host`. The password may hold anything but blanks, `?`, `#`, quotes and
 * `<>` (so `/`, `@` and `:` too): it runs to the last `@` before the host. A user name may hold `@`
 * (`admin@server`). Ambiguous text (`host:8443/@alice`) is masked: secrecy wins over a pretty URL.
 */
const URL_PASSWORD = /([a-z][a-z0-9+.-]{0,31}:\/\/[^\s:/?#"<>]*:)([^\s?#"<>]+)@/gi
/** `NAME=value` (shell assignments, `export NAME='value'` as envPrefix writes them, query strings). */
const ASSIGNMENT = /\b([A-Za-z_][A-Za-z0-9_]*)=('(?:[^']|'\\'')*'|"(?:[^"\\]|\\.)*"|[^\s;&'"]+)/g
/** Names whose value is a secret: *PASSWORD, *PASSPHRASE, *TOKEN, SECRET, CREDENTIALS segments, *_KEY. */
const SECRET_NAME = /(?:^|_)(?:[A-Z]*PASSWORD|[A-Z]*PASSWD|[A-Z]*PASSPHRASE|SECRET|[A-Z]*TOKEN|CREDENTIALS?)(?:_|$)|_KEY$/i
/** DigitalOcean personal access and OAuth tokens. */
const DO_TOKEN = /\bdo[opr]_v1_[A-Za-z0-9]{16,}\b/g

const secrets = new Set<string>()

/** Masks this value from now on in everything `redact` touches (short values would mask too much). */
export function registerSecret(value: string): void {
  if (value.length >= 8) secrets.add(value)
}

export function redact(text: string): string {
  let out = text
    .replace(URL_PASSWORD, '$1***@')
    .replace(ASSIGNMENT, (all, name: string) => (SECRET_NAME.test(name) ? `${name}=***` : all))
    .replace(DO_TOKEN, '[token]')
  for (const s of secrets) if (out.includes(s)) out = out.replaceAll(s, '[secret]')
  return out
}

/** True for variable names whose value is a secret (`AI_MEMORY_API_KEY`, `PGPASSWORD`, …). */
export function isSecretName(name: string): boolean {
  return SECRET_NAME.test(name)
}

/** A deep copy with every string redacted. */
export function redactDeep<T>(value: T): T {
  if (typeof value === 'string') return redact(value) as T
  if (Array.isArray(value)) return value.map(redactDeep) as T
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, redactDeep(v)])) as T
  return value
}
