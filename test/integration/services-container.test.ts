// The desktop app and the command line are two front ends over one service graph: for import,
// export, run, recover and reconcile, the app's IPC handlers and the CLI's commands reach the
// very same service method (spied on, called through, never replaced).
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { createHandlers, type Handlers } from '../../src-main/ipc/handlers'
import { main } from '../../src-main/cli/main'
import { AppServices } from '../../src-main/services/app-services'
import { createServices } from '../../src-main/services/container'
import { FIXTURE_RUNS } from '../helpers/fixtures'
import { cliOver } from '../helpers/services'
let app: AppServices
let handlers: Handlers
let dir: string
const picked: { open: string[]; save: string | null } = { open: [], save: null }

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'shipgate-front-ends-'))
  app = new AppServices({
    dbPath: join(dir, 'history.sqlite'),
    appVersion: 'test',
    emit: () => undefined,
    // The OS file dialogs cannot run headless: stand-ins return the paths a user would pick.
    pickOpen: async () => picked.open,
    pickSavePath: async () => picked.save,
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

async function viaDialog(paths: string[]): Promise<string> {
  picked.open = paths
  const choice = await handlers['dialog.open']({ purpose: 'folders' })
  if (!choice.token) throw new Error('no token')
  return choice.token
}

describe('the app and the CLI reach the same services', { timeout: 120_000 }, () => {
  it('import', async () => {
    const spy = vi.spyOn(app.core.imports, 'import')
    await handlers['runs.import']({ token: await viaDialog([join(FIXTURE_RUNS, 'good-r1')]) })
    expect((await cli('import', join(FIXTURE_RUNS, 'store-failed-r1'))).code).toBe(0)
    expect(spy.mock.calls.map((c) => c[0])).toEqual([[join(FIXTURE_RUNS, 'good-r1')], [join(FIXTURE_RUNS, 'store-failed-r1')]])
    expect(app.core.store.runs.exists('good-r1') && app.core.store.runs.exists('store-failed-r1')).toBe(true)
  })

  it('export', async () => {
    const spy = vi.spyOn(app.core.exports, 'write')
    picked.save = join(dir, 'from-app.xml')
    const choice = await handlers['dialog.save']({ runId: 'good-r1', format: 'junit' })
    await handlers['export.run']({ runId: 'good-r1', format: 'junit', token: choice.token as string })
    expect((await cli('export', 'good-r1', '--junit', join(dir, 'from-cli.xml'))).code).toBe(0)
    expect(spy.mock.calls.map((c) => [c[0], c[1], c[2]])).toEqual([
      ['good-r1', 'junit', join(dir, 'from-app.xml')],
      ['good-r1', 'junit', join(dir, 'from-cli.xml')],
    ])
    expect(existsSync(join(dir, 'from-app.xml')) && existsSync(join(dir, 'from-cli.xml'))).toBe(true)
  })

  it('run', async () => {
    const spy = vi.spyOn(app.core.runs, 'start')
    const { yaml } = await handlers['campaigns.demo']({})
    const file = join(dir, 'demo.yaml')
    writeFileSync(file, yaml.replace(/^phases:[\s\S]*?(?=^\w)/m, 'phases: [1]\n'))
    const { runId } = await handlers['live.start']({ yaml: yaml.replace(/^phases:[\s\S]*?(?=^\w)/m, 'phases: [1]\n') })
    await app.live.wait(runId)
    await cli('run', file)
    expect(spy).toHaveBeenCalledTimes(2)
    expect(spy.mock.calls.map((c) => c[0].name)).toEqual(['demo', 'demo'])
  })

  it('recover', async () => {
    const spy = vi.spyOn(app.core.runs, 'recoverInterrupted')
    await app.recover()
    expect((await cli('recover')).code).toBe(0)
    expect(spy).toHaveBeenCalledTimes(2)
  })

  it('reconcile', async () => {
    const spy = vi.spyOn(app.core.reconcile, 'leftovers')
    await handlers['cloud.leftovers']({})
    await cli('reconcile', '--json')
    // The app's start also lists leftovers (recover, above, ran before this spy existed).
    expect(spy).toHaveBeenCalledTimes(2)
  })
})

describe('configuration both front ends read alike', () => {
  it('SHIPGATE_KNOWN_HOSTS reaches the app, as it reaches the CLI', async () => {
    const d = mkdtempSync(join(tmpdir(), 'shipgate-config-'))
    const env = { SHIPGATE_KNOWN_HOSTS: '/etc/lab/known_hosts:/srv/more_hosts' }
    const desktop = new AppServices({ dbPath: join(d, 'a.sqlite'), appVersion: 'test', emit: () => undefined, env })
    let cliFiles: string[] = []
    await main(['node', 'shipgate', '--db', join(d, 'b.sqlite'), 'costs'], { out: () => undefined, err: () => undefined, env, isTty: false }, {
      services: (config) => {
        cliFiles = config.knownHostsFiles
        return createServices(config)
      },
    })
    expect(desktop.core.transportOptions.knownHostsFiles).toEqual(expect.arrayContaining(['/etc/lab/known_hosts', '/srv/more_hosts']))
    expect(cliFiles).toEqual(desktop.core.transportOptions.knownHostsFiles)
    await desktop.dispose()
    rmSync(d, { recursive: true, force: true })
  })
})
