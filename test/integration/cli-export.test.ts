// Reports for three audiences: the PDF of r17 (text content and PNG pages), HTML with SVG charts,
// JUnit, bundles between two databases, the static site, and the drafted narrative of r18.
import { execFileSync } from 'node:child_process'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { demoCampaign } from '../../src-main/demo/demo'
import { checkRewrite, rewriteDraft } from '../../src-main/report/llm'
import { Store } from '../../src-main/store/store'
import { testServices } from '../helpers/services'
import { shipgate, ROOT } from '../helpers/cli'
import { CORPUS } from '../helpers/fixtures'
import { useTmp } from '../helpers/tmp'

const tmp = useTmp()
const PDF_DIR = join(ROOT, 'test-results', 'pdf')
let db: string
let base: string

beforeAll(async () => {
  base = join(ROOT, 'test-results', 'export-db')
  mkdirSync(base, { recursive: true })
  db = join(base, `h-${process.pid}.sqlite`)
  const services = testServices(db)
  services.imports.import([CORPUS])
  const campaign = await demoCampaign({ name: 'export-demo', phases: [4], cycles: 3, writesPerCycle: 12 })
  await services.runs.start(campaign)
  services.close()
}, 120_000)

describe('the PDF for leadership', { timeout: 120_000 }, () => {
  it('of r17 shows the verdict, the three-audience analysis, the phase check lists and the sha256 appendix', () => {
    mkdirSync(PDF_DIR, { recursive: true })
    const pdf = join(PDF_DIR, 'r17.pdf')
    const r = shipgate(['--db', db, 'export', 'v0.6.0.0-final-r17', '--pdf', pdf])
    expect(r.code, r.stderr).toBe(0)
    const text = execFileSync('pdftotext', ['-layout', pdf, '-'], { encoding: 'utf8' })
    expect(text).toContain('! INCOMPLETE')
    expect(text).toMatch(/INCOMPLETE — phase 4 ERROR: phase4\.json is a harness log/)
    expect(text).toContain('Executive summary')
    for (const h of ['Non-technical end users', 'C-level decision makers', 'Engineers & architects']) expect(text).toContain(h)
    expect(text).toContain('Writes now land (150 ok)')
    for (const label of ['Stats total ≥ 1 (store + list + stats round-trip)', 'Burst writes returned 201', 'ok=200/200 (qnm=0, fail=0)', 'Idempotent re-run is a no-op', 'Convergence bound ≥ 0.995']) expect(text).toContain(label)
    expect(text).toContain('Appendix: artifacts')
    const store = Store.open(db)
    for (const a of store.artifacts.list('v0.6.0.0-final-r17')) expect(text.replace(/\s+/g, ''), a.name).toContain(a.sha256)
    store.close()
    expect(text).toMatch(/page 1 of \d+/)
    execFileSync('pdftoppm', ['-png', '-r', '60', pdf, join(PDF_DIR, 'r17-page')])
    expect(readdirSync(PDF_DIR).filter((f) => f.startsWith('r17-page') && f.endsWith('.png')).length).toBeGreaterThanOrEqual(4)
  })

  it('says clearly when no browser can print it', () => {
    const r = shipgate(['--db', db, 'export', 'v0.6.0.0-final-r17', '--pdf', join(tmp(), 'x.pdf')], { CHROME_PATH: '/nonexistent/chrome' })
    expect(r.code).toBe(1)
    expect(r.stderr).toMatch(/CHROME_PATH points to \/nonexistent\/chrome, which does not exist/)
  })
})

