// The built-in demo lab: three simulated ai-memory nodes and a chaos client on this machine, run
// with local processes, so a whole campaign runs without droplets, root or network.
import { createServer } from 'node:net'
import { chmodSync, mkdirSync, mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { appRoot } from '../lib/paths'
import { type Campaign, type CampaignInput, campaignSchema } from '@shared/campaign'
import type { FaultClass } from '@shared/domain'

/** The simulated ai-memory shipped with the app. */
export function simulatorBinary(root = appRoot()): string {
  return join(root, 'resources', 'bin', 'ai-memory')
}

/** The bundled PGlite server (PostgreSQL with pgvector): the demo lab's PostgreSQL on any machine. */
export function pgliteServer(root = appRoot()): string {
  return join(root, 'resources', 'bin', 'shipgate-pglite')
}

/**
 * The built-in demo lab: local processes running only the bundled simulator and PGlite, on static
 * hosts, uploading nothing. The desktop app runs local campaigns only when they are this (unless
 * the user allows local campaigns in the settings): a page must not be able to launch commands.
 */
export function isDemoLab(c: Campaign, root = appRoot()): boolean {
  const pg = c.parameters.phase3.postgres
  return (
    c.transport === 'local' &&
    c.provisioner.kind === 'static' &&
    c.ai_memory.binary === simulatorBinary(root) &&
    c.ai_memory.upload === undefined &&
    c.ai_memory.url === undefined &&
    ('url' in pg || pg.server !== 'pglite' || pg.pglite === pgliteServer(root))
  )
}

/** Ports the OS says are free now (bound to port 0 and released). */
export async function freePorts(count: number): Promise<number[]> {
  const servers = await Promise.all(
    Array.from(
      { length: count },
      () =>
        new Promise<import('node:net').Server>((res, rej) => {
          const s = createServer()
          s.once('error', rej)
          s.listen(0, '127.0.0.1', () => res(s))
        }),
    ),
  )
  const ports = servers.map((s) => (s.address() as import('node:net').AddressInfo).port)
  await Promise.all(servers.map((s) => new Promise((r) => s.close(r))))
  return ports
}

/** Faults that need neither root nor extra packages: what the demo runs by default. */
export const DEMO_FAULTS: FaultClass[] = ['kill_primary_mid_write', 'drop_random_acks']

export interface DemoOptions {
  name?: string
  binary?: string
  baseDir?: string
  phases?: (1 | 2 | 3 | 4)[]
  faults?: FaultClass[]
  cycles?: number
  writesPerCycle?: number
  writesPerAgent?: number
  memories?: number
  /** Environment for every ai-memory command, e.g. the simulator's bug switches. */
  env?: Record<string, string>
  overrides?: Partial<CampaignInput>
}

export async function demoCampaign(o: DemoOptions = {}): Promise<Campaign> {
  const base = o.baseDir ?? mkdtempSync(join(tmpdir(), 'shipgate-demo-'))
  mkdirSync(base, { recursive: true })
  // Traversable by the unprivileged account a managed PostgreSQL runs as when we are root.
  chmodSync(base, 0o755)
  const [pa, pb, pc, h0, h1, h2] = await freePorts(6)
  const host = (role: string, apiPort: number | undefined) => ({
    address: 'localhost',
    name: `demo-${role}`,
    api_port: apiPort ?? 9077,
    workdir: join(base, role),
  })
  const input: CampaignInput = {
    name: o.name ?? 'demo',
    description: 'Built-in demo lab: simulated ai-memory nodes on this machine (local processes).',
    transport: 'local',
    ai_memory: { binary: o.binary ?? simulatorBinary(), ref: 'simulated', env: o.env ?? {} },
    hosts: { 'node-a': host('node-a', pa), 'node-b': host('node-b', pb), 'node-c': host('node-c', pc), chaos: host('chaos', undefined) },
    phases: o.phases ?? [1, 2, 3, 4],
    parameters: {
      phase2: { bind_address: '127.0.0.1', settle_deadline_s: 30, ...(o.writesPerAgent ? { writes_per_agent: o.writesPerAgent } : {}) },
      // PGlite with pgvector: the real binary needs the extension, and Debian has no package for it.
      phase3: { seed_via: 'http', postgres: { managed: true, server: 'pglite', pglite: pgliteServer() }, ...(o.memories ? { memories: o.memories } : {}) },
      phase4: {
        topology: 'harness',
        faults: o.faults ?? DEMO_FAULTS,
        cycles: o.cycles ?? 50,
        writes_per_cycle: o.writesPerCycle ?? 100,
        harness_ports: [h0 ?? 19077, h1 ?? 19078, h2 ?? 19079],
        settle_deadline_s: 10,
      },
    },
    ...o.overrides,
  }
  return campaignSchema.parse(input)
}
