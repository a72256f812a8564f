// The `terraform` provisioner with the real terraform binary, on a test module of built-in
// `terraform_data` resources (no provider download): each "host" is a marker file, and its address
// output points at a lab droplet. Campaigns run through the built CLI, as a user runs them.
import { execFileSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { existsSync, readFileSync, readdirSync, readlinkSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import YAML from 'yaml'
import { describe, expect, it } from 'vitest'
import { shipgate, startUntil } from '../helpers/cli'
import { terraformCampaignInput } from '../helpers/campaigns'
import { droplet } from '../helpers/lab'
import { useTmp } from '../helpers/tmp'
import { filesContaining } from '../helpers/files'

const tmp = useTmp()
const DROPLETS: [number, number, number, number] = [21, 22, 23, 24]
// A DigitalOcean-shaped token: the module echoes it, and nothing may keep it.
const TOKEN = `dop_v1_${'5e'.repeat(32)}`

function campaignFile(dir: string, name: string, phases: number[], settleS = 0, outputs: Record<string, unknown> = {}): string {
  const file = join(dir, `${name}.yaml`)
  writeFileSync(file, YAML.stringify(terraformCampaignInput(dir, DROPLETS, name, { phases, settleS, outputs })))
  return file
}

function markers(dir: string): string[] {
  return existsSync(join(dir, 'markers')) ? readdirSync(join(dir, 'markers')).sort() : []
}

function query<T>(db: string, sql: string, ...params: unknown[]): T[] {
  const raw = new Database(db, { readonly: true })
  try {
    return raw.prepare(sql).all(...params) as T[]
  } finally {
    raw.close()
  }
}

/** Kills whatever still works in `dir` (an orphaned terraform, its local-exec children): the machine "crashed". */
function killProcessesIn(dir: string): void {
  for (const pid of readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    try {
      if (readlinkSync(`/proc/${pid}/cwd`).startsWith(dir)) process.kill(Number(pid), 'SIGKILL')
    } catch {
      /* gone, or not ours to read */
    }
  }
}

describe('provisioner: terraform', { timeout: 300_000 }, () => {
  it('provisions, bootstraps, runs and destroys with proof; the second run changes nothing on the hosts', () => {
    const dir = tmp()
    const db = join(dir, 'data', 'h.sqlite')
    const file = campaignFile(dir, 'tf', [1, 2])
    const r = shipgate(['--db', db, 'run', file, '--verbose'], { DIGITALOCEAN_TOKEN: TOKEN }, 240_000)
    const out = r.stdout + r.stderr
    expect(out).toMatch(/▶ tf-r1 · phases 1, 2 · hosts from terraform/)
    expect(out).toMatch(/\[setup\] provisioner\s+✓ terraform apply/)
    expect(out).toMatch(new RegExp(`hosts ready: node-a=${droplet(21).address.replaceAll('.', '\\.')} `))
    // No host key in the module's outputs: the first key of each created host is accepted, and said so.
    expect(out).toMatch(/accepted the first host key of \S+ \(created by this run\): ssh-ed25519 SHA256:/)
    expect(out).toMatch(/\[setup\] tf-node-a\s+✓ packages/)
    expect(out).toMatch(/already installed: curl procps coreutils/)
    expect(out).toMatch(/ufw not active/)
    expect(out).toMatch(/uploaded .*bin\/ai-memory \(\d+ bytes, sha256 [0-9a-f]{12}\)/)
    expect(out).toMatch(/\[phase 1\] ✓ PASS/)
    expect(out).toMatch(/\[phase 2\] ✓ PASS/)
    expect(out).toMatch(/\[teardown\] ✓ destroy terraform hosts/)
    expect(out).toMatch(/\[cost\] \$0\.\d{4} for the run's cloud resources \(\$0\.1250\/h\)/)
    // The echoed token was masked in what the terminal showed.
    expect(out).not.toContain(TOKEN)
    expect(out).toContain('token is [token]')

    // The uploaded binary is the build, byte for byte; every "droplet" is gone and the state says so.
    const sha = (p: string) => createHash('sha256').update(readFileSync(p)).digest('hex')
    expect(sha(join(dir, 'bin', 'ai-memory'))).toBe(sha(join(dir, 'ai-memory-build')))
    expect(markers(dir)).toEqual([])
    const stateDir = join(dir, 'data', 'terraform', 'tf-r1')
    expect(existsSync(join(stateDir, 'terraform.tfstate'))).toBe(true)
    expect(execFileSync('terraform', ['state', 'list'], { cwd: stateDir, encoding: 'utf8', env: { ...process.env, TF_CLI_CONFIG_FILE: join(dir, 'data', 'terraform', 'terraformrc') } }).trim()).toBe('')

    const [run] = query<{ cost_usd: number; params_json: string }>(db, "SELECT cost_usd, params_json FROM runs WHERE id = 'tf-r1'")
    expect(run?.cost_usd).toBeGreaterThan(0)
    expect(run?.cost_usd).toBeLessThan(0.125 * 0.1) // held for minutes, not hours
    expect(JSON.parse(run?.params_json ?? '{}').campaign.hosts['node-a'].address).toBe(droplet(21).address)
    expect(query(db, 'SELECT state, teardown_verified FROM provisions')).toEqual([{ state: 'destroyed', teardown_verified: 1 }])
    // Pins of the destroyed hosts are forgotten: the next machine on that address has a new key.
    expect(query(db, 'SELECT host FROM known_hosts')).toEqual([])
    const costs = shipgate(['--db', db, 'costs', '--json'])
    expect(JSON.parse(costs.stdout).byCampaign).toEqual([{ campaign: 'tf', runs: 1, usd: run?.cost_usd }])

    // Bootstrap is idempotent: the second run finds everything in place.
    const again = shipgate(['--db', db, 'run', file, '--verbose'], { DIGITALOCEAN_TOKEN: TOKEN }, 240_000)
    expect(again.stdout).toMatch(/is already the uploaded build \(sha256 [0-9a-f]{12}\)/)
    expect(again.stdout).toMatch(/\[teardown\] ✓ destroy terraform hosts/)
    expect(markers(dir)).toEqual([])

    // No token in any file the app wrote: database (and its WAL), Terraform state and variables.
    expect(filesContaining(join(dir, 'data'), TOKEN)).toEqual([])
  })

  it('a bad output mapping fails the run clearly and still destroys what was created', () => {
    const dir = tmp()
    const db = join(dir, 'data', 'h.sqlite')
    const file = campaignFile(dir, 'tfbad', [1], 0, { chaos: { address: 'no_such_output.value' } })
    const r = shipgate(['--db', db, 'run', file], {}, 120_000)
    expect(r.code).toBe(1)
    expect(r.stdout).toMatch(/terraform output has no no_such_output\.value for chaos \(map it under provisioner\.outputs\.chaos\)/)
    expect(r.stdout).toMatch(/\[teardown\] ✓ destroy terraform hosts/)
    expect(markers(dir)).toEqual([])
    expect(query(db, 'SELECT teardown_verified FROM provisions')).toEqual([{ teardown_verified: 1 }])
  })

  it('keeps the state through a killed app: recover destroys the hosts of the dead run', async () => {
    const dir = tmp()
    const db = join(dir, 'data', 'h.sqlite')
    const file = campaignFile(dir, 'tfcrash', [1, 2])
    const { child } = await startUntil(['--db', db, 'run', file], {}, /\[phase 1\] started/, 120_000)
    child.kill('SIGKILL')
    await new Promise((r) => child.once('exit', r))
    expect(markers(dir)).toEqual(['tfcrash-r1-chaos', 'tfcrash-r1-node-a', 'tfcrash-r1-node-b', 'tfcrash-r1-node-c'])
    expect(query(db, 'SELECT state FROM provisions')).toEqual([{ state: 'ready' }])

    const r = shipgate(['--db', db, 'recover'], {}, 120_000)
    expect(r.code, r.stdout + r.stderr).toBe(0)
    expect(r.stdout).toMatch(/\[teardown\] ✓ destroy terraform hosts of tfcrash-r1: teardown verified/)
    expect(r.stdout).toMatch(/tfcrash-r1: interrupted; .*teardown verified/)
    expect(markers(dir)).toEqual([])
    const [run] = query<{ state: string; cost_usd: number }>(db, "SELECT state, cost_usd FROM runs WHERE id = 'tfcrash-r1'")
    expect(run?.state).toBe('interrupted')
    expect(run?.cost_usd).toBeGreaterThan(0)
  })

  it('after an apply killed midway, reconcile lists the leftovers from the kept state and destroys them on --yes', async () => {
    const dir = tmp()
    const db = join(dir, 'data', 'h.sqlite')
    const file = campaignFile(dir, 'tfkill', [1], 60)
    const { child } = await startUntil(['--db', db, 'run', file, '--verbose'], {}, /terraform_data\.settle \(local-exec\): Executing/, 120_000)
    child.kill('SIGKILL')
    await new Promise((r) => child.once('exit', r))
    // The app died (its terraform dies of the closed pipe, or lives on): now the machine goes too.
    killProcessesIn(join(dir, 'data', 'terraform'))
    expect(markers(dir)).toHaveLength(4)

    const list = shipgate(['--db', db, 'reconcile'])
    expect(list.code).toBe(1)
    expect(list.stdout).toMatch(/terraform\s+tfkill-r1 \(run tfkill-r1\) · age [^·]+ · \$0\.\d{4} so far at \$0\.1250\/h · deadline /)
    expect(list.stdout).toMatch(/terraform terraform_data\.host\["node-a"\]/)
    expect(list.stdout).toContain('1 campaign(s) left; run `shipgate reconcile --yes` to destroy them')
    expect(markers(dir)).toHaveLength(4)

    const yes = shipgate(['--db', db, 'reconcile', '--yes'], {}, 120_000)
    expect(yes.code, yes.stdout + yes.stderr).toBe(0)
    expect(yes.stdout).toMatch(/✓ tfkill-r1: teardown verified/)
    expect(markers(dir)).toEqual([])
    const after = shipgate(['--db', db, 'reconcile'])
    expect(after.code).toBe(0)
    expect(after.stdout).toBe('nothing left behind in the kept Terraform states\n')
    expect(after.stderr).toContain('DIGITALOCEAN_TOKEN is not set: DigitalOcean resources were not listed')
  })
})
