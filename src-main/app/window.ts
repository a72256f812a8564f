import { app, BrowserWindow } from 'electron'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { guardContents, secureWebPreferences } from './security'

// Paths from the app's root (where package.json is), not from this module: bundling may move it.
const built = (...parts: string[]) => join(app.getAppPath(), 'out', ...parts)

export function rendererUrl(): string {
  return process.env.ELECTRON_RENDERER_URL ?? pathToFileURL(built('renderer', 'index.html')).toString()
}

export function createMainWindow(): BrowserWindow {
  const win = new BrowserWindow({
    width: 1360,
    height: 880,
    minWidth: 960,
    minHeight: 600,
    show: false,
    title: 'Shipgate Lab',
    backgroundColor: '#16181c',
    webPreferences: secureWebPreferences(built('preload', 'index.js')),
  })
  guardContents(win.webContents)
  win.once('ready-to-show', () => win.show())
  if (process.env.ELECTRON_RENDERER_URL) void win.loadURL(process.env.ELECTRON_RENDERER_URL)
  else void win.loadFile(built('renderer', 'index.html'))
  return win
}
