import { app, BrowserWindow } from 'electron'
import { join } from 'node:path'

export function startApp(): void {
  void app.whenReady().then(() => {
    const win = new BrowserWindow({
      width: 1280,
      height: 820,
      show: false,
      webPreferences: { preload: join(__dirname, '../preload/index.js'), contextIsolation: true, sandbox: true, nodeIntegration: false },
    })
    win.once('ready-to-show', () => win.show())
    void win.loadFile(join(__dirname, '../renderer/index.html'))
  })
}
