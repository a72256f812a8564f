// Where the desktop app and the CLI keep their data. The CLI uses the same file as the app by
// default, so `shipgate runs` lists what the app shows. Electron's userData for the product name
// "Shipgate Lab" resolves to these same folders.
import { existsSync } from 'node:fs'
import { homedir } from 'node:os'
import { dirname, join } from 'node:path'

export const PRODUCT_NAME = 'Shipgate Lab'

export function defaultDataDir(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string {
  if (env.SHIPGATE_DATA_DIR) return env.SHIPGATE_DATA_DIR
  const home = env.HOME || homedir()
  if (platform === 'darwin') return join(home, 'Library', 'Application Support', PRODUCT_NAME)
  if (platform === 'win32') return join(env.APPDATA || join(home, 'AppData', 'Roaming'), PRODUCT_NAME)
  return join(env.XDG_CONFIG_HOME || join(home, '.config'), PRODUCT_NAME)
}

export function defaultDbPath(env: NodeJS.ProcessEnv = process.env): string {
  return env.SHIPGATE_DB || join(defaultDataDir(env), 'history.sqlite')
}

/**
 * The folder the app runs from (where `resources/` is). Found by walking up from this module, which
 * bundling may place at different depths (out/main, out/main/chunks, src-main/lib under tests).
 */
export function appRoot(start = __dirname): string {
  let dir = start
  for (let i = 0; i < 6; i++) {
    if (existsSync(join(dir, 'resources', 'bin', 'ai-memory'))) return dir
    const up = dirname(dir)
    if (up === dir) break
    dir = up
  }
  throw new Error(`cannot find the app's resources/ folder above ${start}`)
}
