// src-main/sim/migrate.ts without a server: build features, the preflight probe, the error shape (main.rs, migrate.rs).

import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { useTmp } from '../helpers/tmp'
import { aim } from '../helpers/sim'

const tmp = useTmp()

describe('migrate without Postgres', () => {
  it('one list, `batches: 1` whatever --batch, keys sorted, rows deduplicated by id (migrate.rs:131-177, main.rs:4253-4262)', () => {
    const d = tmp()
    for (let i = 1; i <= 5; i++) aim(['--db', join(d, 'a.db'), 'store', '--title', `m${i}`, '--content', `row ${i}`, '--namespace', 'p'], { cwd: d })
    const r = aim(['migrate', '--from', `sqlite://${join(d, 'a.db')}`, '--to', `sqlite://${join(d, 'b.db')}`, '--batch', '2', '--json'], { cwd: d })
    expect(r.code, r.stderr).toBe(0)
    const report = JSON.parse(r.stdout) as Record<string, unknown>
    expect(Object.keys(report)).toEqual(['batches', 'dry_run', 'errors', 'from_url', 'memories_read', 'memories_written', 'to_url'])
    expect(report).toMatchObject({ batches: 1, memories_read: 5, memories_written: 5 })
    expect(r.stdout).toMatch(/^\{\n {2}"batches": 1,/)
  })

  it('an error prints the JSON first, then `Error: migration completed with N error(s)`, exit 1 (main.rs:4244-4275)', () => {
    const d = tmp()
    aim(['--db', join(d, 'a.db'), 'store', '--title', 'm', '--content', 'c', '--namespace', 'p'], { cwd: d })
    const r = aim(['migrate', '--from', `sqlite://${join(d, 'a.db')}`, '--to', `sqlite://${join(d, 'b.db')}`, '--json'], { cwd: d, env: { AI_MEMORY_SIM_BUGS: 'migrate-error' } })
    expect(r.code).toBe(1)
    expect(JSON.parse(r.stdout)).toMatchObject({ errors: [expect.stringMatching(/^write .* failed: /)] })
    expect(r.stderr).toBe('Error: migration completed with 1 error(s)\n')
  })

  it('build features: `migrate --help` exit 0 with sal, else clap exit 2 (main.rs:20-27, 182-183)', () => {
    const d = tmp()
    expect(aim(['migrate', '--help'], { cwd: d }).code).toBe(0)
    const none = aim(['migrate', '--help'], { cwd: d, env: { AI_MEMORY_SIM_FEATURES: '' } })
    expect(none.code).toBe(2)
    expect(none.stderr).toMatch(/^error: unrecognized subcommand 'migrate'\n/)
  })

  it("preflight's probe fails at once without connecting or writing: invalid port with sal-postgres, unrecognised URL without (migrate.rs:85-94)", () => {
    const d = tmp()
    const probe = ['migrate', '--from', 'postgres://p@127.0.0.1:0x/p', '--to', 'sqlite:///nonexistent/x.db', '--dry-run', '--json']
    const withPg = aim(probe, { cwd: d })
    expect(withPg.code).toBe(1)
    expect(withPg.stdout).toBe('')
    expect(withPg.stderr).toContain('    1: backend unavailable: postgres: parse url: error with configuration: invalid port number')
    const withoutPg = aim(probe, { cwd: d, env: { AI_MEMORY_SIM_FEATURES: 'sal' } })
    expect(withoutPg.code).toBe(1)
    expect(withoutPg.stderr).toContain('unrecognised store URL: postgres://p@127.0.0.1:0x/p')
    expect(existsSync('/nonexistent/x.db')).toBe(false)
  })
})
