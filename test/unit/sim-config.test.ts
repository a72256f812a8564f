// src-main/sim/config.ts: config.toml as v0.6.0 reads it (config.rs:455-690, main.rs:768-769).

import { readFileSync, writeFileSync, mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { parseToml } from '../../src-main/sim/config'
import { useTmp } from '../helpers/tmp'
import { aim } from '../helpers/sim'

const tmp = useTmp()

describe('config.toml (config.rs:455-690, main.rs:768-769)', () => {
  it('AI_MEMORY_NO_CONFIG set even to empty skips the file, but the default file is written on first run', () => {
    const d = tmp()
    const path = join(d, '.config', 'ai-memory', 'config.toml')
    const first = aim(['--version'], { cwd: d, env: { AI_MEMORY_NO_CONFIG: '' } })
    expect(first.stderr).not.toContain('loaded config')
    expect(readFileSync(path, 'utf8')).toMatch(/^# ai-memory configuration\n/)
    expect(aim(['--version'], { cwd: d, env: { AI_MEMORY_NO_CONFIG: '' } }).stderr).not.toContain('loaded config')
    expect(aim(['--version'], { cwd: d, env: { AI_MEMORY_NO_CONFIG: undefined } }).stderr).toBe(`ai-memory: loaded config from ${path}\n`)
  })

  it('a malformed file is reported and ignored whole', () => {
    const d = tmp()
    mkdirSync(join(d, '.config', 'ai-memory'), { recursive: true })
    const path = join(d, '.config', 'ai-memory', 'config.toml')
    writeFileSync(path, 'api_key = "k"\ntier = semantic\n')
    const r = aim(['--version'], { cwd: d, env: { AI_MEMORY_NO_CONFIG: undefined } })
    expect(r.stderr).toMatch(new RegExp(`^ai-memory: config parse error \\(${path.replace(/[.]/g, '\\.')}\\): TOML parse error at line 2`))
    expect(r.stderr).not.toContain('loaded config')
    expect(() => parseToml('[ttl]\nmid_ttl_secs = 5\n# c\nx = "a#b" # note')).not.toThrow()
  })
})
