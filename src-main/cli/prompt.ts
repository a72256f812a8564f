// Questions the command line answers: a new host key (only with --accept-new-host-key) and a key's
// passphrase (SHIPGATE_SSH_PASSPHRASE, else a prompt on the terminal; never echoed or logged).
import { read } from 'read'
import type { AskPassphrase } from '../transport/ssh/credentials'
import type { ApproveHostKey } from '../transport/ssh/host-keys'
import type { CliIo } from './io'

export function approver(io: CliIo, accept: boolean): ApproveHostKey {
  return async (p) => {
    if (!accept) return false
    io.err(`shipgate: trusting the new host key of ${p.host}:${p.port}: ${p.keyType} ${p.fingerprint} (--accept-new-host-key)`)
    return true
  }
}

export function passphraseAsker(io: CliIo): AskPassphrase {
  return async (keyPath, attempt) => {
    if (io.env.SHIPGATE_SSH_PASSPHRASE && attempt === 1) return io.env.SHIPGATE_SSH_PASSPHRASE
    if (!process.stdin.isTTY) return null
    try {
      return await read<string>({ prompt: `Passphrase for ${keyPath}: `, silent: true, replace: '', output: process.stderr })
    } catch {
      return null // Ctrl-C or a closed terminal: no passphrase
    }
  }
}
