import { spawnSync } from 'node:child_process'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { LocalTransport } from '../../src-main/transport/local'
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
    const t = await local().exec('sleep 41.5 & sleep 42.5', { timeoutMs: 300 })
    expect(t.timedOut).toBe(true)
    await new Promise((r) => setTimeout(r, 100))
    expect(alive('sleep 4')).toEqual([])
    const ac = new AbortController()
    const p = local().exec('sleep 43.5 & sleep 44.5', { signal: ac.signal })
    await new Promise((r) => setTimeout(r, 200))
    ac.abort()
    expect((await p).cancelled).toBe(true)
    await new Promise((r) => setTimeout(r, 100))
    expect(alive('sleep 4')).toEqual([])
  })

  it('writes and reads files', async () => {
    const dir = tmp()
    const t = local()
    await t.upload(Buffer.from('x'), join(dir, 'a', 'b.txt'), 0o600)
    expect((await t.readFile(join(dir, 'a', 'b.txt'))).toString()).toBe('x')
    await expect(t.readFile(join(dir, 'a', 'b.txt'), 0)).rejects.toThrow(/over the 0-byte limit/)
  })
})
