// Questions the main process must ask the user (a new host key, a key's passphrase): pushed to the
// renderer as events and answered through the contract. Unanswered questions time out as "no".
import { randomUUID } from 'node:crypto'
import type { HostKeyPromptEvent, SecretPromptEvent } from '@shared/views'
import type { AskPassphrase } from '../transport/ssh/credentials'
import type { ApproveHostKey } from '../transport/ssh/host-keys'

export class PromptBroker {
  private readonly keys = new Map<string, (approve: boolean) => void>()
  private readonly secrets = new Map<string, (value: string | null) => void>()

  constructor(
    private readonly emit: { hostKey: (e: HostKeyPromptEvent) => void; secret: (e: SecretPromptEvent) => void },
    private readonly timeoutMs = 5 * 60_000,
  ) {}

  readonly approveHostKey: ApproveHostKey = (p) =>
    new Promise((resolve) => {
      const id = randomUUID()
      const timer = setTimeout(() => this.answerKey(id, false), this.timeoutMs)
      this.keys.set(id, (approve) => {
        clearTimeout(timer)
        resolve(approve)
      })
      this.emit.hostKey({ id, ...p })
    })

  readonly askPassphrase: AskPassphrase = (keyPath, attempt) =>
    new Promise((resolve) => {
      const id = randomUUID()
      const timer = setTimeout(() => this.answerPassphrase(id, null), this.timeoutMs)
      this.secrets.set(id, (value) => {
        clearTimeout(timer)
        resolve(value)
      })
      this.emit.secret({ id, keyPath, attempt })
    })

  answerKey(id: string, approve: boolean): boolean {
    const answer = this.keys.get(id)
    this.keys.delete(id)
    answer?.(approve)
    return Boolean(answer)
  }

  answerPassphrase(id: string, value: string | null): boolean {
    const answer = this.secrets.get(id)
    this.secrets.delete(id)
    answer?.(value)
    return Boolean(answer)
  }
}
