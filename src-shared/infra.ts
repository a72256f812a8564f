// Records of the infrastructure a run touches, shared by the store (which keeps them) and the
// layers that create them (provisioners, SSH): plain data, no behaviour.

/** A host key the app trusts for host:port, pinned by an explicit approval or by a provisioner. */
export interface HostKeyPin {
  host: string
  port: number
  keyType: string
  fingerprint: string
  firstSeenAt: number
}

/** A cloud resource a campaign created (droplet, VPC, firewall, Terraform resource). */
export interface CloudResource {
  kind: string
  id: string
  name: string
  /** Unix ms. */
  createdAt: number
  hourlyUsd: number
  tags: string[]
}
