// Starts the lab of real SSH hosts once for the whole test run and tears it down at the end.
import { spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import type { TestProject } from 'vitest/node'
import type { LabInfo } from './lab-info'

export const LAB_DROPLETS = 32

export default function setup(project: TestProject): () => void {
  const script = resolve(__dirname, 'lab.sh')
  const dir = join(mkdtempSync(join(tmpdir(), 'shipgate-lab-')), 'lab')
  const up = spawnSync('bash', [script, 'up', dir, String(LAB_DROPLETS)], { encoding: 'utf8', timeout: 120_000, env: { ...process.env, LAB_OWNER_PID: String(process.pid) } })
  if (up.status !== 0) {
    // Tests that need the lab fail with this message rather than skipping silently.
    project.provide('lab', null)
    project.provide('labError', `the SSH lab did not start (exit ${up.status}): ${up.stderr.trim().slice(-2000)}`)
  } else {
    project.provide('lab', JSON.parse(readFileSync(join(dir, 'lab.json'), 'utf8')) as LabInfo)
    project.provide('labError', '')
  }
  return () => {
    spawnSync('bash', [script, 'down', dir], { encoding: 'utf8', timeout: 60_000 })
  }
}
