export interface LabHost {
  name: string
  hostname: string
  ns: string
  address: string
  port: number
  user: string
  hostKeys: Record<string, string>
  sshdLog: string
}

export interface LabInfo {
  mode: 'netns' | 'loopback'
  prefix: string
  dir: string
  bridge: string
  gateway: string
  keys: { ed25519: string; ecdsa: string; rsa: string; ed25519Encrypted: string }
  encryptedKeyPassphrase: string
  knownHosts: string
  knownHostsHashed: string
  hosts: LabHost[]
}

declare module 'vitest' {
  export interface ProvidedContext {
    lab: LabInfo | null
    labError: string
  }
}
