// Bootstrap of fresh hosts over SSH: what the phases need and nothing more. Every step checks
// before it changes anything, so running it twice changes nothing the second time.
import { createHash, randomBytes } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { posix } from 'node:path'
import type { Campaign } from '@shared/campaign'
import { HOST_ROLES, type HostRole } from '@shared/domain'
import { AppError } from '../lib/errors'
import { q } from '../transport/quote'
import type { Transport } from '../transport/types'

export interface BootstrapHost {
  role: HostRole
  name: string
  transport: Transport
}

export interface BootstrapIo {
  step<T>(name: string, host: string, work: () => Promise<T>): Promise<T>
  log(line: string, host: string): void
  signal?: AbortSignal
}

interface Requirement {
  /** Shell test that succeeds when the tool is there. */
  present: string
  pkg: string
}

/** What each host needs for the campaign's phases (ship-gate learned these one failed run at a time). */
export function requirements(campaign: Campaign, role: HostRole): Requirement[] {
  const reqs: Requirement[] = [
    { present: 'command -v curl', pkg: 'curl' },
    { present: 'command -v ps', pkg: 'procps' },
    { present: 'command -v sha256sum', pkg: 'coreutils' },
  ]
  // Faults run on the chaos client (harness topology) or on the peers (federation): both get the tools.
  const p4 = campaign.parameters.phase4
  if (campaign.phases.includes(4)) {
    reqs.push({ present: 'command -v iptables', pkg: 'iptables' })
    if (p4.faults.includes('clock_skew_peer')) reqs.push({ present: 'command -v faketime', pkg: 'faketime' })
  }
  const pg = campaign.parameters.phase3.postgres
  const systemPg = campaign.phases.includes(3) && 'managed' in pg && pg.server === 'system'
  if (systemPg && role === 'node-a') {
    reqs.push({ present: 'ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || command -v initdb', pkg: 'postgresql' })
    // ai-memory's Postgres store creates the vector extension (src/store/postgres_schema.sql); Ubuntu 24.04 ships PostgreSQL 16.
    reqs.push({ present: 'ls /usr/share/postgresql/*/extension/vector.control >/dev/null 2>&1', pkg: 'postgresql-16-pgvector' })
  }
  return reqs
}

/** Installs the missing packages with apt (waiting for cloud-init's own apt run to release its lock). */
export function packagesCommand(reqs: Requirement[]): string {
  const checks = reqs.map((r) => `{ ${r.present} >/dev/null 2>&1 || missing="$missing ${r.pkg}"; }`).join('; ')
  return [
    `missing=''; ${checks}`,
    `if [ -z "$missing" ]; then echo "already installed: ${reqs.map((r) => r.pkg).join(' ')}"; exit 0; fi`,
    `command -v apt-get >/dev/null || { echo "missing:$missing (and no apt-get to install them)" >&2; exit 3; }`,
    `export DEBIAN_FRONTEND=noninteractive`,
    `apt-get -o DPkg::Lock::Timeout=300 update -qq && apt-get -o DPkg::Lock::Timeout=300 install -y -qq --no-install-recommends $missing >/dev/null && echo "installed:$missing"`,
  ].join('\n')
}

/** ship-gate's r23: Ubuntu 24.04 ships with UFW on; the cloud firewall is the boundary, so UFW goes off. */
export const FIREWALL_COMMAND = `if command -v ufw >/dev/null 2>&1 && ufw status 2>/dev/null | grep -q 'Status: active'; then ufw --force disable >/dev/null && echo 'ufw was active: disabled'; else echo 'ufw not active'; fi`

export const CLOUD_INIT_COMMAND = `if command -v cloud-init >/dev/null 2>&1; then timeout 600 cloud-init status --wait >/dev/null 2>&1; echo "cloud-init: $(cloud-init status 2>/dev/null | tr '\\n' ' ')"; else echo 'no cloud-init'; fi`

