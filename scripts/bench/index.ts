// `npm run bench`: measures the figures the issues set targets for, prints them as a table and
// merges them into bench-results.json (name → value). Not a test: nothing here asserts.
// Usage: npm run bench [-- part ...]   parts: import, ssh, runner, ui, exports, provision (default: all)
import type { Figure } from './figure'
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

async function run(): Promise<void> {
  const wanted = process.argv.slice(2).filter((a) => !a.startsWith('-'))
  const parts = wanted.length ? wanted : Object.keys(PARTS)
  const figures: Figure[] = []
  for (const part of parts) {
    const fn = PARTS[part]
    if (!fn) throw new Error(`unknown bench part ${part}; known: ${Object.keys(PARTS).join(', ')}`)
    console.log(`\n== ${part}`)
    const got = await fn()
    figures.push(...got)
    for (const f of got) console.log(`  ${f.name.padEnd(30)} ${String(f.value).padStart(12)} ${f.unit.padEnd(4)} ${f.target ? `target ${f.target}` : ''}${f.note ? `  (${f.note})` : ''}`)
  }
  const file = resolve(__dirname, '..', '..', 'bench-results.json')
  const previous = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Record<string, number>) : {}
  const merged = { ...previous, ...Object.fromEntries(figures.map((f) => [f.name, f.value])) }
  writeFileSync(file, `${JSON.stringify(merged, null, 2)}\n`)
  console.log(`\nwrote ${Object.keys(merged).length} figures to ${file}`)
}

run().catch((err: unknown) => {
  console.error(err)
  process.exitCode = 1
})
