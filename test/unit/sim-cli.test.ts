// src-main/sim/cli.ts: the simulated ai-memory parses its command line as v0.6.0's clap definition
// does (main.rs:67-460), so an engine that passes what the real binary refuses fails here too.
import { describe, expect, it } from 'vitest'
import { ClapError, parseInvocation } from '../../src-main/sim/cli'
import { useTmp } from '../helpers/tmp'
import { aim } from '../helpers/sim'

const tmp = useTmp()

function clapError(argv: string[], hasCommand?: (name: string) => boolean): ClapError {
  try {
    parseInvocation(argv, hasCommand)
  } catch (err) {
    if (err instanceof ClapError) return err
    throw err
  }
  throw new Error(`accepted: ${argv.join(' ')}`)
}

describe('the simulator command line (main.rs:67-460)', () => {
  it('takes global options before or after the subcommand, long, short and =value', () => {
    expect(parseInvocation(['--db', 'a.db', 'store', '-T', 'title', '--content=c', '--json', '-t', 'long'])).toEqual({
      kind: 'command',
      command: 'store',
      values: { db: 'a.db', title: 'title', content: 'c', json: true, tier: 'long' },
      positionals: [],
    })
    const after = parseInvocation(['stats', '--db', 'b.db', '--json'])
    expect(after).toMatchObject({ command: 'stats', values: { db: 'b.db', json: true } })
  })

  it('short letters belong to their subcommand: -T is the title of store but the tier of recall (main.rs:436, 501)', () => {
    expect(parseInvocation(['recall', 'ctx', '-T', 'keyword'])).toMatchObject({ values: { tier: 'keyword' }, positionals: ['ctx'] })
    expect(parseInvocation(['store', '-T', 'keyword', '-c', 'x'])).toMatchObject({ values: { title: 'keyword', content: 'x' } })
  })

  it('a title or content may start with a dash (allow_hyphen_values, main.rs:436-440)', () => {
    expect(parseInvocation(['store', '--title', '-x-', '-c', '--rm -rf'])).toMatchObject({ values: { title: '-x-', content: '--rm -rf' } })
    expect(clapError(['list', '--namespace', '-x']).message).toBe("a value is required for '--namespace <NAMESPACE>' but none was supplied")
  })

  it('refuses an option the subcommand does not have, as clap does: serve has no --tier (main.rs:372-428)', () => {
    const e = clapError(['serve', '--port', '9077', '--tier', 'keyword'])
    expect(e.render()).toBe("error: unexpected argument '--tier' found\n\nUsage: ai-memory serve [OPTIONS]\n\nFor more information, try '--help'.\n")
    expect(clapError(['--title', 'x', 'store']).message).toBe("unexpected argument '--title' found")
  })

  it('refuses a missing required argument, a repeated single option and an extra positional', () => {
    expect(clapError(['store', '--title', 't']).render()).toContain('error: the following required arguments were not provided:\n  --content <CONTENT>\n\nUsage: ai-memory store [OPTIONS] --title <TITLE> --content <CONTENT>')
    expect(clapError(['migrate', '--to', 'sqlite:///x']).message).toContain('--from <FROM>')
    expect(clapError(['recall']).message).toContain('<CONTEXT>')
    expect(clapError(['store', '-T', 'a', '-T', 'b', '-c', 'c']).message).toBe("the argument '--title' cannot be used multiple times")
    expect(clapError(['recall', 'a', 'b']).message).toBe("unexpected argument 'b' found")
  })

  it('--quorum-peers is a list: repeated, comma-delimited, kept whole (main.rs:415)', () => {
    expect(parseInvocation(['serve', '--quorum-peers', 'http://a:1,http://b:2', '--quorum-peers', 'http://c:3'])).toMatchObject({ values: { 'quorum-peers': ['http://a:1,http://b:2', 'http://c:3'] } })
  })

  it('knows version, help, a build without a subcommand, unsimulated and unknown subcommands', () => {
    expect(parseInvocation(['--version'])).toEqual({ kind: 'version' })
    expect(parseInvocation(['-V'])).toEqual({ kind: 'version' })
    expect(parseInvocation(['migrate', '--help'])).toEqual({ kind: 'help', command: 'migrate' })
    expect(clapError(['store', '--version']).message).toBe("unexpected argument '--version' found")
    expect(clapError(['migrate', '--help'], (name) => name !== 'migrate').message).toBe("unrecognized subcommand 'migrate'")
    expect(parseInvocation(['search', 'x'])).toEqual({ kind: 'unsimulated', command: 'search' })
    expect(clapError(['frobnicate']).message).toBe("unrecognized subcommand 'frobnicate'")
    expect(clapError([]).message).toBe("'ai-memory' requires a subcommand but one was not provided")
  })

  it('through the binary: a clap error exits 2 with clap\'s text; a bad number is an invalid value; a validation error exits 1 (main.rs:1504-1512)', () => {
    const d = tmp()
    const unknown = aim(['serve', '--tier', 'keyword'], { cwd: d })
    expect(unknown.code).toBe(2)
    expect(unknown.stdout).toBe('')
    expect(unknown.stderr).toMatch(/^error: unexpected argument '--tier' found\n\nUsage: ai-memory serve/)
    const port = aim(['serve', '--port', 'abc'], { cwd: d })
    expect(port.code).toBe(2)
    expect(port.stderr).toMatch(/^error: invalid value 'abc' for '--port <PORT>'/)
    const invalid = aim(['--db', `${d}/m.db`, 'store', '-T', 't', '-c', 'c', '--priority', '11'], { cwd: d })
    expect(invalid.code).toBe(1)
    expect(invalid.stderr).toBe('Error: priority must be 1..10\n')
    const unsim = aim(['get', 'id'], { cwd: d })
    expect(unsim.code).toBe(1)
    expect(unsim.stderr).toMatch(/does not simulate/)
  })
})
