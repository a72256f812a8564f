// The desktop app's settings, in the data folder: choices that widen what the app may do are off
// until the user turns them on.
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs'
import { dirname } from 'node:path'
import { z } from 'zod'

export const settingsSchema = z
  .object({
    /** Run campaigns with `transport: local` other than the built-in demo lab (they run commands on this machine). */
    allowLocalCampaigns: z.boolean().default(false),
    /** OpenSSH known_hosts files trusted besides ~/.ssh/known_hosts (as SHIPGATE_KNOWN_HOSTS on the command line). */
    knownHostsFiles: z.array(z.string().min(1).max(4096).regex(/^\//, 'an absolute path')).max(20).default([]),
  })
  .strict()

export type Settings = z.output<typeof settingsSchema>

export class SettingsStore {
  constructor(private readonly file: string) {}

  get(): Settings {
    if (!existsSync(this.file)) return settingsSchema.parse({})
    try {
      const parsed = settingsSchema.safeParse(JSON.parse(readFileSync(this.file, 'utf8')))
      // A damaged file gives the safe defaults, never a wider permission.
      return parsed.success ? parsed.data : settingsSchema.parse({})
    } catch {
      return settingsSchema.parse({})
    }
  }

  set(patch: Partial<Settings>): Settings {
    const next = settingsSchema.parse({ ...this.get(), ...patch })
    mkdirSync(dirname(this.file), { recursive: true })
    const tmp = `${this.file}.tmp`
    writeFileSync(tmp, `${JSON.stringify(next, null, 2)}\n`, { mode: 0o600 })
    renameSync(tmp, this.file)
    return next
  }
}
