// ai-memory's config file as v0.6.0 reads it (config.rs:455-690, main.rs:768-769):
// `$HOME/.config/ai-memory/config.toml`, skipped when AI_MEMORY_NO_CONFIG is set to anything (even
// empty); a malformed file is reported and ignored whole (api_key included); a commented default
// file is written on first run whatever AI_MEMORY_NO_CONFIG says; once a file loads, every command
// says so on stderr.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'

export interface SimConfig {
  tier?: string
  db?: string
  api_key?: string
  default_namespace?: string
  ttl?: Record<string, number>
}

export function configPath(env: NodeJS.ProcessEnv = process.env): string | null {
  return env.HOME === undefined ? null : join(env.HOME, '.config', 'ai-memory', 'config.toml')
}

export class TomlError extends Error {}

type TomlValue = string | number | boolean

/** The TOML the config uses: comments, `[table]`, `key = "string" | 'literal' | integer | float | bool`. Anything else is an error. */
export function parseToml(text: string): Record<string, TomlValue | Record<string, TomlValue>> {
  const root: Record<string, TomlValue | Record<string, TomlValue>> = {}
  let table: Record<string, TomlValue> | typeof root = root
  const lines = text.split('\n')
  lines.forEach((raw, i) => {
    const line = raw.replace(/\r$/, '')
    const at = (col: number, what: string) => new TomlError(`TOML parse error at line ${i + 1}, column ${col}\n  |\n${i + 1} | ${line}\n  |\n${what}`)
    const trimmed = line.trim()
    if (trimmed === '' || trimmed.startsWith('#')) return
    const header = /^\[\s*([A-Za-z0-9_-]+)\s*\]\s*(#.*)?$/.exec(trimmed)
    if (header) {
      const name = header[1] as string
      if (name in root) throw at(1, `invalid table header\nduplicate key \`${name}\``)
      const t: Record<string, TomlValue> = {}
      root[name] = t
      table = t
      return
    }
    const kv = /^([A-Za-z0-9_-]+)\s*=\s*(.*?)\s*$/.exec(trimmed)
    if (!kv) throw at(line.length - line.trimStart().length + 1, 'expected `.`, `=`')
    const [, key, rest] = kv as unknown as [string, string, string]
    let value: TomlValue
    let m: RegExpExecArray | null
    if ((m = /^"((?:[^"\\]|\\.)*)"\s*(#.*)?$/.exec(rest))) value = JSON.parse(`"${m[1]}"`) as string
    else if ((m = /^'([^']*)'\s*(#.*)?$/.exec(rest))) value = m[1] as string
    else if ((m = /^(true|false)\s*(#.*)?$/.exec(rest))) value = m[1] === 'true'
    else if ((m = /^([+-]?\d[\d_]*(?:\.\d+)?)\s*(#.*)?$/.exec(rest))) value = Number((m[1] as string).replace(/_/g, ''))
    else throw at(line.indexOf('=') + 2, 'invalid string\nexpected `"`, `\'`')
    if (key in table) throw at(1, `duplicate key \`${key}\``)
    ;(table as Record<string, TomlValue>)[key] = value
  })
  return root
}

const DEFAULT_TOML = `# ai-memory configuration
# See: https://github.com/alphaonedev/ai-memory-mcp

# Feature tier: keyword, semantic, smart, autonomous
# tier = "semantic"

# Path to SQLite database
# db = "~/.claude/ai-memory.db"

# Default namespace for new memories
# default_namespace = "global"

# Per-tier TTL overrides (uncomment to customize)
# [ttl]
# short_ttl_secs = 21600        # 6 hours (default)
# mid_ttl_secs = 604800         # 7 days (default)
`

/** AppConfig::load then write_default_if_missing (main.rs:768-769). Messages go to `warn` (stderr). */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, warn: (line: string) => void = (l) => process.stderr.write(`${l}\n`)): SimConfig {
  const path = configPath(env)
  let config: SimConfig = {}
  if (env.AI_MEMORY_NO_CONFIG === undefined && path) {
    let text: string | null
    try {
      text = readFileSync(path, 'utf8')
    } catch {
      text = null
    }
    if (text !== null) {
      try {
        const t = parseToml(text)
        config = {
          ...(typeof t.tier === 'string' ? { tier: t.tier } : {}),
          ...(typeof t.db === 'string' ? { db: t.db } : {}),
          ...(typeof t.api_key === 'string' ? { api_key: t.api_key } : {}),
          ...(typeof t.default_namespace === 'string' ? { default_namespace: t.default_namespace } : {}),
          ...(typeof t.ttl === 'object' ? { ttl: t.ttl as Record<string, number> } : {}),
        }
        warn(`ai-memory: loaded config from ${path}`)
      } catch (err) {
        warn(`ai-memory: config parse error (${path}): ${(err as Error).message}`)
        config = {}
      }
    }
  }
  if (path && !existsSync(path)) {
    try {
      mkdirSync(dirname(path), { recursive: true })
      writeFileSync(path, DEFAULT_TOML)
    } catch {
      // as the real binary: a config that cannot be written is not an error
    }
  }
  return config
}

/**
 * The semantic tier's embedder (embeddings.rs:14-20, 54-63): loading MiniLM costs
 * AI_MEMORY_SIM_EMBEDDER_MS, and the first use on a machine whose HF cache lacks the model costs
 * AI_MEMORY_SIM_EMBEDDER_DOWNLOAD_MS more (then the cache marker is written). Keyword tier: nothing.
 */
export async function loadEmbedder(tier: string, env: NodeJS.ProcessEnv = process.env): Promise<void> {
  if (tier === 'keyword') return
  const load = Number(env.AI_MEMORY_SIM_EMBEDDER_MS ?? 0)
  const download = Number(env.AI_MEMORY_SIM_EMBEDDER_DOWNLOAD_MS ?? 0)
  const hub = env.HF_HOME ? join(env.HF_HOME, 'hub') : env.HOME ? join(env.HOME, '.cache', 'huggingface', 'hub') : null
  const marker = hub ? join(hub, 'models--sentence-transformers--all-MiniLM-L6-v2', 'refs', 'main') : null
  let wait = Number.isFinite(load) && load > 0 ? load : 0
  if (marker && !existsSync(marker) && Number.isFinite(download) && download > 0) {
    wait += download
  }
  if (wait > 0) await new Promise((r) => setTimeout(r, wait))
  if (marker && !existsSync(marker) && (download > 0 || load > 0)) {
    mkdirSync(dirname(marker), { recursive: true })
    writeFileSync(marker, 'main\n')
  }
}
