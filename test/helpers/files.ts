import { readFileSync, readdirSync, statSync } from 'node:fs'
import { join } from 'node:path'

/** Every file under a folder whose bytes contain `needle` (to prove a secret was never written). */
export function filesContaining(dir: string, needle: string): string[] {
  const hits: string[] = []
  const walk = (d: string) => {
    for (const f of readdirSync(d)) {
      const p = join(d, f)
      const st = statSync(p, { throwIfNoEntry: false })
      if (!st) continue
      if (st.isDirectory()) walk(p)
      else if (st.isFile() && st.size < 200 * 1024 * 1024 && readFileSync(p).includes(needle)) hits.push(p)
    }
  }
  walk(dir)
  return hits
}
