import { execFileSync } from 'node:child_process'
import { inject } from 'vitest'
import type { LabHost, LabInfo } from '../lab/lab-info'

export function lab(): LabInfo {
  const info = inject('lab')
  if (!info) throw new Error(inject('labError') || 'the SSH lab is not available')
  return info
}

/** Droplet `d<n>` of the lab. Test files use disjoint droplets so they can run in parallel. */
export function droplet(n: number): LabHost {
  const h = lab().hosts[n - 1]
  if (!h) throw new Error(`the lab has no droplet d${n}`)
  return h
}

/** Runs a command inside a droplet's network namespace (as root, outside its sshd). */
export function inNamespace(host: LabHost, args: string[]): string {
  return execFileSync('ip', ['netns', 'exec', host.ns, ...args], { encoding: 'utf8' })
}
