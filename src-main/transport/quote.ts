// Quoting for remote command lines: every value goes through `q`, which wraps it in single quotes
// (POSIX sh has no escapes inside them) and closes-escapes-reopens around embedded quotes.
// Host names and user names are validated before they are used anywhere.

/** Quotes one argument for POSIX sh. Safe for any string without NUL. */
export function q(value: string | number): string {
  const s = String(value)
  if (s.includes('\0')) throw new Error('a shell argument cannot contain NUL')
  if (s !== '' && /^[A-Za-z0-9_@%+=:,./-]+$/.test(s)) return s
  return `'${s.replace(/'/g, `'\\''`)}'`
}

/** A command line from an argv, each element quoted. */
export function cmd(...argv: (string | number)[]): string {
  return argv.map(q).join(' ')
}

/** `export K='v'; ` for each entry; names must be shell identifiers. */
export function envPrefix(env: Record<string, string | number>): string {
  return Object.entries(env)
    .map(([k, v]) => {
      if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(k)) throw new Error(`invalid environment variable name ${JSON.stringify(k)}`)
      return `export ${k}=${q(v)}; `
    })
    .join('')
}

const HOSTNAME = /^(?=.{1,253}$)[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*\.?$/
const IPV4 = /^(25[0-5]|2[0-4]\d|1?\d?\d)(\.(25[0-5]|2[0-4]\d|1?\d?\d)){3}$/
const IPV6 = /^[0-9A-Fa-f:.]+$/

export function isValidHost(host: string): boolean {
  return IPV4.test(host) || HOSTNAME.test(host) || (host.includes(':') && IPV6.test(host))
}

export function isValidUser(user: string): boolean {
  return /^[A-Za-z_][A-Za-z0-9_.-]{0,31}\$?$/.test(user)
}

export function assertHost(host: string): string {
  if (!isValidHost(host)) throw new Error(`invalid host name ${JSON.stringify(host)}`)
  return host
}

export function assertUser(user: string): string {
  if (!isValidUser(user)) throw new Error(`invalid user name ${JSON.stringify(user)}`)
  return user
}
