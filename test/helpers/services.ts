// The service graph the app and the CLI build, for tests: the real composition root over a
// temporary database, with nothing from this machine's environment.
import { type ServiceConfig, type Services, createServices } from '../../src-main/services/container'

export function testServices(dbPath: string, overrides: Partial<ServiceConfig> = {}): Services {
  return createServices({ dbPath, appVersion: 'test', knownHostsFiles: [], digitalOceanToken: () => null, ...overrides })
}
