// The service graph the app and the CLI build, for tests: the real composition root over a
// temporary database, with nothing from this machine's environment.
import { join } from 'node:path'
import { fileLogger } from '../../src-main/lib/logger'
import { AppServices } from '../../src-main/services/app-services'
import { main } from '../../src-main/cli/main'
import { type ServiceConfig, type Services, createServices } from '../../src-main/services/container'

export function testServices(dbPath: string, overrides: Partial<ServiceConfig> = {}): Services {
  return createServices({ dbPath, appVersion: 'test', knownHostsFiles: [], digitalOceanToken: () => null, ...overrides })
}

/** The desktop app's services over a database in `dir`, logging to `dir`/logs/main.log; disposed after `fn`. */
export function withAppServices<T>(dir: string, fn: (s: AppServices, logFile: string) => Promise<T>): Promise<T> {
  const logFile = join(dir, 'logs', 'main.log')
  const s = new AppServices({ dbPath: join(dir, 'h.sqlite'), appVersion: 'test', emit: () => undefined, services: { knownHostsFiles: [] }, logger: fileLogger({ file: logFile }) })
  return fn(s, logFile).finally(() => s.dispose())
}

/** The CLI in-process over the app's own service graph (closing it is the app's business, not the command's). */
export async function cliOver(app: AppServices, args: string[]): Promise<{ code: number; out: string }> {
  let out = ''
  const shared: Services = { ...app.core, close: () => undefined }
  const code = await main(['node', 'shipgate', ...args], { out: (t) => void (out += `${t}\n`), err: (t) => void (out += `${t}\n`), env: {}, isTty: false }, { services: () => shared })
  return { code, out }
}
