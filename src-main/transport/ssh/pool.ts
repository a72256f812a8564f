// One SshConnection per endpoint (jump hosts included), shared by every phase of a run.
import type { AskPassphrase } from './credentials'
import { type SshEndpoint, endpointLabel } from './endpoint'
import type { HostKeyPolicy } from './host-keys'
import { SshConnection, type SshTimings } from './connection'

export interface SshPoolOptions {
  hostKeys: HostKeyPolicy
  askPassphrase?: AskPassphrase
  timings?: Partial<SshTimings>
  env?: NodeJS.ProcessEnv
}

export class SshPool {
  private readonly connections = new Map<string, SshConnection>()

  constructor(private readonly options: SshPoolOptions) {}

  get(endpoint: SshEndpoint, name?: string): SshConnection {
    const key = endpointLabel(endpoint)
    let c = this.connections.get(key)
    if (!c) {
      c = new SshConnection(endpoint, { ...this.options, jumpConnection: (jump) => this.get(jump) }, name)
      this.connections.set(key, c)
    }
    return c
  }

  async dispose(): Promise<void> {
    const all = [...this.connections.values()].reverse()
    this.connections.clear()
    await Promise.all(all.map((c) => c.dispose()))
  }
}
