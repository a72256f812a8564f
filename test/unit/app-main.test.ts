// The Electron shell's start: when the services cannot start it says why and where the log is, and
// quits; its import dialogs let bundles be picked on every platform. Electron cannot run here (its
// binary cannot be downloaded): `electron` is a double that records what the shell asks of it.
import Database from 'better-sqlite3'
import { existsSync, mkdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { useTmp } from '../helpers/tmp'

const calls = vi.hoisted(() => ({ errorBoxes: [] as [string, string][], openDialogs: [] as Record<string, unknown>[], quit: 0, ready: [] as (() => void)[] }))

vi.mock('electron', () => ({
  app: {
    setPath: () => undefined,
    requestSingleInstanceLock: () => true,
    enableSandbox: () => undefined,
    on: () => undefined,
    whenReady: () => new Promise<void>((resolve) => calls.ready.push(resolve)),
    getVersion: () => '0.0.0-test',
    getAppPath: () => '/opt/shipgate',
    quit: () => void calls.quit++,
  },
  dialog: {
    showErrorBox: (title: string, body: string) => void calls.errorBoxes.push([title, body]),
    showOpenDialog: async (options: Record<string, unknown>) => {
      calls.openDialogs.push(options)
      return { canceled: false, filePaths: ['/picked'] }
    },
    showSaveDialog: async () => ({ canceled: true }),
  },
  ipcMain: { handle: () => undefined, on: () => undefined },
  Notification: { isSupported: () => false },
  safeStorage: { isEncryptionAvailable: () => false },
  session: { defaultSession: { setPermissionRequestHandler: () => undefined, setPermissionCheckHandler: () => undefined } },
  shell: { openExternal: async () => undefined },
  BrowserWindow: class {},
}))

const tmp = useTmp()
const saved = { ...process.env }
afterAll(() => {
  process.env = saved
})

describe('the Electron shell at start', () => {
  // The unit project shares workers between files (isolate: false): this file's double of electron
  // must be the one the shell's modules see, not a module another file imported earlier.
  beforeAll(() => vi.resetModules())

  it('shows why the services could not start, and where the log is, then quits', async () => {
    const dir = tmp()
    mkdirSync(dir, { recursive: true })
    const db = join(dir, 'history.sqlite')
    const raw = new Database(db)
    raw.pragma('user_version = 999')
    raw.close()
    process.env.SHIPGATE_DATA_DIR = dir
    process.env.SHIPGATE_DB = db
    const { startApp } = await import('../../src-main/app/main')
    startApp()
    for (const resolve of calls.ready) resolve()
    await vi.waitFor(() => expect(calls.errorBoxes).toHaveLength(1))
    const [title, body] = calls.errorBoxes[0] as [string, string]
    expect(title).toBe('Shipgate Lab cannot start')
    expect(body).toMatch(/has schema version 999, newer than this Shipgate Lab/)
    expect(body).toContain(`The log is at ${join(dir, 'logs', 'main.log')}`)
    expect(calls.quit).toBe(1)
    // The main process keeps a log of its own, and it says the same.
    expect(existsSync(join(dir, 'logs', 'main.log'))).toBe(true)
    expect(readFileSync(join(dir, 'logs', 'main.log'), 'utf8')).toMatch(/ERROR the services did not start error="[^"]*newer than this Shipgate Lab/)
  })

  it('picks run folders and run bundles with dialogs of their own (Linux and Windows cannot pick both at once)', async () => {
    const { pickOpen } = await import('../../src-main/app/dialogs')
    await pickOpen('folders')
    await pickOpen('bundle')
    expect(calls.openDialogs[0]?.properties).toEqual(['openDirectory', 'multiSelections'])
    expect(calls.openDialogs[1]?.properties).toEqual(['openFile'])
    expect(calls.openDialogs[1]?.filters).toEqual([{ name: 'Shipgate Lab run bundle', extensions: ['json'] }])
  })
})
