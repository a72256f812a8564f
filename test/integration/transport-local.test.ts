import { spawnSync } from 'node:child_process'
import { chmodSync, readFileSync, readdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { LocalTransport } from '../../src-main/transport/local'
import { campaignTransports } from '../../src-main/engine/transports'
import { demoCampaign, simulatorBinary } from '../../src-main/demo/demo'
import { testServices } from '../helpers/services'
import { ROOT } from '../helpers/campaigns'
import { useTmp } from '../helpers/tmp'

const tmp = useTmp()
const local = () => new LocalTransport({ name: 'local', address: '127.0.0.1' })

function alive(pattern: string): string[] {
  return spawnSync('ps', ['-eo', 'stat=,args='], { encoding: 'utf8' })
    .stdout.split('\n')
    .map((l) => l.trim())
    .filter((l) => !l.startsWith('Z') && l.includes(pattern) && !l.includes('ps -eo'))
}

describe('LocalTransport', () => {
  it('runs a command with streamed lines and an exit code', async () => {
    const lines: string[] = []
    const r = await local().exec('echo a; echo b >&2; exit 3', { onStdout: (l) => lines.push(l), onStderr: (l) => lines.push(`!${l}`) })
    expect(r).toMatchObject({ exitCode: 3, stdout: 'a\n', stderr: 'b\n', timedOut: false, cancelled: false })
    expect(lines.sort()).toEqual(['!b', 'a'])
  })

  it('kills the whole process group on timeout and on cancel', async () => {
    // Durations unique to this test, so another `sleep 4…` on the machine is never taken for ours.
    const uniq = `${process.pid}${Date.now() % 1000}`
    const sleeps = [1, 2, 3, 4].map((k) => `sleep 4${k}.${uniq}`)
    const ours = () => alive(`.${uniq}`).filter((l) => sleeps.some((c) => l.endsWith(c)))
    const t = await local().exec(`${sleeps[0]} & ${sleeps[1]}`, { timeoutMs: 300 })
    expect(t.timedOut).toBe(true)
    await vi.waitFor(() => expect(ours()).toEqual([]), { timeout: 5000, interval: 25 })
    const ac = new AbortController()
    const p = local().exec(`${sleeps[2]} & ${sleeps[3]}`, { signal: ac.signal })
    // Both sleeps running (the shell itself may show too, until it execs the last one).
    await vi.waitFor(() => expect(ours().filter((l) => /^\S+\s+sleep 4/.test(l)).length).toBe(2), { timeout: 5000, interval: 25 })
    ac.abort()
    expect((await p).cancelled).toBe(true)
    await vi.waitFor(() => expect(ours()).toEqual([]), { timeout: 5000, interval: 25 })
  })

  it('writes and reads files', async () => {
    const dir = tmp()
    const t = local()
    await t.upload(Buffer.from('x'), join(dir, 'a', 'b.txt'), 0o600)
    expect((await t.readFile(join(dir, 'a', 'b.txt'))).toString()).toBe('x')
    await expect(t.readFile(join(dir, 'a', 'b.txt'), 0)).rejects.toThrow(/over the 0-byte limit/)
  })
})

// What an attacker-controlled binary under test (or anything it runs) could read from its environment.
const SECRETS: Record<string, string> = {
  DIGITALOCEAN_TOKEN: `dop_v1_${'7a'.repeat(32)}`,
  SHIPGATE_SSH_PASSPHRASE: 'passphrase-of-the-operator-5521',
  SHIPGATE_LLM_KEY: 'sk-llm-key-of-the-operator-8812',
  TF_VAR_do_token: 'tf-var-token-of-the-operator-3390',
  AWS_SECRET_ACCESS_KEY: 'aws-secret-of-the-operator-4417',
}

function parseEnviron(raw: string): Record<string, string> {
  return Object.fromEntries(
    raw
      .split('\0')
      .filter(Boolean)
      .map((kv) => [kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1)]),
  )
}

