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
      // "None was given" only when none was: a passphrase that was tried and failed (e.g. a wrong
      // SHIPGATE_SSH_PASSPHRASE, after which the CLI has nothing more to offer) is reported as such.
      let tried = 0
      while (parsed instanceof Error && tried < MAX_PASSPHRASE_ATTEMPTS) {
        const passphrase = ask ? await ask(path, tried + 1) : null
        if (passphrase === null) break
        tried++
        parsed = parse(data, passphrase)
      }
      if (parsed instanceof Error) {
        if (tried === 0) throw new AppError('SSH_AUTH', `the private key ${path} is protected by a passphrase and none was given`)
        throw new AppError('SSH_AUTH', `wrong passphrase for ${path}: the passphrase given did not decrypt the private key (${tried} attempt${tried === 1 ? '' : 's'})`)
      }
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
