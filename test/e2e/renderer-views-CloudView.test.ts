// Cloud hosts in the desktop app: the leftovers banner on start, the Cloud view (token, leftovers,
// destroy on confirmation, costs), and a live run on hosts the real terraform creates, with its
// setup steps and cost meter. Screenshots land in test-results/screenshots (look at them).
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto'
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import YAML from 'yaml'
import { campaignSchema } from '@shared/campaign'
import type { SecretCipher } from '../../src-main/services/secrets'
import { ProvisionLifecycle } from '../../src-main/provision/lifecycle'
import { Store } from '../../src-main/store/store'
import { terraformCampaignInput } from '../helpers/campaigns'
import { DoStandin } from '../helpers/do-standin'
import { filesContaining } from '../helpers/files'
import { type AppHarness, launchApp } from './harness'

const TOKEN = `dop_v1_${'c3'.repeat(32)}`

/**
 * TEST DOUBLE for Electron's safeStorage (the OS keychain), which needs the Electron binary this
 * machine cannot download: AES-256-GCM with a key that lives only in this process.
 */
function testKeychain(): SecretCipher {
  const key = randomBytes(32)
  return {
    isEncryptionAvailable: () => true,
    encryptString: (plain) => {
      const iv = randomBytes(12)
      const c = createCipheriv('aes-256-gcm', key, iv)
      const body = Buffer.concat([c.update(plain, 'utf8'), c.final()])
      return Buffer.concat([iv, c.getAuthTag(), body])
    },
    decryptString: (sealed) => {
      const d = createDecipheriv('aes-256-gcm', key, sealed.subarray(0, 12))
      d.setAuthTag(sealed.subarray(12, 28))
      return Buffer.concat([d.update(sealed.subarray(28)), d.final()]).toString('utf8')
    },
  }
}

let app: AppHarness
let dir: string
let leftoverDir: string
// Once a token is saved the app lists DigitalOcean too: here, a local stand-in of its API (a test
// double; nothing here may reach the real service).
const standin = new DoStandin({ token: TOKEN, addressFor: () => ({ public: '127.0.0.1', private: '127.0.0.1' }) })

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'shipgate-cloud-ui-'))
  const db = join(dir, 'data', 'history.sqlite')
  // Hosts created by another installation sharing this data folder (whose database is gone): the
  // kept Terraform state is all that knows them, so only reconcile can find them.
  leftoverDir = join(dir, 'left')
  const store = Store.open(join(dir, 'other.sqlite'))
  const provisions = new ProvisionLifecycle({ store, terraformRoot: join(dir, 'data', 'terraform'), token: () => null })
  await provisions.up(campaignSchema.parse(terraformCampaignInput(mkdirp(leftoverDir), [29, 30, 31, 32], 'crashed')), 'crashed-r7', {
    log: () => undefined,
    step: (_n, work) => work(),
    abort: () => undefined,
    cost: () => undefined,
  })
  store.close()
  app = await launchApp(db, { secretCipher: testKeychain(), services: { knownHostsFiles: [], digitalOceanApi: await standin.start() } })
}, 120_000)

afterAll(async () => {
  await app?.close()
  await standin.stop()
  rmSync(dir, { recursive: true, force: true })
})

function mkdirp(d: string): string {
  mkdirSync(d, { recursive: true })
  return d
}