describe('other exports', { timeout: 120_000 }, () => {
  it('writes a self-contained HTML page with the chaos charts as SVG', () => {
    const file = join(tmp(), 'run.html')
    expect(shipgate(['--db', db, 'export', 'export-demo-r1', '--html', file]).code).toBe(0)
    const html = readFileSync(file, 'utf8')
    expect(html).toContain('<svg')
    expect(html).toContain('kill_primary_mid_write')
    expect(html).toContain("default-src 'none'")
    expect(html).not.toMatch(/<script|<link |src="http/)
    expect(html).toContain('DRAFT')
  })

  it('writes JUnit XML with one test case per check, failures as failures', () => {
    const file = join(tmp(), 'junit.xml')
    const id = 'v0.6.0.0-final-r24'
    expect(shipgate(['--db', db, 'export', id, '--junit', file]).code).toBe(0)
    const xml = readFileSync(file, 'utf8')
    // One case per check (18 per node in phase 1 plus the distinct-hosts check, 6 + 6, 5 in phase 4), the
    // non-passing phase as a case of its own, and the run verdict.
    expect(xml.match(/<testcase /g)?.length).toBe(18 + 1 + 6 + 6 + 5 + 1)
    // An imported bound that cannot be recomputed says so wherever its value appears.
    expect(xml).toMatch(/<testcase classname="[^"]+\.phase4\.partition_minority" name="Convergence bound ≥ 0\.995 \[partition_minority\]"><failure message="0\.2 \(stated by the harness, not recomputed\) \(threshold ≥ 0\.995\)"\/>/)
    expect(xml).toMatch(/<testcase classname="[^"]+\.phase4" name="Phase 4 — chaos campaign: phase verdict"><failure /)
    expect(xml).toMatch(/<testcase classname="[^"]+\.verdict" name="Run verdict: FAIL"><failure message="FAIL — phase 4: partition_minority bound 0\.2 &lt; 0\.995"\/>/)
  })

  it('moves a run between databases as a bundle with identical verdicts and artifact hashes', () => {
    const dir = tmp()
    const id = 'v0.6.0.0-final-r17'
    const bundle = join(dir, 'run.shipgate.json')
    expect(shipgate(['--db', db, 'export', id, '--bundle', bundle]).code).toBe(0)
    const other = join(dir, 'other.sqlite')
    const r = shipgate(['--db', other, 'import', bundle])
    expect(r.code, r.stderr).toBe(0)
    expect(r.stdout).toMatch(new RegExp(`imported\\s+${id.replace(/\./g, '\\.')}`))
    const a = JSON.parse(shipgate(['--db', db, 'show', id, '--json']).stdout) as { verdict: string; reason: string; artifacts: unknown[]; annotation: unknown }
    const b = JSON.parse(shipgate(['--db', other, 'show', id, '--json']).stdout) as typeof a
    expect(b.verdict).toBe(a.verdict)
    expect(b.reason).toBe(a.reason)
    expect(b.artifacts).toEqual(a.artifacts)
    expect(b.annotation).toEqual(a.annotation)
    expect(shipgate(['--db', other, 'import', bundle]).stdout).toMatch(/unchanged/)
    // A damaged bundle is refused whole.
    const tampered = JSON.parse(readFileSync(bundle, 'utf8')) as { run: { id: string }; artifacts: { base64: string }[] }
    tampered.run.id = 'tampered-r1'
    const first = tampered.artifacts[0] as { base64: string }
    first.base64 = Buffer.from(`${Buffer.from(first.base64, 'base64').toString()} `).toString('base64')
    writeFileSync(bundle, JSON.stringify(tampered))
    const bad = shipgate(['--db', other, 'import', bundle])
    expect(bad.code).toBe(1)
    expect(bad.stdout).toMatch(/failed .*artifact campaign-summary\.json does not match its sha256 \(bundle damaged or edited\); nothing was imported/)
    expect(shipgate(['--db', other, 'runs']).stdout).not.toContain('tampered-r1')
  })

  it('publishes every run as a static site with an index', () => {
    const dir = join(tmp(), 'site')
    const r = shipgate(['--db', db, 'export', '--all', '--html', dir])
    expect(r.code, r.stderr).toBe(0)
    const pages = readdirSync(dir).filter((f) => f.endsWith('.html'))
    const index = readFileSync(join(dir, 'index.html'), 'utf8')
    const runs = JSON.parse(shipgate(['--db', db, 'runs', '--json']).stdout) as { id: string }[]
    expect(pages.length).toBe(runs.length + 1)
    for (const run of runs) expect(index).toContain(`href="${run.id}.html"`)
    expect(existsSync(join(dir, 'export-demo-r1.html'))).toBe(true)
  })
})

describe('drafted narratives', () => {
  it('for r18 name the checks that changed since r17, and cite them', () => {
    const services = testServices(db)
    const draft = services.reports.draft('v0.6.0.0-final-r18')
    services.close()
    expect(draft.basedOn).toEqual({ runId: 'v0.6.0.0-final-r18', previousRunId: 'v0.6.0.0-final-r17' })
    const eng = draft.annotation.forEngineers
    expect(eng).toContain('Since v0.6.0.0-final-r17: p4.bound.partition_minority (Convergence bound ≥ 0.995) went from absent to ERROR')
    expect(eng).toContain('[cite: p4.bound.partition_minority, compare:v0.6.0.0-final-r17]')
    expect(eng).toContain('Since v0.6.0.0-final-r17: p4.cycles.partition_minority')
    // Every sentence of every field ends with its citation; nothing invented (no bugs, no next step).
    for (const [field, text] of Object.entries(draft.annotation)) {
      if (typeof text !== 'string' || !text) continue
      for (const s of text.split(/(?<=\])\s+/)) expect(s, `${field}: ${s}`).toMatch(/\[cite: [^\]]+\]$/)
    }
    expect(draft.annotation.bugs).toEqual([])
    expect(draft.annotation.nextRunChange).toBe('')
  })

  it('accept a language-model rewrite only when it keeps every citation and invents no number', async () => {
    const services = testServices(db)
    const draft = services.reports.draft('export-demo-r1')
    services.close()
    const fields = ['headline', 'verdictLine', 'whatItTested', 'whatItProved', 'forNonTechnical', 'forCLevel', 'forEngineers'] as const
    const faithful = Object.fromEntries(fields.map((f) => [f, draft.annotation[f].replace(/holds/g, 'held')]))
    expect(checkRewrite(draft, faithful)).toBeNull()
    expect(checkRewrite(draft, { ...faithful, forCLevel: 'Release it, 99.9% safe.' })).toMatch(/no citation/)
    const cite = /\[cite: [^\]]*\]/.exec(draft.annotation.forCLevel)?.[0] as string
    expect(checkRewrite(draft, { ...faithful, forCLevel: `Release it, 99.9% safe. ${cite}` })).toMatch(/number 99\.9/)
    // The provider is a stand-in HTTP server speaking the OpenAI chat API: the real paid API cannot
    // be reached from here. It answers once faithfully and once with an invented figure.
    let answer = faithful
    const server = createServer((req, res) => {
      let body = ''
      req.on('data', (c: Buffer) => (body += c.toString()))
      req.on('end', () => {
        expect(JSON.parse(body).messages[0].content).toMatch(/Never invent/)
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ choices: [{ message: { content: JSON.stringify(answer) } }] }))
      })
    })
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()))
    const provider = { baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`, model: 'stand-in' }
    try {
      const rewritten = await rewriteDraft(draft, provider)
      expect(rewritten.annotation.whatItProved).toBe(faithful.whatItProved)
      answer = { ...faithful, forCLevel: `Release it, 99.9% safe. ${cite}` }
      await expect(rewriteDraft(draft, provider)).rejects.toThrow(/refused \(forCLevel contains the number 99\.9/)
    } finally {
      server.close()
    }
  })
})
