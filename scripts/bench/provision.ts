// Provisioning overhead: a whole Terraform cycle (init, apply, output, destroy, proof by `state
// list`) on the test module of built-in terraform_data resources, so the figure is the app's and
// Terraform's own time, not a cloud's.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { campaignSchema } from '@shared/campaign'
import { TerraformProvisioner } from '../../src-main/provision/terraform'
import type { Figure } from './figure'

const MODULE = resolve(__dirname, '..', '..', 'test', 'fixtures', 'terraform', 'lab-module')

export async function benchProvision(): Promise<Figure[]> {
  const dir = mkdtempSync(join(tmpdir(), 'shipgate-bench-tf-'))
  mkdirSync(join(dir, 'markers'))
  const addresses = { 'node-a': '192.0.2.1', 'node-b': '192.0.2.2', 'node-c': '192.0.2.3', chaos: '192.0.2.4' }
  const campaign = campaignSchema.parse({ name: 'bench', provisioner: { kind: 'terraform', module: MODULE, variables: { addresses, marker_dir: join(dir, 'markers') } } })
  const io = { log: () => undefined, step: <T>(_n: string, work: () => Promise<T>) => work() }
  const times: number[] = []
  try {
    for (let i = 0; i < 3; i++) {
      const p = new TerraformProvisioner(`bench-r${i}`, campaign.provisioner as never, join(dir, 'terraform'))
      const t = performance.now()
      await p.provision(io)
      await p.destroy(io)
      const left = await p.remaining()
      times.push(performance.now() - t)
      if (left.length) throw new Error(`bench-r${i}: ${left.length} resources left`)
    }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
  times.sort((a, b) => a - b)
  return [{ name: 'provision_terraform_cycle_ms', value: Math.round(times[1] ?? 0), unit: 'ms', note: 'median of 3: init, apply, output, destroy, verify; 5 resources' }]
}
