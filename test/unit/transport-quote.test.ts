// src-main/transport/quote.ts: hostile text stays one argument through a real shell.

import { spawnSync } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { assertHost, assertUser, cmd, envPrefix, isValidHost, isValidUser, q } from '../../src-main/transport/quote'

describe('quoting', () => {
  function roundTrip(s: string): string {
    return spawnSync('/bin/sh', ['-c', `printf %s ${q(s)}`], { encoding: 'utf8' }).stdout
  }

  it('returns every string unchanged through a real shell', () => {
    const samples = ["it's", '"$HOME"', '`id`', '$(id)', 'a;b|c&d', '\\', "''", 'new\nline', ' lead', 'trail ', '*?[]{}', '~root', '', '-n', '#x', '!', 'é✓']
    for (const s of samples) expect(roundTrip(s)).toBe(s)
    for (let i = 0; i < 200; i++) {
      const s = Array.from(randomBytes(24))
        .map((b) => String.fromCharCode(1 + (b % 126)))
        .join('')
      expect(roundTrip(s)).toBe(s)
    }
  })

  it('refuses NUL and bad environment names', () => {
    expect(() => q('a\0b')).toThrow(/NUL/)
    expect(() => envPrefix({ 'A B': '1' })).toThrow(/invalid environment variable/)
    expect(envPrefix({ AI_MEMORY_DB: "/tmp/x y'z" })).toBe(`export AI_MEMORY_DB='/tmp/x y'\\''z'; `)
    expect(cmd('ai-memory', 'store', '--title', 'a b')).toBe("ai-memory store --title 'a b'")
  })

  it('validates host and user names', () => {
    for (const h of ['10.77.0.11', 'node-a.example.com', 'localhost', '::1', 'fe80::1']) expect(isValidHost(h), h).toBe(true)
    for (const h of ['-oProxyCommand=x', 'a b', 'a;b', '', 'a'.repeat(300), '$(id)']) expect(isValidHost(h), h).toBe(false)
    for (const u of ['root', 'ubuntu', 'ci_user', 'svc-1']) expect(isValidUser(u), u).toBe(true)
    for (const u of ['-l', 'a b', 'root;id', '']) expect(isValidUser(u), u).toBe(false)
    expect(() => assertHost('-oProxyCommand=touch /tmp/x')).toThrow(/invalid host/)
    expect(() => assertUser('root id')).toThrow(/invalid user/)
  })
})
