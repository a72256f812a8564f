// Soaks and release files in the desktop app: the IPC handlers over the app's service graph. The
// report is the one the CLI prints; a soak started in the app runs real demo runs through the same
// RunService, pushes `soak.event`, notifies when a run is not PASS, and holds the lock the CLI honours.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import type { SoakEvent } from '@shared/soak'
import { demoCampaign } from '../../src-main/demo/demo'
import { dispatch } from '../../src-main/ipc/dispatch'
import { createHandlers, type Handlers } from '../../src-main/ipc/handlers'
import { AppServices } from '../../src-main/services/app-services'
import { campaignToYaml } from '../../src-main/services/campaign-service'
import { cliOver } from '../helpers/services'
import { storeSeries } from '../unit/soak-fixtures'

let app: AppServices
let handlers: Handlers
let dir: string
const events: SoakEvent[] = []
const notes: string[] = []
let savePath: string | null = null
let dialogsShown = 0

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'shipgate-soak-app-'))
  app = new AppServices({
    dbPath: join(dir, 'history.sqlite'),
    appVersion: 'test',
    emit: (event, payload) => void (event === 'soak.event' && events.push(payload as SoakEvent)),
    notify: (title, body) => void notes.push(`${title} | ${body}`),
    pickSavePath: async () => {
      dialogsShown++
      return savePath
    },
    env: {},
    services: { knownHostsFiles: [] },
  })
  handlers = createHandlers(app)
})
afterAll(async () => {
  await app.dispose()
  rmSync(dir, { recursive: true, force: true })
})

function cli(...args: string[]): Promise<{ code: number; out: string }> {
  return cliOver(app, args)
}

describe('soak and release in the app', { timeout: 180_000 }, () => {
  it('soak.list and soak.report give what `shipgate soak --json` prints', async () => {
    storeSeries(app.core.store, 'soak-app', [{}, {}, { verdict: 'fail' }])
    const list = await dispatch(handlers, 'soak.list', {})
    expect(list).toMatchObject({ ok: true, value: [expect.objectContaining({ series: 'soak-app', runs: 3, pass: 2, fail: 1 })] })
    const view = await dispatch(handlers, 'soak.report', { series: 'soak-app', expect: 3 })
    const fromCli = await cli('--db', app.deps.dbPath, 'soak', 'soak-app', '--json', '--expect', '3')
    expect(fromCli.code).toBe(1)
    expect(view.ok && view.value).toMatchObject({ report: JSON.parse(fromCli.out) as object })
    expect(view.ok && (view.value as { runs: unknown[] }).runs).toHaveLength(3)
    expect(await dispatch(handlers, 'soak.report', { series: '../x' })).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST' } })
    expect(await dispatch(handlers, 'soak.report', { series: 'nope' })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } })
  })

  it('release.write saves where the dialog says, refuses with reasons, and does nothing when cancelled', async () => {
    storeSeries(app.core.store, 'rel', [{}, { simulated: true }])
    savePath = null
    expect(await dispatch(handlers, 'release.write', { runId: 'rel-r1', version: 'v0.6.0' })).toEqual({ ok: true, value: { written: null, verdict: null, headline: null } })
    savePath = join(dir, 'releases', 'v0.6.0', 'summary.json')
    const ok = await dispatch(handlers, 'release.write', { runId: 'rel-r1', version: 'v0.6.0' })
    expect(ok).toMatchObject({ ok: true, value: { written: savePath, verdict: 'pass' } })
    expect(JSON.parse(readFileSync(savePath, 'utf8'))).toMatchObject({ campaign_run_id: 'rel-r1', release: { generated_by: 'Shipgate Lab test' } })
    const shown = dialogsShown
    const refused = await dispatch(handlers, 'release.write', { runId: 'rel-r2', version: 'v0.6.0' })
    expect(refused).toMatchObject({ ok: false, error: { code: 'CONFLICT' } })
    expect(!refused.ok && refused.error.message).toMatch(/simulated ai-memory/)
    // Refused before the save dialog: nobody chooses a place for a file that will not be written.
    expect(dialogsShown).toBe(shown)
    // The page cannot ask to overwrite: the OS dialog asks that.
    expect(await dispatch(handlers, 'release.write', { runId: 'rel-r1', version: 'v0.6.0', force: true })).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST' } })
  })

  it('runs a real soak through the same RunService, notifies on a run that is not PASS, and keeps the CLI out meanwhile', async () => {
    const start = vi.spyOn(app.core.runs, 'start')
    const yaml = campaignToYaml(await demoCampaign({ phases: [1], baseDir: mkdtempSync(join(dir, 'lab-')) }))
    expect(await dispatch(handlers, 'soak.start', { yaml, count: 1, every: 'soon' })).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST' } })
    expect(await dispatch(handlers, 'soak.start', { yaml, count: 1, every: '0s', series: 'app-soak' })).toEqual({ ok: true, value: { series: 'app-soak' } })
    expect(await dispatch(handlers, 'soak.status', {})).toMatchObject({ ok: true, value: { series: 'app-soak', count: 1 } })
    // The CLI of the same database is refused while the app holds the series.
    const other = await cli('--db', app.deps.dbPath, 'soak', 'run', 'demo', '--phases', '1', '--count', '1', '--every', '0s', '--series', 'app-soak')
    expect(other.code).toBe(1)
    expect(other.out).toMatch(/already running/)
    await vi.waitFor(() => expect(events.some((e) => e.type === 'soak-ended')).toBe(true), { timeout: 120_000, interval: 200 })
    expect(events.map((e) => e.type)).toEqual(['soak-started', 'run-started', 'run-finished', 'soak-ended'])
    expect(start).toHaveBeenCalledTimes(1)
    expect(start.mock.calls[0]?.[0].name).toBe('app-soak')
    expect(notes).toEqual([expect.stringMatching(/^Soak app-soak: app-soak-r1 INCOMPLETE \| INCOMPLETE/)])
    expect(await dispatch(handlers, 'soak.status', {})).toEqual({ ok: true, value: null })
    expect(await dispatch(handlers, 'soak.stop', {})).toEqual({ ok: true, value: { stop: 'none' } })
    expect(existsSync(join(dir, 'soak', 'app-soak.lock'))).toBe(false)
  })
})