describe('cloud hosts in the desktop app', { timeout: 240_000 }, () => {
  it('says on start that a campaign left resources behind, and destroys them on confirmation', async () => {
    const { page } = app
    await app.services.recover()
    await page.waitForSelector('.notice.tone-bad')
    expect(await page.textContent('.notice')).toMatch(/1 campaign\(s\) left cloud resources behind \(\$0\.\d{4} so far, still billing\)/)
    expect(await page.textContent('nav .pill.tone-bad')).toBe('1')
    await page.click('nav button:has-text("Cloud")')
    await page.waitForSelector('[data-testid="leftovers"] tr[data-tag="crashed-r7"]')
    expect(await page.textContent('tr[data-tag="crashed-r7"]')).toMatch(/terraform_data\.host\["node-a"\]/)
    await app.shot('cloud-leftovers')

    await page.click('tr[data-tag="crashed-r7"] button:has-text("Destroy")')
    await page.waitForSelector('.dialog:has-text("Destroy crashed-r7?")')
    await page.click('.dialog button.danger')
    await page.waitForFunction(() => !document.querySelector('tr[data-tag="crashed-r7"]'), undefined, { timeout: 60_000 })
    expect(await page.textContent('.notice')).toContain('crashed-r7: teardown verified')
    expect(readdirSync(join(leftoverDir, 'markers'))).toEqual([])
    expect(await page.textContent('[data-testid="cloud-view"]')).toContain('(nothing)')
  })

  it('keeps the API token in the keychain: saved, never shown again, never written in plain text', async () => {
    const { page } = app
    await page.click('nav button:has-text("Cloud")')
    await page.waitForSelector('[data-testid="token"]')
    expect(await page.textContent('[data-testid="token"]')).toContain('Not saved.')
    await page.fill('input[aria-label="DigitalOcean API token"]', TOKEN)
    await page.click('[data-testid="token"] button:has-text("Save token")')
    await page.waitForFunction(() => document.querySelector('[data-testid="token"]')?.textContent?.includes('Saved in the OS keychain.'))
    expect(await page.inputValue('input[aria-label="DigitalOcean API token"]')).toBe('')
    expect(await page.content()).not.toContain(TOKEN)
    expect(app.services.secrets.get('digitalocean.token')).toBe(TOKEN)
    const sealed = readFileSync(join(dir, 'data', 'secrets.json'), 'utf8')
    expect(sealed).not.toContain(TOKEN)
    await app.shot('cloud-token-saved')
  })

  it('runs a campaign on hosts Terraform creates: setup steps and cost meter live, cost in the report', async () => {
    const { page } = app
    const runDir = mkdirp(join(dir, 'run'))
    await page.click('nav button:has-text("Campaigns")')
    await page.waitForSelector('[data-testid="campaign-yaml"]')
    await page.fill('[data-testid="campaign-yaml"]', YAML.stringify(terraformCampaignInput(runDir, [29, 30, 31, 32], 'ui-tf', { phases: [1, 2] })))
    await page.waitForFunction(() => !document.querySelector('[data-testid="campaign-issues"]'))
    expect(await page.textContent('[data-testid="provisioned-hosts"]')).toContain('Created by the terraform provisioner for each run')
    expect(await page.isDisabled('input[aria-label="node-a address"]')).toBe(true)
    if (await page.locator('.notice').count()) await page.click('.notice') // dismiss the earlier one
    await app.shot('campaigns-provisioned')
    await page.click('[data-testid="run-campaign"]')
    await page.waitForSelector('[data-testid="live-setup"], .notice', { timeout: 10_000 })
    expect(await page.locator('.notice').count(), (await page.locator('.notice').textContent().catch(() => '')) ?? '').toBe(0)
    await page.waitForFunction(() => document.querySelector('[data-testid="live-setup"]')?.textContent?.includes('ai-memory binary'), undefined, { timeout: 120_000 })
    await page.waitForSelector('[data-testid="cost-meter"]')
    await page.waitForSelector('[data-testid="live-finished"]', { timeout: 180_000 })
    expect(await page.textContent('[data-testid="live-setup"]')).toMatch(/✓ terraform init · ✓ terraform apply · ✓ terraform output · ✓ terraform init · ✓ terraform destroy · ✓ verify teardown/)
    expect(await page.textContent('[data-testid="cost-meter"]')).toMatch(/^\$0\.\d{4} total$/)
    expect(await page.textContent('[data-testid="teardown"]')).toMatch(/✓ destroy terraform hosts/)
    await app.shot('live-provisioned')
    await page.click('[data-testid="live-finished"] button:has-text("Open the report")')
    await page.waitForSelector('[data-testid="run-cost"]')
    expect(await page.textContent('[data-testid="run-cost"]')).toMatch(/cloud cost \$0\.\d{4}/)
    await page.click('nav button:has-text("Cloud")')
    await page.waitForSelector('[data-testid="costs"] td:has-text("ui-tf")')
    await page.waitForFunction(() => document.querySelector('[data-testid="cloud-view"]')?.textContent?.includes('(nothing)'))
    expect(await page.locator('[data-testid="cloud-view"] .error').count()).toBe(0)
    // The saved token reached the API (from main, never the renderer): the stand-in saw it.
    expect(standin.requests.some((r) => r.startsWith('GET /v2/droplets?tag_name=shipgate'))).toBe(true)
    await app.shot('cloud-costs')
    expect(readdirSync(join(runDir, 'markers'))).toEqual([])
    // Nothing the app wrote holds the token: database, Terraform states, the sealed secrets file.
    expect(filesContaining(join(dir, 'data'), TOKEN)).toEqual([])
  })

  it('left no console errors, CSP violations or React warnings', () => {
    expect(app.consoleErrors).toEqual([])
  })
})
