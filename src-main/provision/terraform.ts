// The `terraform` provisioner: runs the real `terraform` on a module the user points to, with the
// state kept in the app's data folder (one folder per campaign run), so it survives a crash or a
// restart. Terraform's output streams into the run log.
import { copyFileSync, existsSync, mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import type { Campaign } from '@shared/campaign'
import { HOST_ROLES, type HostRole } from '@shared/domain'
import { AppError } from '../lib/errors'
import { allowedEnv } from '../transport/child-env'
import { LocalTransport } from '../transport/local'
import { cmd } from '../transport/quote'
import { hostKeyOfLine } from './host-key'
import type { CloudResource, HostKey, ProvisionIo, ProvisionLog, ProvisionOutcome, ProvisionedHost, Provisioner } from './types'

type TerraformConfig = Extract<Campaign['provisioner'], { kind: 'terraform' }>

const LOCK_TIMEOUT = '-lock-timeout=10m'
/**
 * What Terraform may take from this process's environment besides the base (PATH, HOME, locale...):
 * proxies and CA certificates to reach registries, and a plugin cache. Its variables (TF_VAR_*) are
 * only those the provisioner gives it; no other secret of the app reaches it or its local-exec.
 */
const TERRAFORM_ENV_NAMES = ['HTTP_PROXY', 'HTTPS_PROXY', 'NO_PROXY', 'http_proxy', 'https_proxy', 'no_proxy', 'SSL_CERT_FILE', 'SSL_CERT_DIR', 'TF_PLUGIN_CACHE_DIR']

/** Outputs are untrusted text: only a host name or an address may become a host. */
const HOST_NAME = /^[A-Za-z0-9.:_[\]-]{1,253}$/

/** ship-gate's terraform/main.tf outputs: `peer_nodes` = node → {public, private}, `chaos_client` = IPv4. */
const SHIP_GATE_OUTPUTS: Record<HostRole, { address: string; private_address?: string; host_key?: string }> = {
  'node-a': { address: 'peer_nodes.node-a.public', private_address: 'peer_nodes.node-a.private' },
  'node-b': { address: 'peer_nodes.node-b.public', private_address: 'peer_nodes.node-b.private' },
  'node-c': { address: 'peer_nodes.node-c.public', private_address: 'peer_nodes.node-c.private' },
  chaos: { address: 'chaos_client' },
}

/** Reads `a.b.c` from `terraform output -json` (each output's `.value` is implied). */
export function outputAt(outputs: Record<string, unknown>, path: string): string | null {
  const [first, ...rest] = path.split('.')
  let cur: unknown = (outputs[first ?? ''] as { value?: unknown } | undefined)?.value
  for (const key of rest) {
    if (typeof cur !== 'object' || cur === null) return null
    cur = (cur as Record<string, unknown>)[key]
  }
  return typeof cur === 'string' && cur ? cur : null
}

export interface TerraformOptions {
  env?: NodeJS.ProcessEnv
  /** The terraform executable. */
  terraform?: string
  /** Variables passed through the environment (the API token), never written to disk. */
  secretVariables?: Record<string, string>
}

export class TerraformProvisioner implements Provisioner {
  readonly kind = 'terraform' as const
  private readonly shell: LocalTransport
  private readonly terraform: string

  constructor(
    readonly tag: string,
    private readonly config: TerraformConfig,
    /** `<data folder>/terraform`: one sub-folder, with its state, per campaign run. */
    private readonly root: string,
    options: TerraformOptions = {},
  ) {
    const env = options.env ?? process.env
    const cliConfig = env.TF_CLI_CONFIG_FILE && existsSync(env.TF_CLI_CONFIG_FILE) ? env.TF_CLI_CONFIG_FILE : join(root, 'terraformrc')
    // Secrets reach Terraform as TF_VAR_* in its environment, never in a file next to the state.
    const vars = Object.fromEntries(Object.entries({ campaign_id: tag, ...options.secretVariables }).map(([k, v]) => [`TF_VAR_${k}`, v]))
    this.terraform = options.terraform ?? 'terraform'
    this.shell = new LocalTransport(
      { name: 'terraform', address: 'localhost' },
      { ...allowedEnv(TERRAFORM_ENV_NAMES, env), ...vars, TF_IN_AUTOMATION: '1', CHECKPOINT_DISABLE: '1', TF_CLI_CONFIG_FILE: cliConfig },
    )
  }

  get dir(): string {
    return join(this.root, this.tag)
  }

  private async tf(args: string[], log: ProvisionLog, signal?: AbortSignal, timeoutMs = 30 * 60_000): Promise<string> {
    if (!existsSync(join(this.root, 'terraformrc'))) {
      mkdirSync(this.root, { recursive: true })
      writeFileSync(join(this.root, 'terraformrc'), '# written by Shipgate Lab: no CLI settings\n')
    }
    const r = await this.shell.exec(`cd ${cmd(this.dir)} && ${cmd(this.terraform, ...args)}`, {
      timeoutMs,
      ...(signal ? { signal } : {}),
      onStdout: (l) => log(l),
      onStderr: (l) => log(l),
    })
    if (r.cancelled) throw new AppError('CANCELLED', `terraform ${args[0]} was cancelled`)
    if (r.exitCode !== 0) throw new AppError('PROVISION', `terraform ${args[0]} failed (exit ${r.exitCode ?? (r.timedOut ? 'timeout' : r.signal)}): ${r.stderr.trim().split('\n').slice(-3).join(' ')}`)
    return r.stdout
  }

  /** Copies the module's files next to the kept state (never the module's own state or plugins). */
  private prepare(): void {
    const module = resolve(this.config.module)
    const moduleThere = existsSync(module) && statSync(module).isDirectory()
    const kept = existsSync(join(this.dir, 'shipgate.auto.tfvars.json'))
    // A teardown works from the copy kept with the state, even if the module moved since.
    if (module === resolve(this.dir) || (!moduleThere && kept)) {
      if (!kept) throw new AppError('PROVISION', `${this.dir} holds no campaign kept by Shipgate Lab`)
      return
    }
    if (!moduleThere) throw new AppError('PROVISION', `the Terraform module ${this.config.module} is not a folder`)
    mkdirSync(this.dir, { recursive: true })
    for (const f of readdirSync(module)) {
      if (/\.(tf|tf\.json|tftpl|yaml|yml|sh|tpl)$/.test(f) || f === '.terraform.lock.hcl') copyFileSync(join(module, f), join(this.dir, f))
    }
    writeFileSync(join(this.dir, 'shipgate.auto.tfvars.json'), `${JSON.stringify({ ...this.config.variables }, null, 2)}\n`)
  }

  async provision(io: ProvisionIo): Promise<ProvisionOutcome> {
    const { log, signal } = io
    this.prepare()
    await io.step('terraform init', () => this.tf(['init', '-input=false', '-no-color'], log, signal))
    // Not cancelled midway: a killed apply loses track of what it created. A cancel waits for it,
    // then the teardown destroys what it made.
    await io.step('terraform apply', () => this.tf(['apply', '-auto-approve', '-input=false', '-no-color', LOCK_TIMEOUT], log))
    const { hosts, hostKeys } = await io.step('terraform output', async () => {
      const text = await this.tf(['output', '-json'], () => undefined, signal)
      let outputs: Record<string, unknown>
      try {
        outputs = JSON.parse(text) as Record<string, unknown>
      } catch {
        throw new AppError('PROVISION', 'terraform output -json did not print JSON')
      }
      return this.mapOutputs(outputs)
    })
    return { hosts, hostKeys, resources: await this.resources(), hourlyUsd: this.config.hourly_usd }
  }

  /** The hosts' addresses (and host keys) from `terraform output -json`, through the campaign's mapping. */
  private mapOutputs(outputs: Record<string, unknown>): { hosts: Record<HostRole, ProvisionedHost>; hostKeys: Partial<Record<HostRole, HostKey>> } {
    const hosts = {} as Record<HostRole, ProvisionedHost>
    const hostKeys: Partial<Record<HostRole, HostKey>> = {}
    for (const role of HOST_ROLES) {
      const spec = this.config.outputs[role] ?? SHIP_GATE_OUTPUTS[role]
      const address = outputAt(outputs, spec.address)
      if (!address) throw new AppError('PROVISION', `terraform output has no ${spec.address} for ${role} (map it under provisioner.outputs.${role})`)
      if (!HOST_NAME.test(address)) throw new AppError('PROVISION', `terraform output ${spec.address} is not a host name or an address`)
      const priv = spec.private_address ? outputAt(outputs, spec.private_address) : null
      hosts[role] = { public: address, private: priv && HOST_NAME.test(priv) ? priv : address }
      const keyLine = spec.host_key ? outputAt(outputs, spec.host_key) : null
      if (spec.host_key) {
        const key = keyLine ? hostKeyOfLine(keyLine) : null
        if (!key) throw new AppError('PROVISION', `terraform output ${spec.host_key} is not an SSH public key`)
        hostKeys[role] = key
      }
    }
    return { hosts, hostKeys }
  }

  private async resources(): Promise<CloudResource[]> {
    if (!existsSync(join(this.dir, 'terraform.tfstate'))) return []
    const r = await this.shell.exec(`cd ${cmd(this.dir)} && ${cmd(this.terraform, 'state', 'list', '-no-color')}`, { timeoutMs: 120_000 })
    // An unreadable state proves nothing: never report it as empty.
    if (r.exitCode !== 0) throw new AppError('PROVISION', `terraform state list failed in ${this.dir}: ${r.stderr.trim().split('\n').slice(-2).join(' ')}`)
    const now = statSync(join(this.dir, 'shipgate.auto.tfvars.json'), { throwIfNoEntry: false })?.mtimeMs ?? Date.now()
    return r.stdout
      .split('\n')
      .map((l) => l.trim())
      .filter(Boolean)
      .map((address) => ({ kind: 'terraform', id: address, name: address, createdAt: Math.round(now), hourlyUsd: 0, tags: [`campaign-${this.tag}`] }))
  }

  async destroy(io: ProvisionIo): Promise<void> {
    if (!existsSync(this.dir)) return
    this.prepare()
    await io.step('terraform init', () => this.tf(['init', '-input=false', '-no-color'], io.log))
    // A killed apply may still be running (its process outlives the app): wait for its state lock.
    await io.step('terraform destroy', () => this.tf(['destroy', '-auto-approve', '-input=false', '-no-color', LOCK_TIMEOUT], io.log))
  }

  remaining(): Promise<CloudResource[]> {
    return this.resources()
  }
}
