// The Electron main process: one secure window over the same services as the command line. Only
// this folder imports `electron`; everything it builds comes from the shared composition root.
import { app, BrowserWindow, dialog, ipcMain, Notification, safeStorage, session, shell } from 'electron'
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { CHANNELS, RENDERER_READY } from '@shared/ipc/channels'
import { errorMessage } from '../lib/errors'
import { fileLogger, fireAndForget, type Logger } from '../lib/logger'
import { defaultDataDir, defaultDbPath } from '../lib/paths'
import { dispatch } from '../ipc/dispatch'
import { EventQueue } from '../ipc/events'
import { createHandlers } from '../ipc/handlers'
import { AppServices } from '../services/app-services'
import { pickOpen, pickSavePath } from './dialogs'
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
  const logger: Logger = fileLogger({ file: join(defaultDataDir(), 'logs', 'main.log') })
  process.on('uncaughtException', (err) => logger.error('uncaught exception', { error: errorMessage(err) }))
  process.on('unhandledRejection', (err) => logger.error('unhandled rejection', { error: errorMessage(err) }))
  app.enableSandbox()
  app.on('web-contents-created', (_e, contents) => guardContents(contents))

  let win: BrowserWindow | null = null
  const queue = new EventQueue((event, payload) => win?.webContents.send(event, payload))
  let services: AppServices | null = null

  const start = () => {
    denyPermissions(session.defaultSession)
    logger.info('starting', { version: app.getVersion() })
    try {
      services = new AppServices({
        dbPath: defaultDbPath(),
        appVersion: app.getVersion(),
        logger,
        emit: (event, payload) => queue.push(event, payload),
        emitRunsChanged: (runId) => queue.push('runs.changed', { runId }),
        notify: (title, body) => {
          if (Notification.isSupported()) new Notification({ title, body }).show()
        },
        pickOpen,
        pickSavePath,
        openExternal: (url) => shell.openExternal(url),
        printPdf,
        // The DigitalOcean token is sealed by the OS keychain; the renderer never sees it.
        secretCipher: safeStorage,
        ...(electronSqliteBinding() ? { nativeBinding: electronSqliteBinding() as string } : {}),
      })
    } catch (err) {
      // A database written by a newer version, a full disk, a damaged file: say why and where, then quit.
      logger.error('the services did not start', { error: errorMessage(err) })
      dialog.showErrorBox('Shipgate Lab cannot start', `${errorMessage(err)}\n\nThe log is at ${logger.file}.`)
      app.quit()
      return
    }
    const handlers = createHandlers(services)
    for (const channel of CHANNELS) {
      ipcMain.handle(channel, (event, raw: unknown) => {
        if (!isTrustedSender(event.senderFrame?.url, rendererUrl())) {
          logger.warn('refused a request from an untrusted sender', { channel, sender: event.senderFrame?.url ?? 'unknown' })
          return { ok: false, error: { code: 'FORBIDDEN', message: `untrusted sender for ${channel}` } }
        }
        return dispatch(handlers, channel, raw, logger)
      })
    }
    ipcMain.on(RENDERER_READY, (event) => {
      if (isTrustedSender(event.senderFrame?.url, rendererUrl())) queue.markReady()
    })
    win = createMainWindow()
    win.webContents.on('did-start-loading', () => queue.reset())
    fireAndForget(logger, 'recovery at start', services.recover())
  }

  app.whenReady().then(start, (err: unknown) => logger.error('Electron did not get ready', { error: errorMessage(err) }))

  app.on('window-all-closed', () => app.quit())
  app.on('will-quit', (event) => {
    if (!services) return
    // Cancel live runs and let their teardown (the fault journal) finish before quitting.
    event.preventDefault()
    const s = services
    services = null
    s.dispose()
      .catch((err: unknown) => logger.error('shutdown did not finish cleanly', { error: errorMessage(err) }))
      .finally(() => app.quit())
  })
}
