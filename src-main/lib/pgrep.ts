// Finding processes by a piece of their command line, safely.

/** A `pgrep -f` pattern that matches `text` literally and never the shell running pgrep (whose command line holds the pattern). */
export function pgrepPattern(text: string): string {
  if (text === '') throw new Error('an empty pattern would match every process')
  const escaped = [...text].map((c) => (/[\\^$.*+?()[\]{}|]/.test(c) ? `\\${c}` : c))
  // `[/]tmp/x` matches "/tmp/x" but not the text "[/]tmp/x" in the shell's own command line.
  const first = escaped[0] as string
  return `[${first.startsWith('\\') ? first.slice(1) : first}]${escaped.slice(1).join('')}`
}
