// Starts the lab of real SSH hosts once for the whole test run and tears it down at the end.
import { spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import type { TestProject } from 'vitest/node'
import type { LabInfo } from './lab-info'

export const LAB_DROPLETS = 32

/** The lab's name prefix and subnet for a project: `sg`/77 by default, `sge`/177 for the e2e project. */
export function labNames(projectName: string, env: NodeJS.ProcessEnv = process.env): { LAB_PREFIX: string; LAB_NET: string } {
  const prefix = env.LAB_PREFIX ?? 'sg'
  const net = Number(env.LAB_NET ?? 77)
  return projectName === 'e2e' ? { LAB_PREFIX: `${prefix}e`, LAB_NET: String((net + 100) % 250) } : { LAB_PREFIX: prefix, LAB_NET: String(net) }
}

export default function setup(project: TestProject): () => void {
  const script = resolve(__dirname, 'lab.sh')
  const dir = join(mkdtempSync(join(tmpdir(), 'shipgate-lab-')), 'lab')
  // Each project that needs hosts gets a lab of its own (its own names and subnet), so the
  // integration and e2e projects can run at the same time; LAB_PREFIX / LAB_NET move them all.
  const own = labNames(project.name)
  const up = spawnSync('bash', [script, 'up', dir, String(LAB_DROPLETS)], { encoding: 'utf8', timeout: 120_000, env: { ...process.env, ...own, LAB_OWNER_PID: String(process.pid) } })
  if (up.status !== 0) {
    // Tests that need the lab fail with this message rather than skipping silently.
    project.provide('lab', null)
    project.provide('labError', `the SSH lab did not start (exit ${up.status}): ${up.stderr.trim().slice(-2000)}`)
  } else {
    project.provide('lab', JSON.parse(readFileSync(join(dir, 'lab.json'), 'utf8')) as LabInfo)
    project.provide('labError', '')
  }
  return () => {
    spawnSync('bash', [script, 'down', dir], { encoding: 'utf8', timeout: 60_000, env: { ...process.env, ...own } })
  }
}
