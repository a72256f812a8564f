// Links the app may open in the user's browser: https only, and only to hosts where ship-gate
// evidence lives (fix PRs, ship-gate pages, provider docs). Everything else is shown as text.
export const EXTERNAL_HOSTS = ['github.com', 'github.io', 'githubusercontent.com', 'digitalocean.com', 'electronjs.org']

export function isAllowedExternal(raw: string): boolean {
  let url: URL
  try {
    url = new URL(raw)
  } catch {
    return false
  }
  if (url.protocol !== 'https:' || url.username || url.password) return false
  const host = url.hostname.toLowerCase()
  return EXTERNAL_HOSTS.some((h) => host === h || host.endsWith(`.${h}`))
}

/** A link kept in a narrative: https only (a `javascript:` or `http:` link from a file is dropped, shown as text). */
export function safeUrl(v: unknown): string | null {
  if (typeof v !== 'string' || !v) return null
  try {
    const u = new URL(v)
    return u.protocol === 'https:' ? u.toString() : null
  } catch {
    return null
  }
}
