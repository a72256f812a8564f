// Provisioners create and destroy a campaign's four hosts. The app records what they created in the
// store (the provisions table) before relying on it, so a crash never loses track of a droplet.
import type { HostRole } from '@shared/domain'
import type { CloudResource } from '@shared/infra'

export interface ProvisionedHost {
  public: string
  private: string
}

export type { CloudResource } from '@shared/infra'

export interface HostKey {
  keyType: string
  fingerprint: string
}

export interface ProvisionOutcome {
  hosts: Record<HostRole, ProvisionedHost>
  /** Host keys the provisioner installed (or the module reported), pinned before the first connection. */
  hostKeys: Partial<Record<HostRole, HostKey>>
  resources: CloudResource[]
  hourlyUsd: number
}

export type ProvisionLog = (line: string) => void
/** A named step of provisioning, shown in the live run like a phase's steps. */
export type ProvisionStep = <T>(name: string, work: () => Promise<T>) => Promise<T>

export interface ProvisionIo {
  log: ProvisionLog
  step: ProvisionStep
  signal?: AbortSignal
}

export interface Provisioner {
  readonly kind: 'terraform' | 'digitalocean'
  /** A tag derived from the campaign (and run), unique per campaign so campaigns run in parallel. */
  readonly tag: string
  provision(io: ProvisionIo): Promise<ProvisionOutcome>
  destroy(io: ProvisionIo): Promise<void>
  /** What is still there after a destroy; empty when the teardown is proven. */
  remaining(): Promise<CloudResource[]>
}

/** `v0.6.0.0-final-r17` → `v0-6-0-0-final-r17`, as ship-gate's Terraform names things. */
export function campaignTag(id: string): string {
  return id.toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 48)
}
