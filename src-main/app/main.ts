// The Electron main process: one secure window over the same services as the command line.
import { app, BrowserWindow, dialog, ipcMain, Notification, safeStorage, session, shell } from 'electron'
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { CHANNELS, RENDERER_READY } from '@shared/ipc/channels'
import { defaultDataDir, defaultDbPath } from '../lib/paths'
import { dispatch } from '../ipc/dispatch'
import { EventQueue } from '../ipc/events'
import { createHandlers } from '../ipc/handlers'
import { AppServices } from '../services/app-services'
import { printPdf } from './pdf'
import { denyPermissions, guardContents, isTrustedSender } from './security'
import { createMainWindow, rendererUrl } from './window'

/** better-sqlite3 rebuilt for Electron's ABI by `npm start` (see README); the Node build serves the CLI. */
function electronSqliteBinding(): string | undefined {
  const candidates = [process.env.SHIPGATE_SQLITE_BINDING, join(app.getAppPath(), '.electron-native', 'better_sqlite3.node')]
  return candidates.find((p): p is string => Boolean(p) && existsSync(p as string))
}

export function startApp(): void {
  // The same data folder as `shipgate` on the command line, so both see one history.
  app.setPath('userData', defaultDataDir())
  if (!app.requestSingleInstanceLock()) {
    app.quit()
    return
  }
  app.enableSandbox()
  app.on('web-contents-created', (_e, contents) => guardContents(contents))

  let win: BrowserWindow | null = null
  const queue = new EventQueue((event, payload) => win?.webContents.send(event, payload))
  let services: AppServices | null = null

  void app.whenReady().then(() => {
    denyPermissions(session.defaultSession)
    services = new AppServices({
      dbPath: defaultDbPath(),
      appVersion: app.getVersion(),
      emit: (event, payload) => queue.push(event, payload),
      emitRunsChanged: (runId) => queue.push('runs.changed', { runId }),
      notify: (title, body) => {
        if (Notification.isSupported()) new Notification({ title, body }).show()
      },
      pickFolder: async () => {
        const r = await dialog.showOpenDialog({ properties: ['openDirectory', 'openFile', 'multiSelections'], title: 'Import ship-gate runs or a run bundle' })
        return r.canceled ? null : r.filePaths
      },
      pickSavePath: async (defaultName) => {
        const r = await dialog.showSaveDialog({ defaultPath: defaultName })
        return r.canceled || !r.filePath ? null : r.filePath
      },
      openExternal: (url) => shell.openExternal(url),
      printPdf,
      // The DigitalOcean token is sealed by the OS keychain; the renderer never sees it.
      secretCipher: safeStorage,
      ...(electronSqliteBinding() ? { nativeBinding: electronSqliteBinding() as string } : {}),
    })
    const handlers = createHandlers(services)
    for (const channel of CHANNELS) {
      ipcMain.handle(channel, (event, raw: unknown) => {
        if (!isTrustedSender(event.senderFrame?.url, rendererUrl())) return { ok: false, error: { code: 'FORBIDDEN', message: `untrusted sender for ${channel}` } }
        return dispatch(handlers, channel, raw)
      })
    }
    ipcMain.on(RENDERER_READY, (event) => {
      if (isTrustedSender(event.senderFrame?.url, rendererUrl())) queue.markReady()
    })
    win = createMainWindow()
    win.webContents.on('did-start-loading', () => queue.reset())
    void services.recover()
  })

  app.on('window-all-closed', () => app.quit())
  app.on('will-quit', (event) => {
    if (!services) return
    // Cancel live runs and let their teardown (the fault journal) finish before quitting.
    event.preventDefault()
    const s = services
    services = null
    void s.dispose().finally(() => app.quit())
  })
}
