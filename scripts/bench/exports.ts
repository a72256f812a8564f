// export_html_100_runs_ms (the static site of 100 runs) and pdf_export_ms (one PDF, browser included).
import { cpSync, mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { createServices } from '../../src-main/services/container'
import type { Figure } from './figure'

const ROOT = resolve(__dirname, '..', '..')

export async function benchExports(): Promise<Figure[]> {
  const dir = mkdtempSync(join(tmpdir(), 'shipgate-bench-export-'))
  try {
    const corpus = join(ROOT, 'test', 'fixtures', 'public', 'ship-gate-runs', 'runs')
    const sources = [join(ROOT, 'test', 'fixtures', 'runs'), corpus].flatMap((d) => readdirSync(d).map((n) => join(d, n)))
    for (let i = 0; i < 100; i++) cpSync(sources[i % sources.length] as string, join(dir, 'runs', `site-r${i + 1}`), { recursive: true })
    const services = createServices({ dbPath: join(dir, 'h.sqlite'), appVersion: 'bench', knownHostsFiles: [], digitalOceanToken: () => null })
    services.imports.import([join(dir, 'runs')])
    const exporter = services.exports
    const t0 = performance.now()
    const site = exporter.allHtml(join(dir, 'site'))
    const htmlMs = Math.round(performance.now() - t0)
    const pdfTimes: number[] = []
    for (let i = 0; i < 3; i++) {
      const t = performance.now()
      await exporter.pdf('site-r1', join(dir, `r${i}.pdf`))
      pdfTimes.push(performance.now() - t)
    }
    services.close()
    pdfTimes.sort((a, b) => a - b)
    return [
      { name: 'export_html_100_runs_ms', value: htmlMs, unit: 'ms', target: '< 10000', note: `${site.files} pages + index` },
      { name: 'pdf_export_ms', value: Math.round(pdfTimes[1] as number), unit: 'ms', target: '< 3000', note: 'median of 3, launching Chromium each time' },
    ]
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}
