// Importing a ship-gate checkout someone else prepared: its analysis/run-insights.json may be a
// symbolic link to a file of this machine, or garbage meant to be echoed back. Nothing outside the
// checkout is read, and no error repeats file content.
import { cpSync, mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { importPaths } from '../../src-main/import/importer'
import { isAppError } from '../../src-main/lib/errors'
import { Store } from '../../src-main/store/store'
import { filesContaining } from '../helpers/files'
import { useTmp } from '../helpers/tmp'

const tmp = useTmp()
const CORPUS = resolve(__dirname, '..', 'fixtures', 'public', 'ship-gate-runs')
const RUN = 'v0.6.0.0-final-r13'
const SECRET = 'SECRET-SHADOW-ENTRY-5f3a9c'

const stores: Store[] = []
afterEach(() => {
  for (const s of stores.splice(0)) s.close()
})

/** A checkout with one real run folder and no narratives yet. */
function checkout(): { root: string; db: string; store: Store } {
  const dir = tmp()
  const root = join(dir, 'ship-gate')
  mkdirSync(join(root, 'analysis'), { recursive: true })
  cpSync(join(CORPUS, 'runs', RUN), join(root, 'runs', RUN), { recursive: true })
  const db = join(dir, 'history.sqlite')
  const store = Store.open(db)
  stores.push(store)
  return { root, db, store }
}

/** A file outside the checkout: shadow-like lines, or narratives JSON that belongs to someone else. */
function outsideFile(content: string): string {
  const file = join(tmp(), 'outside')
  writeFileSync(file, content)
  return file
}

function importError(run: () => unknown): Error {
  try {
    run()
  } catch (err) {
    return err as Error
  }
  throw new Error('the import did not refuse')
}

function expectNothingOfTheSecret(err: Error | null, db: string, store: Store): void {
  if (err) {
    const shown = `${err.message}\n${err.stack ?? ''}\n${JSON.stringify(err)}`
    // Not even the few characters JSON.parse quotes ("root:SECRE"...).
    for (const piece of [SECRET.slice(0, 5), 'root:', 'SHADOW']) expect(shown).not.toContain(piece)
  }
  store.db.pragma('wal_checkpoint(TRUNCATE)')
  expect(filesContaining(resolve(db, '..'), SECRET).filter((f) => f.startsWith(db))).toEqual([])
}

describe('importer: the narratives file', () => {
  it('refuses analysis/run-insights.json that is a symbolic link to a file outside (shadow-like content)', () => {
    const { root, db, store } = checkout()
    const link = join(root, 'analysis', 'run-insights.json')
    symlinkSync(outsideFile(`root:${SECRET}:19700:0:99999:7:::\n`), link)
    const err = importError(() => importPaths(store, [root]))
    expect(isAppError(err) && err.code).toBe('BAD_INPUT')
    expect(err.message).toContain(link)
    expect(err.message).toMatch(/symbolic link/)
    expect(store.runs.get(RUN)).toBeNull()
    expectNothingOfTheSecret(err, db, store)
  })

  it('refuses a link even when what it points to is valid narratives JSON, and stores none of it', () => {
    const { root, db, store } = checkout()
    symlinkSync(outsideFile(JSON.stringify({ [RUN]: { headline: SECRET, for_sme: SECRET } })), join(root, 'analysis', 'run-insights.json'))
    const err = importError(() => importPaths(store, [root]))
    expect(err.message).toMatch(/symbolic link/)
    expect(store.annotations.history(RUN)).toEqual([])
    expectNothingOfTheSecret(err, db, store)
  })

  it('refuses an analysis folder that is a symbolic link out of the checkout', () => {
    const { root, db, store } = checkout()
    const elsewhere = tmp()
    writeFileSync(join(elsewhere, 'run-insights.json'), JSON.stringify({ [RUN]: { headline: SECRET } }))
    const analysis = join(root, 'analysis')
    rmSync(analysis, { recursive: true })
    symlinkSync(elsewhere, analysis)
    const err = importError(() => importPaths(store, [root]))
    expect(err.message).toContain(analysis)
    expect(err.message).toMatch(/symbolic link/)
    expect(store.annotations.history(RUN)).toEqual([])
    expectNothingOfTheSecret(err, db, store)
  })

  it('refuses a link given explicitly as the narratives file too', () => {
    const { root, db, store } = checkout()
    const link = join(tmp(), 'insights.json')
    symlinkSync(outsideFile(`root:${SECRET}:19700:0:99999:7:::\n`), link)
    const err = importError(() => importPaths(store, [root], { insightsFile: link }))
    expect(err.message).toContain(link)
    expect(err.message).toMatch(/symbolic link/)
    expectNothingOfTheSecret(err, db, store)
  })

  it('names the file and the position of a JSON error, never the content', () => {
    for (const content of [`root:${SECRET}:19700:0:99999:7:::\n`, `{"${RUN}": {"headline": "ok"}, ${SECRET}}`, `{"${RUN}": {"headline": "${SECRET}`, `["${SECRET}"]`]) {
      const { root, db, store } = checkout()
      const file = join(root, 'analysis', 'run-insights.json')
      writeFileSync(file, content)
      const err = importError(() => importPaths(store, [root]))
      expect(isAppError(err) && err.code, content).toBe('BAD_INPUT')
      expect(err.message, content).toContain(file)
      if (!content.startsWith('[')) expect(err.message, content).toMatch(/line \d+, column \d+/)
      expectNothingOfTheSecret(err, db, store)
    }
  })

  it('still imports a real narratives file (no link) with the run', () => {
    const { root, store } = checkout()
    cpSync(join(CORPUS, 'analysis', 'run-insights.json'), join(root, 'analysis', 'run-insights.json'))
    const report = importPaths(store, [root])
    expect(report.results.map((r) => [r.id, r.status, r.annotated])).toEqual([[RUN, 'imported', true]])
    expect(store.annotations.history(RUN).length).toBe(1)
  })
})

describe('importer: run folders', () => {
  it('keeps no artifact that is a symbolic link, and no secret from where it points', () => {
    const { root, db, store } = checkout()
    symlinkSync(outsideFile(`{"secret": "${SECRET}"}`), join(root, 'runs', RUN, 'phase3.json'))
    const report = importPaths(store, [root])
    expect(report.results.map((r) => r.status)).toEqual(['imported'])
    expect(store.artifacts.list(RUN).map((a) => a.name)).not.toContain('phase3.json')
    expectNothingOfTheSecret(null, db, store)
  })
})