function expectNoSecret(env: Record<string, string>, raw: string): void {
  for (const [name, value] of Object.entries(SECRETS)) {
    expect(env[name], name).toBeUndefined()
    expect(raw, name).not.toContain(value)
  }
}

describe('environment of local commands', () => {
  const saved: Record<string, string | undefined> = {}
  beforeEach(() => {
    for (const [k, v] of Object.entries({ ...SECRETS, SHIPGATE_NODE: process.execPath, LC_ALL: 'C.UTF-8' })) {
      saved[k] = process.env[k]
      process.env[k] = v
    }
  })
  afterEach(() => {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k]
      else process.env[k] = v
    }
  })

  it('a local command sees only the allow-listed variables, never the operator\'s secrets', async () => {
    const r = await local().exec('cat /proc/self/environ')
    const env = parseEnviron(r.stdout)
    expectNoSecret(env, r.stdout)
    expect(env.PATH).toBe(process.env.PATH)
    expect(env.SHIPGATE_NODE).toBe(process.execPath)
    expect(env.LC_ALL).toBe('C.UTF-8')
    const allowed = /^(PATH|HOME|USER|LOGNAME|SHELL|TMPDIR|TZ|LANG|LANGUAGE|TERM|SHIPGATE_NODE|LC_[A-Z]+|PWD|SHLVL|_)$/
    expect(Object.keys(env).filter((k) => !allowed.test(k))).toEqual([])
  })

  it('the binary under test of a local campaign gets the campaign\'s ai_memory.env and none of the secrets', async () => {
    const dir = tmp()
    const seen = join(dir, 'environments')
    spawnSync('mkdir', [seen])
    // A "binary under test" that records its environment on every call, then does its job.
    const binary = join(dir, 'ai-memory')
    writeFileSync(binary, `#!/bin/sh\ncat /proc/self/environ > '${seen}/'$$.env\nprintf %s "$*" > '${seen}/'$$.args\nexec '${simulatorBinary(ROOT)}' "$@"\n`)
    chmodSync(binary, 0o755)
    const campaign = await demoCampaign({ baseDir: dir, binary, phases: [1], env: { AI_MEMORY_MARK: 'from-the-campaign' }, writesPerAgent: 5, memories: 10, cycles: 1, writesPerCycle: 5 })
    const services = testServices(join(dir, 'history.sqlite'))
    try {
      const outcome = await services.runs.start(campaign)
      expect(outcome.evaluation.phases.find((p) => p.phase === 1)?.status).toBe('pass')
    } finally {
      services.close()
    }
    const calls = readdirSync(seen)
      .filter((f) => f.endsWith('.env'))
      .map((f) => ({ raw: readFileSync(join(seen, f), 'utf8'), args: readFileSync(join(seen, f.replace(/\.env$/, '.args')), 'utf8') }))
    expect(calls.length).toBeGreaterThan(3)
    for (const { raw, args } of calls) {
      const env = parseEnviron(raw)
      expectNoSecret(env, raw)
      expect(env.SHIPGATE_NODE).toBe(process.execPath)
      // The engine adds the campaign's ai_memory.env to every command, the version probe included.
      expect(env.AI_MEMORY_MARK, args).toBe('from-the-campaign')
    }
    expect(calls.filter((c) => c.args !== '--version').length).toBeGreaterThan(2)
  })

  it('the engine\'s local transports build their environment from the options, not from everything', async () => {
    const campaign = await demoCampaign({ baseDir: tmp(), phases: [1] })
    const set = campaignTransports(campaign, { env: { ...process.env, EXTRA_FROM_OPTIONS: 'x', PATH: '/opt/only/bin:/usr/bin:/bin' } })
    try {
      const env = parseEnviron((await set.get('node-a').exec('cat /proc/self/environ')).stdout)
      expect(env.PATH).toBe('/opt/only/bin:/usr/bin:/bin')
      expect(env.EXTRA_FROM_OPTIONS).toBeUndefined()
      expect(env.SHIPGATE_SSH_PASSPHRASE).toBeUndefined()
    } finally {
      await set.dispose()
    }
  })
})