async function must(t: Transport, command: string, what: string, io: BootstrapIo, host: string, timeoutMs = 120_000): Promise<string> {
  const r = await t.exec(command, { timeoutMs, ...(io.signal ? { signal: io.signal } : {}), onStdout: (l) => io.log(l, host), onStderr: (l) => io.log(l, host) })
  if (r.cancelled) throw new AppError('CANCELLED', `${what} was cancelled`)
  if (r.exitCode !== 0) throw new AppError('PROVISION', `${what} failed on ${host} (exit ${r.exitCode ?? (r.timedOut ? 'timeout' : r.signal)}): ${r.stderr.trim().split('\n').slice(-2).join(' ').slice(0, 300)}`)
  return r.stdout
}

async function installBinary(campaign: Campaign, h: BootstrapHost, io: BootstrapIo, upload: { bytes: Uint8Array; sha256: string } | null): Promise<void> {
  const bin = campaign.ai_memory.binary
  // Unique per host: hosts sharing a file system (an NFS home, the test lab) must not collide.
  const tmp = `${bin}.shipgate-${h.role}-${randomBytes(4).toString('hex')}`
  const current = (await h.transport.exec(`sha256sum ${q(bin)} 2>/dev/null | cut -d' ' -f1`, { timeoutMs: 60_000 })).stdout.trim()
  if (upload) {
    if (current === upload.sha256) {
      io.log(`${bin} is already the uploaded build (sha256 ${upload.sha256.slice(0, 12)})`, h.name)
      return
    }
    await must(h.transport, `mkdir -p ${q(posix.dirname(bin))}`, 'create the binary folder', io, h.name)
    await h.transport.upload(upload.bytes, tmp, 0o755)
    await must(h.transport, `[ "$(sha256sum ${q(tmp)} | cut -d' ' -f1)" = ${q(upload.sha256)} ] && mv -f ${q(tmp)} ${q(bin)}`, 'verify the uploaded binary', io, h.name)
    io.log(`uploaded ${bin} (${upload.bytes.length} bytes, sha256 ${upload.sha256.slice(0, 12)})`, h.name)
  } else if (campaign.ai_memory.url) {
    const url = campaign.ai_memory.url
    await must(
      h.transport,
      `mkdir -p ${q(posix.dirname(bin))} && curl -fsSL --retry 3 -o ${q(tmp)} ${q(url)} && chmod 755 ${q(tmp)} && if [ "$(sha256sum ${q(tmp)} | cut -d' ' -f1)" = ${q(current)} ]; then rm -f ${q(tmp)}; echo 'unchanged'; else mv -f ${q(tmp)} ${q(bin)}; echo 'installed'; fi`,
      'download the binary',
      io,
      h.name,
      600_000,
    )
  }
  const version = await must(h.transport, `${q(bin)} --version`, `${bin} --version`, io, h.name, 60_000)
  io.log(`ai-memory: ${version.trim().split('\n')[0] ?? ''}`, h.name)
}

/** Bootstraps the four hosts in parallel; each step is shown per host in the live run. */
export async function bootstrapHosts(campaign: Campaign, hosts: Record<HostRole, BootstrapHost>, io: BootstrapIo): Promise<void> {
  const local = campaign.ai_memory.upload
  let upload: { bytes: Uint8Array; sha256: string } | null = null
  if (local) {
    let bytes: Buffer
    try {
      bytes = readFileSync(local)
    } catch (err) {
      throw new AppError('PROVISION', `cannot read the ai-memory binary to upload (${local}): ${(err as Error).message}`)
    }
    upload = { bytes, sha256: createHash('sha256').update(bytes).digest('hex') }
  }
  await Promise.all(
    HOST_ROLES.map(async (role) => {
      const h = hosts[role]
      await io.step('wait for cloud-init', h.name, () => must(h.transport, CLOUD_INIT_COMMAND, 'cloud-init wait', io, h.name, 660_000))
      await io.step('packages', h.name, () => must(h.transport, packagesCommand(requirements(campaign, role)), 'package installation', io, h.name, 900_000))
      await io.step('firewall (UFW off)', h.name, () => must(h.transport, FIREWALL_COMMAND, 'UFW check', io, h.name))
      await io.step('ai-memory binary', h.name, () => installBinary(campaign, h, io, upload))
    }),
  )
}
