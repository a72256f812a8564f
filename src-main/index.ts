// Electron main-process entry: everything Electron-specific lives in ./app.
import { startApp } from './app/main'

startApp()
