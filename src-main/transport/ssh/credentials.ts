// Private keys (ed25519, ecdsa, rsa; OpenSSH or PEM) and the ssh-agent. A passphrase-protected
// key asks through a callback; the passphrase is used once to decrypt and never stored or logged.
import { readFileSync } from 'node:fs'
import { utils, type ParsedKey } from 'ssh2'
import { AppError } from '../../lib/errors'
import type { SshEndpoint } from './endpoint'

export type AskPassphrase = (keyPath: string, attempt: number) => Promise<string | null>

export interface LoadedKey {
  path: string
  key: ParsedKey
}

const MAX_PASSPHRASE_ATTEMPTS = 3

function parse(data: Buffer, passphrase?: string): ParsedKey | Error {
  const parsed = utils.parseKey(data, passphrase)
  if (parsed instanceof Error) return parsed
  return Array.isArray(parsed) ? (parsed[0] as ParsedKey) : parsed
}

/**
 * Loads the endpoint's keys. Following OpenSSH: a key named explicitly (campaign file,
 * IdentityFile) that cannot be read is an error; the default ~/.ssh/id_* keys are skipped when absent.
 */
export async function loadKeys(endpoint: SshEndpoint, ask?: AskPassphrase): Promise<LoadedKey[]> {
  const keys: LoadedKey[] = []
  for (const path of endpoint.identityFiles) {
    let data: Buffer
    try {
      data = readFileSync(path)
    } catch (err) {
      if (endpoint.explicitIdentity) throw new AppError('SSH_AUTH', `cannot read the private key ${path}: ${(err as NodeJS.ErrnoException).code ?? 'error'}`)
      continue
    }
    let parsed = parse(data)
    if (parsed instanceof Error && /passphrase/i.test(parsed.message)) {
      for (let attempt = 1; attempt <= MAX_PASSPHRASE_ATTEMPTS && parsed instanceof Error; attempt++) {
        const passphrase = ask ? await ask(path, attempt) : null
        if (passphrase === null) throw new AppError('SSH_AUTH', `the private key ${path} is protected by a passphrase and none was given`)
        parsed = parse(data, passphrase)
      }
      if (parsed instanceof Error) throw new AppError('SSH_AUTH', `wrong passphrase for ${path} (${MAX_PASSPHRASE_ATTEMPTS} attempts)`)
    }
    if (parsed instanceof Error) {
      if (endpoint.explicitIdentity) throw new AppError('SSH_AUTH', `${path} is not a usable private key: ${parsed.message}`)
      continue
    }
    keys.push({ path, key: parsed })
  }
  return keys
}

export function agentSocket(endpoint: SshEndpoint, env: NodeJS.ProcessEnv = process.env): string | null {
  return endpoint.useAgent && env.SSH_AUTH_SOCK ? env.SSH_AUTH_SOCK : null
}
