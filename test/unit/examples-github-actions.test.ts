// examples/github-actions/ship-gate.yml cannot run here (it needs DigitalOcean and GitHub), so this
// test reads it as GitHub would (YAML), finds every `shipgate` call in its scripts, and parses each
// one with the real commander program (src-main/cli/main.ts buildProgram, every action replaced by
// a no-op): unknown commands or options, missing required options, missing or extra arguments fail.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Command } from 'commander'
import { describe, expect, it } from 'vitest'
import { parse } from 'yaml'
import { buildProgram } from '../../src-main/cli/main'

const WORKFLOW = join(__dirname, '..', '..', 'examples', 'github-actions', 'ship-gate.yml')

interface Workflow {
  jobs: Record<string, { steps: { name?: string; run?: string; uses?: string; 'working-directory'?: string }[] }>
}

/** Shell words of one command line: quotes removed, `${{ … }}`, `$VAR` and `$(…)` stand for one value; stops at an operator. */
export function shellWords(line: string): string[] {
  const words: string[] = []
  let i = 0
  let word: string | null = null
  const push = () => {
    if (word !== null) words.push(word)
    word = null
  }
  while (i < line.length) {
    const c = line[i] as string
    if (line.startsWith('${{', i)) {
      const end = line.indexOf('}}', i)
      word = `${word ?? ''}VALUE`
      i = end < 0 ? line.length : end + 2
    } else if (c === "'") {
      const end = line.indexOf("'", i + 1)
      word = (word ?? '') + line.slice(i + 1, end < 0 ? line.length : end)
      i = end < 0 ? line.length : end + 1
    } else if (c === '"') {
      let j = i + 1
      let text = ''
      while (j < line.length && line[j] !== '"') {
        if (line.startsWith('${{', j)) {
          const end = line.indexOf('}}', j)
          text += 'VALUE'
          j = end < 0 ? line.length : end + 2
        } else if (line[j] === '$') {
          const m = /^\$(\([^)]*\)|\{[^}]*\}|[A-Za-z_][A-Za-z0-9_]*)/.exec(line.slice(j))
          text += 'VALUE'
          j += m ? m[0].length : 1
        } else text += line[j++]
      }
      word = (word ?? '') + text
      i = j + 1
    } else if (c === '$') {
      const m = /^\$(\([^)]*\)|\{[^}]*\}|[A-Za-z_][A-Za-z0-9_]*)/.exec(line.slice(i))
      word = `${word ?? ''}VALUE`
      i += m ? m[0].length : 1
    } else if (/\s/.test(c)) {
      push()
      i++
    } else if (/[;&|<>()#]/.test(c)) {
      break
    } else {
      word = (word ?? '') + c
      i++
    }
  }
  push()
  return words
}

/** Every `shipgate …` (or `npx shipgate …`) command in a script, as its arguments after `shipgate`. */
export function shipgateCalls(script: string): string[][] {
  const logical = script.replace(/\\\n/g, ' ').split('\n')
  const calls: string[][] = []
  for (const line of logical) {
    // A command word: at the start, after an operator or a shell keyword; never inside a path or a string.
    for (const m of line.matchAll(/(?:^|[;&|(]|\bthen|\bdo|\belse)\s*(?:npx\s+(?:--no-install\s+)?)?shipgate(?=\s|$)/g)) {
      calls.push(shellWords(line.slice((m.index ?? 0) + m[0].length)))
    }
  }
  return calls
}

/** Parses `shipgate <args>` with the real program; the error commander gives, or null when the call is valid. */
export function checkCall(args: string[]): string | null {
  let errors = ''
  const { program } = buildProgram({ out: () => undefined, err: (t) => (errors += t), env: {}, isTty: false })
  const silence = (c: Command) => {
    c.action(() => undefined)
    c.commands.forEach(silence)
  }
  program.commands.forEach(silence)
  try {
    program.parse(args, { from: 'user' })
    return null
  } catch {
    return errors.trim() || 'rejected'
  }
}

describe('examples/github-actions/ship-gate.yml', () => {
  const workflow = parse(readFileSync(WORKFLOW, 'utf8')) as Workflow
  const steps = Object.values(workflow.jobs).flatMap((j) => j.steps)
  const calls = steps.flatMap((s) => (s.run ? shipgateCalls(s.run) : []))

  it('is a workflow whose scripts call shipgate: import the evidence repo, run, publish --git, reconcile', () => {
    expect(calls.map((c) => c[0])).toEqual(['import', 'run', 'publish', 'reconcile'])
    const runIndex = steps.findIndex((s) => s.run && shipgateCalls(s.run).some((c) => c[0] === 'run'))
    const importIndex = steps.findIndex((s) => s.run && shipgateCalls(s.run).some((c) => c[0] === 'import'))
    expect(importIndex).toBeGreaterThanOrEqual(0)
    expect(importIndex).toBeLessThan(runIndex)
    const publish = calls.find((c) => c[0] === 'publish') ?? []
    expect(publish).toContain('--git')
    expect(publish).toContain('--to')
    expect(calls.find((c) => c[0] === 'run')).toEqual(expect.arrayContaining(['--junit', '--json']))
    // The JUnit is uploaded, and the evidence is pushed with a retry on a rejected push.
    expect(steps.some((s) => s.uses?.startsWith('actions/upload-artifact@'))).toBe(true)
    expect(steps.some((s) => s.run?.includes('git push origin HEAD:main') && s.run.includes('git rebase origin/main'))).toBe(true)
  })

  it('every shipgate call parses against the real command line: commands, options, required options, arguments', () => {
    expect(calls.length).toBe(4)
    for (const c of calls) expect(checkCall(c), `shipgate ${c.join(' ')}`).toBeNull()
  })

  it('the checker rejects bad calls', () => {
    expect(checkCall(['publish', 'demo-r1'])).toMatch(/required option '--to <dir>' not specified/)
    expect(checkCall(['publish', 'a-r1', 'b-r1', '--to', 'x'])).toMatch(/too many arguments/)
    expect(checkCall(['pubish', 'demo-r1', '--to', 'x'])).toMatch(/unknown command 'pubish'/)
    expect(checkCall(['run'])).toMatch(/missing required argument 'campaign-file'/)
    expect(checkCall(['run', 'c.yaml', '--junit'])).toMatch(/option '--junit <file>' argument missing/)
    expect(checkCall(['import', '--gti', 'x'])).toMatch(/unknown option '--gti'/)
    expect(checkCall(['publish', 'demo-r1', '--to', 'x', '--git'])).toBeNull()
  })

  it('finds calls the way a shell would split them', () => {
    expect(shipgateCalls('set -e\nnpx shipgate publish "${{ steps.run.outputs.run_id }}" --to ../evidence --git && cd x')).toEqual([['publish', 'VALUE', '--to', '../evidence', '--git']])
    expect(shipgateCalls('if [ -d x ]; then shipgate import \\\n  ../evidence; fi')).toEqual([['import', '../evidence']])
    expect(shipgateCalls('echo "shipgate run exited"\ncp /tmp/shipgate/run.json .')).toEqual([])
  })
})
