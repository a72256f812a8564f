// Secrets never reach logs, errors or the store: URL passwords, DigitalOcean tokens and every secret
// registered at run time (an API token read from the keychain or the environment) are masked
// wherever text is kept or shown.
const URL_PASSWORD = /([a-z][a-z0-9+.-]*:\/\/[^\s:/@]+:)([^\s@/]+)@/gi
/** DigitalOcean personal access and OAuth tokens. */
const DO_TOKEN = /\bdo[opr]_v1_[A-Za-z0-9]{16,}\b/g

const secrets = new Set<string>()

/** Masks this value from now on in everything `redact` touches (short values would mask too much). */
export function registerSecret(value: string): void {
  if (value.length >= 8) secrets.add(value)
}

export function redact(text: string): string {
  let out = text.replace(URL_PASSWORD, '$1***@').replace(DO_TOKEN, '[token]')
  for (const s of secrets) if (out.includes(s)) out = out.replaceAll(s, '[secret]')
  return out
}

/** A deep copy with every string redacted. */
export function redactDeep<T>(value: T): T {
  if (typeof value === 'string') return redact(value) as T
  if (Array.isArray(value)) return value.map(redactDeep) as T
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, redactDeep(v)])) as T
  return value
}
