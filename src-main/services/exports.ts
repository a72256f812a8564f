// Report exports: self-contained HTML, PDF (system Chromium on the command line), JUnit XML, run
// bundles, and a static site of every run.
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { RunFilter } from '../store/run-repo'
import type { Store } from '../store/store'
import { exportBundle } from '../report/bundle'
import { renderIndexHtml, renderRunHtml } from '../report/html'
import { junitXml } from '../report/junit'
import { htmlToPdf } from '../report/pdf'
import { ReportService } from './reports'

export class ExportService {
  private readonly reports: ReportService

  constructor(
    private readonly store: Store,
    private readonly appVersion = '',
  ) {
    this.reports = new ReportService(store)
  }

  html(ref: string, options: { charts?: boolean } = {}): string {
    const data = this.reports.report(ref)
    const texts = new Map(this.store.artifacts.all(data.run.id).map((a) => [a.name, a.bytes.includes(0) ? '(binary)' : a.bytes.toString('utf8')]))
    return renderRunHtml(data, { artifactTexts: texts, appVersion: this.appVersion, ...(options.charts === undefined ? {} : { charts: options.charts }) })
  }

  async pdf(ref: string, outPath: string, executablePath?: string): Promise<void> {
    const html = this.html(ref)
    const id = this.reports.report(ref).run.id
    await htmlToPdf(html, outPath, id, executablePath)
  }

  junit(ref: string): string {
    return junitXml(this.reports.report(ref).run)
  }

  bundle(ref: string): string {
    const id = this.reports.report(ref).run.id
    return `${JSON.stringify(exportBundle(this.store, id))}\n`
  }

  /** Every run's page plus an index table, for publishing the history as a static site. */
  allHtml(dir: string, filter: RunFilter = {}): { files: number; index: string } {
    mkdirSync(dir, { recursive: true })
    const runs = this.store.runs.list(filter)
    const fileOf = (id: string) => `${id}.html`
    for (const r of runs) writeFileSync(join(dir, fileOf(r.id)), this.html(r.id))
    const index = join(dir, 'index.html')
    writeFileSync(index, renderIndexHtml(runs, fileOf))
    return { files: runs.length, index }
  }
}
