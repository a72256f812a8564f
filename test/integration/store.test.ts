import { createHash } from 'node:crypto'
import { readFileSync, readdirSync, existsSync } from 'node:fs'
import { join, resolve } from 'node:path'
import Database from 'better-sqlite3'
import { describe, expect, it } from 'vitest'
import { openDatabase, schemaVersion } from '../../src-main/store/db'
import { MIGRATIONS, SCHEMA_VERSION } from '../../src-main/store/migrations'
import { Store } from '../../src-main/store/store'
import { importPaths } from '../../src-main/import/importer'
import { FIXTURE_RUNS } from '../helpers/fixtures'
import { useTmp } from '../helpers/tmp'

const tmp = useTmp()

// Released migrations are never edited: their source hashes are pinned here. A new migration adds
// a line; changing an old one breaks this test on purpose.
const PINNED: Record<string, string> = {
  '0001-init.ts': '6f0420a4019755d18a08b36da7791e5a17ec13269de7770b742e17866a9e899d',
  '0002-known-hosts.ts': '36cb0967a0382e4734d0b65b7cc8743b7c7772b6fa2b176b43e815df50463efb',
  '0003-run-log.ts': '9b35047a3981b8d4a762c72a0b09ed5381d636a7582b6f333693684f43a36060',
  '0004-journal.ts': 'cb76739c2788dddbcf669b122e05593472a802d3ea8264effa5f88acbb02cf97',
  '0005-campaigns.ts': 'f24794939200df35e20f505d67d4fe368b8a025e18b0a5de61439653a24f8c97',
  '0006-provisions.ts': 'b88072b91b209403b5e03b4a642c96b87b1f259e32f1dd3df2ee97a632ae58f2',
  '0007-judgements.ts': '857eab02a883b69f991a7eabdbcd4088bcc79e1c24b37a511063885e77c40446',
}

describe('history database', () => {
  it('opens with WAL, foreign keys and the current schema version', () => {
    const file = join(tmp(), 'h.sqlite')
    const db = openDatabase(file)
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal')
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1)
    expect(schemaVersion(db)).toBe(SCHEMA_VERSION)
    db.close()
  })

  it('refuses a database written by a newer version, leaving it untouched', () => {
    const file = join(tmp(), 'future.sqlite')
    const raw = new Database(file)
    raw.pragma(`user_version = ${SCHEMA_VERSION + 5}`)
    raw.close()
    expect(() => openDatabase(file)).toThrow(/newer than this Shipgate Lab/)
    const again = new Database(file)
    expect(again.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION + 5)
    again.close()
  })

  it('numbers migrations 1..N in order and keeps released ones unchanged', () => {
    expect(MIGRATIONS.map((m) => m.version)).toEqual(MIGRATIONS.map((_, i) => i + 1))
    const dir = resolve(__dirname, '../../src-main/store/migrations')
    const files = readdirSync(dir).filter((f) => /^\d{4}-.*\.ts$/.test(f)).sort()
    expect(files.length).toBe(MIGRATIONS.length)
    for (const f of files) {
      const hash = createHash('sha256').update(readFileSync(join(dir, f))).digest('hex')
      expect(PINNED[f], `pin the hash of the new migration ${f}`).toBeDefined()
      expect(hash, `${f} was edited after release`).toBe(PINNED[f])
    }
  })

  it('migrates an older database step by step and backs it up first', () => {
    const file = join(tmp(), 'old.sqlite')
    const raw = new Database(file)
    raw.transaction(() => {
      MIGRATIONS[0]?.up(raw)
      raw.pragma('user_version = 1')
    })()
    raw.close()
    const db = openDatabase(file)
    expect(schemaVersion(db)).toBe(SCHEMA_VERSION)
    db.close()
    if (SCHEMA_VERSION > 1) expect(existsSync(`${file}.bak-v1`)).toBe(true)
  })

  it('cascades artifacts and annotations when a run is deleted', () => {
    const store = Store.open(join(tmp(), 'c.sqlite'))
    importPaths(store, [join(FIXTURE_RUNS, 'good-r1')])
    expect(store.artifacts.list('good-r1').length).toBe(7)
    store.runs.delete('good-r1')
    expect(store.artifacts.list('good-r1')).toEqual([])
    store.close()
  })
})

describe('importer', () => {
  it('keeps every artifact byte for byte with its sha256', () => {
    const store = Store.open(join(tmp(), 'i.sqlite'))
    importPaths(store, [join(FIXTURE_RUNS, 'shapes-r1')])
    const original = readFileSync(join(FIXTURE_RUNS, 'shapes-r1', 'phase3.json'))
    const kept = store.artifacts.get('shapes-r1', 'phase3.json')
    expect(kept?.bytes.equals(original)).toBe(true)
    expect(kept?.info.sha256).toBe(createHash('sha256').update(original).digest('hex'))
    store.close()
  })

  it('is idempotent: importing the same folder twice adds nothing', () => {
    const store = Store.open(join(tmp(), 'i.sqlite'))
    const first = importPaths(store, [FIXTURE_RUNS])
    expect(first.results.every((r) => r.status === 'imported')).toBe(true)
    const count = () => store.db.prepare('SELECT (SELECT COUNT(*) FROM runs) + (SELECT COUNT(*) FROM artifacts) + (SELECT COUNT(*) FROM annotations)').pluck().get()
    const before = count()
    const second = importPaths(store, [FIXTURE_RUNS])
    expect(second.results.every((r) => r.status === 'unchanged')).toBe(true)
    expect(count()).toBe(before)
    store.close()
  })
})
