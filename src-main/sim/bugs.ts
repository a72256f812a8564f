// Bug switches of the simulated ai-memory, so the gate can be shown to catch what it is meant to.
// Set AI_MEMORY_SIM_BUGS="name[=value],…" in the environment of the commands.

export const BUG_SWITCHES = {
  'drop-fanout': 'after quorum, the remaining fan-outs are never delivered (the r14 silent-loss bug)',
  'reject-source': 'writes with this source get 400 (r12: "ship-gate", r16: "chaos"); value = the source',
  'crash-on-start': '`serve` exits at once with an error',
  'quorum-always-ok': 'writes return 201 even when the quorum was not met (quorum misclassification)',
  'lose-rows': '`migrate` silently drops N rows while reporting them written; value = N',
  'migrate-error': '`migrate` reports an error for one row',
  'mcp-tools': 'the MCP handshake lists only N tools; value = N',
  'no-manifest': '`backup` writes the snapshot but no manifest',
  'recall-empty': '`recall` finds nothing',
  'curator-error': 'the curator dry-run reports an unexpected error',
  'stats-zero': '`stats` reports total 0 whatever the database holds',
  'extra-snapshot': '`backup --keep N` leaves one snapshot more than N',
  'quorum-never-ok': 'quorum writes return 503 even when the quorum was met',
  'forward-short': 'the SQLite → Postgres migration silently reads and writes N rows fewer; value = N',
  'idempotent-dup': '`migrate` into Postgres inserts instead of upserting, so a second identical run collides',
  'reverse-error': 'the Postgres → SQLite migration reports an error for one row',
} as const

export type BugName = keyof typeof BUG_SWITCHES

export type Bugs = Partial<Record<BugName, string>>

export function parseBugs(spec: string | undefined): Bugs {
  const bugs: Bugs = {}
  for (const part of (spec ?? '').split(',').map((s) => s.trim()).filter(Boolean)) {
    const [name, value] = part.split('=', 2) as [string, string | undefined]
    if (!(name in BUG_SWITCHES)) throw new Error(`unknown bug switch ${name} (known: ${Object.keys(BUG_SWITCHES).join(', ')})`)
    bugs[name as BugName] = value ?? 'on'
  }
  return bugs
}
