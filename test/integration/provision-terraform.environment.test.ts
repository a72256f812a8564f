// The environment the `terraform` provisioner gives the real terraform binary: its own allow-list and
// the variables it was given, none of the app's other secrets. The module records terraform's
// environment from a local-exec, as any module (or a provider) could read it.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { Campaign } from '@shared/campaign'
import { TerraformProvisioner } from '../../src-main/provision/terraform'
import { useTmp } from '../helpers/tmp'

const tmp = useTmp()

type TerraformConfig = Extract<Campaign['provisioner'], { kind: 'terraform' }>

const MODULE = `
variable "campaign_id" {
  type = string
}
variable "do_token" {
  type    = string
  default = ""
}
variable "environ_file" {
  type = string
}
resource "terraform_data" "environ" {
  provisioner "local-exec" {
    command = "cat /proc/$PPID/comm > '\${var.environ_file}.comm'; cat /proc/$PPID/environ > '\${var.environ_file}'"
  }
}
output "peer_nodes" {
  value = { for role in ["node-a", "node-b", "node-c"] : role => { public = "127.0.0.1", private = "127.0.0.1" } }
}
output "chaos_client" {
  value = "127.0.0.1"
}
`

const TOKEN = `dop_v1_${'3c'.repeat(32)}`
const OTHER_SECRETS: Record<string, string> = {
  DIGITALOCEAN_TOKEN: `dop_v1_${'9d'.repeat(32)}`,
  SHIPGATE_SSH_PASSPHRASE: 'passphrase-of-the-operator-5521',
  SHIPGATE_LLM_KEY: 'sk-llm-key-of-the-operator-8812',
  TF_VAR_other_project_token: 'tf-var-of-another-project-3390',
  AWS_SECRET_ACCESS_KEY: 'aws-secret-of-the-operator-4417',
}

describe('terraform provisioner: environment', { timeout: 120_000 }, () => {
  it('terraform gets its allow-list, its own token variable and nothing else of the app', async () => {
    const dir = tmp()
    const module = join(dir, 'module')
    mkdirSync(module)
    writeFileSync(join(module, 'main.tf'), MODULE)
    const environFile = join(dir, 'terraform.environ')
    const config: TerraformConfig = { kind: 'terraform', module, variables: { environ_file: environFile }, outputs: {}, bootstrap: false, dead_man_hours: 1, hourly_usd: 0 }
    const parentEnv = { ...process.env, ...OTHER_SECRETS, HTTPS_PROXY: '', LC_ALL: 'C.UTF-8' }
    const provisioner = new TerraformProvisioner('env-check', config, join(dir, 'state'), { env: parentEnv, secretVariables: { do_token: TOKEN } })
    const log: string[] = []
    await provisioner.provision({ log: (l) => log.push(l), step: (_name, work) => work() })

    expect(readFileSync(`${environFile}.comm`, 'utf8').trim()).toBe('terraform')
    const raw = readFileSync(environFile, 'utf8')
    const env = Object.fromEntries(
      raw
        .split('\0')
        .filter(Boolean)
        .map((kv) => [kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1)]),
    )
    expect(env.TF_VAR_do_token).toBe(TOKEN)
    expect(env.TF_VAR_campaign_id).toBe('env-check')
    for (const [name, value] of Object.entries(OTHER_SECRETS)) {
      expect(env[name], name).toBeUndefined()
      expect(raw, name).not.toContain(value)
    }
    expect(Object.keys(env).filter((k) => k.startsWith('TF_VAR_')).sort()).toEqual(['TF_VAR_campaign_id', 'TF_VAR_do_token'])
    expect(env.PATH).toBe(process.env.PATH)
    expect(env.LC_ALL).toBe('C.UTF-8')
    expect(env.HTTPS_PROXY).toBe('')
    const allowed = /^(PATH|HOME|USER|LOGNAME|SHELL|TMPDIR|TZ|LANG|LANGUAGE|TERM|LC_[A-Z]+|HTTPS?_PROXY|NO_PROXY|https?_proxy|no_proxy|SSL_CERT_(FILE|DIR)|TF_PLUGIN_CACHE_DIR|TF_VAR_(campaign_id|do_token)|TF_IN_AUTOMATION|CHECKPOINT_DISABLE|TF_CLI_CONFIG_FILE|PWD|OLDPWD|SHLVL|_)$/
    expect(Object.keys(env).filter((k) => !allowed.test(k))).toEqual([])
  })
})
