// Per-command overhead over SSH: a pooled SshTransport exec, a fresh `ssh` process per command
// (what ship-gate does), and OpenSSH with ControlMaster multiplexing; 200 commands each.
import { spawnSync } from 'node:child_process'
import { join } from 'node:path'
import { SshConnection } from '../../src-main/transport/ssh/connection'
import { resolveEndpoint } from '../../src-main/transport/ssh/endpoint'
import { HostKeyPolicy } from '../../src-main/transport/ssh/host-keys'
import type { Figure } from './figure'
import { withLab } from './lab'

const N = 200

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b)
  return s[Math.floor(s.length / 2)] as number
}

function round(x: number): number {
  return Math.round(x * 100) / 100
}

export async function benchSsh(): Promise<Figure[]> {
  return withLab(1, async (lab) => {
    const h = lab.hosts[0]
    if (!h) throw new Error('no lab host')
    const base = ['-F', '/dev/null', '-o', 'BatchMode=yes', '-o', `UserKnownHostsFile=${lab.knownHosts}`, '-i', lab.keys.ed25519, '-p', String(h.port)]
    const target = `${h.user}@${h.address}`

    const conn = new SshConnection(resolveEndpoint({ address: h.address, port: h.port, user: h.user, identityFile: lab.keys.ed25519, useAgent: false }, { sshConfig: null }), {
      hostKeys: new HostKeyPolicy({ knownHostsFiles: [lab.knownHosts] }),
      env: {},
    })
    await conn.connect()
    const pooled: number[] = []
    for (let i = 0; i < N; i++) {
      const t = performance.now()
      const r = await conn.exec('true')
      pooled.push(performance.now() - t)
      if (r.exitCode !== 0) throw new Error('pooled exec failed')
    }
    await conn.dispose()

    const fresh: number[] = []
    for (let i = 0; i < N; i++) {
      const t = performance.now()
      const r = spawnSync('ssh', [...base, target, 'true'])
      fresh.push(performance.now() - t)
      if (r.status !== 0) throw new Error(`ssh failed: ${r.stderr}`)
    }

    const control = join(lab.dir, 'cm-%C')
    const cm = [...base, '-o', 'ControlMaster=auto', '-o', `ControlPath=${control}`, '-o', 'ControlPersist=120']
    spawnSync('ssh', [...cm, target, 'true'])
    const multiplexed: number[] = []
    for (let i = 0; i < N; i++) {
      const t = performance.now()
      const r = spawnSync('ssh', [...cm, target, 'true'])
      multiplexed.push(performance.now() - t)
      if (r.status !== 0) throw new Error(`ssh (ControlMaster) failed: ${r.stderr}`)
    }
    spawnSync('ssh', [...cm, '-O', 'exit', target])

    const p = median(pooled)
    const f = median(fresh)
    const c = median(multiplexed)
    return [
      { name: 'ssh_pooled_exec_ms', value: round(p), unit: 'ms', note: `median of ${N}` },
      { name: 'ssh_cli_exec_ms', value: round(f), unit: 'ms', note: `fresh ssh per command; ${round(f / p)}× the pooled exec (target ≥ 10×)` },
      { name: 'ssh_controlmaster_exec_ms', value: round(c), unit: 'ms', note: `ControlMaster; ${round(c / p)}× the pooled exec (target ≥ 1×)` },
    ]
  })
}
