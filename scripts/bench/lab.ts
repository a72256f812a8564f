// Brings the SSH lab (test/lab/lab.sh) up for a benchmark part and down afterwards.
import { spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import type { LabInfo } from '../../test/lab/lab-info'

const SCRIPT = resolve(__dirname, '..', '..', 'test', 'lab', 'lab.sh')

export async function withLab<T>(count: number, fn: (lab: LabInfo) => Promise<T>): Promise<T> {
  const dir = join(mkdtempSync(join(tmpdir(), 'shipgate-bench-lab-')), 'lab')
  const up = spawnSync('bash', [SCRIPT, 'up', dir, String(count)], { encoding: 'utf8' })
  if (up.status !== 0) throw new Error(`lab did not start: ${up.stderr}`)
  try {
    return await fn(JSON.parse(readFileSync(join(dir, 'lab.json'), 'utf8')) as LabInfo)
  } finally {
    spawnSync('bash', [SCRIPT, 'down', dir], { encoding: 'utf8' })
  }
}
