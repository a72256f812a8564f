// vitest.config.mts's three projects hold test files named after the module each tests: the module's
// path below src-main/, src-shared/ (or src-renderer/src/ after `renderer-`, or the repository for
// config files) with `/` written as `-`, then an optional `.aspect` (transport-ssh.test.ts tests
// src-main/transport/ssh; sim-migrate.postgres.test.ts tests src-main/sim/migrate.ts against PostgreSQL).
import { existsSync, readdirSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { describe, expect, it } from 'vitest'

const ROOT = resolve(__dirname, '..', '..')
const EXTENSIONS = ['', '.ts', '.tsx', '.mts', '.cjs', '.mjs', '.yml', '.yaml']

/** Every way of reading the dashes of a name as `/`, `.` or a dash that belongs to the name. */
function readings(name: string): string[] {
  const parts = name.split('-')
  let out = [parts[0] as string]
  for (const part of parts.slice(1)) out = out.flatMap((p) => [`${p}/${part}`, `${p}.${part}`, `${p}-${part}`])
  return out
}

/** The module a test file is named after, or null when there is none. */
function moduleOf(testFile: string, root = ROOT): string | null {
  const m = /^([A-Za-z0-9-]+)(\.[a-z]+)?\.test\.tsx?$/.exec(testFile)
  if (!m) return null
  const name = m[1] as string
  const roots = name.startsWith('renderer-') ? [['src-renderer/src', name.slice('renderer-'.length)]] : [['src-main', name], ['src-shared', name], ['', name]]
  for (const [base, rest] of roots) {
    for (const path of readings(rest as string)) {
      for (const candidate of [path, `.${path}`]) {
        for (const ext of EXTENSIONS) {
          const rel = join(base as string, `${candidate}${ext}`)
          // The repository itself is no module: only a file or folder in it is.
          if (rel !== '' && existsSync(join(root, rel))) return rel
        }
      }
    }
  }
  return null
}

describe('test file names', () => {
  it('name the module each file tests, in every project', () => {
    const unnamed: string[] = []
    for (const project of ['unit', 'integration', 'e2e']) {
      for (const file of readdirSync(join(ROOT, 'test', project)).filter((f) => /\.test\.tsx?$/.test(f))) {
        if (moduleOf(file) === null) unnamed.push(`test/${project}/${file}`)
      }
    }
    expect(unnamed).toEqual([])
  })

  it('find the module through dashes that are separators and dashes that are part of a name', () => {
    expect(moduleOf('transport-ssh-known-hosts.test.ts')).toBe('src-main/transport/ssh/known-hosts.ts')
    expect(moduleOf('sim-migrate.postgres.test.ts')).toBe('src-main/sim/migrate.ts')
    expect(moduleOf('json-diff.test.ts')).toBe('src-shared/json-diff.ts')
    expect(moduleOf('renderer-lib-records.test.ts')).toBe('src-renderer/src/lib/records.ts')
    expect(moduleOf('dependency-cruiser.test.ts')).toBe('.dependency-cruiser.cjs')
    expect(moduleOf('eslint-config.test.ts')).toBe('eslint.config.mjs')
  })

  it('refuse a name that is no module: a grab bag, a feature, a stray aspect', () => {
    for (const name of ['engine-pure.test.ts', 'ssh-pure.test.ts', 'front-ends.test.ts', 'verdict-ui.test.ts', 'transport-quote.Shell.test.ts', 'sim_cli.test.ts']) expect(moduleOf(name), name).toBeNull()
  })
})
