// `npm run bench`: measures the figures the issues set targets for, prints them as a table and
// merges them into bench-results.json (name → value). Not a test: nothing here asserts.
// Usage: npm run bench [-- part ...]   parts: import, ssh, runner, ui, exports, provision (default: all)
import type { Figure } from './figure'
import { CHROMIUM, SSHD, TERRAFORM } from './tools'
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { benchImport } from './import'
import { benchSsh } from './ssh'
import { benchRunner } from './runner'
import { benchUi } from './ui'
import { benchExports } from './exports'
import { benchProvision } from './provision'


const PARTS: Record<string, () => Promise<Figure[]>> = {
  import: benchImport,
  ssh: benchSsh,
  runner: benchRunner,
  ui: benchUi,
  exports: benchExports,
  provision: benchProvision,
}

/** What each part needs from this machine, and how to get it on Debian: said up front, not as a failure deep inside. */
const NEEDS: Record<string, { tool: string; found: () => boolean; install: string }[]> = {
  ssh: [SSHD],
  ui: [CHROMIUM],
  exports: [CHROMIUM],
  provision: [TERRAFORM],
}

async function run(): Promise<void> {
  const wanted = process.argv.slice(2).filter((a) => !a.startsWith('-'))
  const parts = wanted.length ? wanted : Object.keys(PARTS)
  const figures: Figure[] = []
  const missing: string[] = []
  for (const part of parts) {
    const fn = PARTS[part]
    if (!fn) throw new Error(`unknown bench part ${part}; known: ${Object.keys(PARTS).join(', ')}`)
    console.log(`\n== ${part}`)
    const absent = (NEEDS[part] ?? []).filter((n) => !n.found())
    if (absent.length > 0) {
      for (const n of absent) console.log(`  not measured: ${part} needs ${n.tool}, which is not on this machine (${n.install})`)
      missing.push(part)
      continue
    }
    const got = await fn()
    figures.push(...got)
    for (const f of got) console.log(`  ${f.name.padEnd(30)} ${String(f.value).padStart(12)} ${f.unit.padEnd(4)} ${f.target ? `target ${f.target}` : ''}${f.note ? `  (${f.note})` : ''}`)
  }
  const file = resolve(__dirname, '..', '..', 'bench-results.json')
  const previous = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Record<string, number>) : {}
  const merged = { ...previous, ...Object.fromEntries(figures.map((f) => [f.name, f.value])) }
  writeFileSync(file, `${JSON.stringify(merged, null, 2)}\n`)
  console.log(`\nwrote ${Object.keys(merged).length} figures to ${file}`)
  if (missing.length > 0) {
    console.log(`not measured for want of tools: ${missing.join(', ')}`)
    process.exitCode = 1
  }
}

run().catch((err: unknown) => {
  console.error(err)
  process.exitCode = 1
})
