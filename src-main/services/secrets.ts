// Secrets of the desktop app (the DigitalOcean API token), encrypted at rest with the OS keychain
// (Electron safeStorage) and never sent to the renderer: it only learns whether one is saved.
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs'
import { dirname } from 'node:path'
import type { CloudSettings } from '@shared/views'
import { AppError } from '../lib/errors'
import { registerSecret } from '../lib/redact'

/** What encrypts the file: Electron's safeStorage in the app. */
export interface SecretCipher {
  isEncryptionAvailable(): boolean
  encryptString(plain: string): Buffer
  decryptString(encrypted: Buffer): string
  /** Linux only (Electron): `basic_text` means no keyring, and "encryption" with a hard-coded key. */
  getSelectedStorageBackend?(): string
}

export const DIGITALOCEAN_TOKEN = 'digitalocean.token'

export class SecretStore {
  constructor(
    private readonly file: string,
    private readonly cipher: SecretCipher | null,
  ) {}

  private read(): Record<string, string> {
    if (!existsSync(this.file)) return {}
    try {
      return JSON.parse(readFileSync(this.file, 'utf8')) as Record<string, string>
    } catch {
      return {}
    }
  }

  available(): { ok: boolean; detail?: string } {
    if (!this.cipher) return { ok: false, detail: 'no OS keychain in this process' }
    if (!this.cipher.isEncryptionAvailable()) return { ok: false, detail: 'the OS keychain is not available (on Linux: a secret service such as GNOME Keyring or KWallet)' }
    // Electron falls back to a hard-coded password when Linux has no keyring: that is not a secret store.
    if (this.cipher.getSelectedStorageBackend?.() === 'basic_text') {
      return { ok: false, detail: 'this Linux desktop has no keyring (Electron would fall back to plain-text "basic_text" storage): install and unlock GNOME Keyring or KWallet, or give DIGITALOCEAN_TOKEN to the command line instead' }
    }
    return { ok: true }
  }

  get(name: string): string | null {
    const sealed = this.read()[name]
    if (!sealed || !this.cipher || !this.cipher.isEncryptionAvailable()) return null
    try {
      const value = this.cipher.decryptString(Buffer.from(sealed, 'base64'))
      registerSecret(value)
      return value
    } catch {
      return null // sealed by another keychain: as if none were saved
    }
  }

  set(name: string, value: string | null): void {
    const all = this.read()
    if (value === null) delete all[name]
    else {
      const status = this.available()
      if (!status.ok) throw new AppError('FORBIDDEN', `cannot store the secret: ${status.detail}`)
      registerSecret(value)
      all[name] = (this.cipher as SecretCipher).encryptString(value).toString('base64')
    }
    mkdirSync(dirname(this.file), { recursive: true })
    const tmp = `${this.file}.tmp`
    writeFileSync(tmp, `${JSON.stringify(all)}\n`, { mode: 0o600 })
    renameSync(tmp, this.file)
  }

  cloudSettings(): CloudSettings {
    const status = this.available()
    if (!status.ok) return { digitalOceanToken: 'unavailable', ...(status.detail ? { detail: status.detail } : {}) }
    return { digitalOceanToken: this.get(DIGITALOCEAN_TOKEN) ? 'saved' : 'none' }
  }
}
