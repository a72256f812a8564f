// Report exports: self-contained HTML, PDF, JUnit XML, run bundles, and a static site of every run.
// The app and the CLI write through `write`, so both produce the same files.
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { RunFilter } from '../store/run-repo'
import type { Store } from '../store/store'
import { exportBundle } from '../report/bundle'
import { renderIndexHtml, renderRunHtml } from '../report/html'
import { junitXml } from '../report/junit'
import { htmlToPdf } from '../report/pdf'
import type { HistoryService } from './history'
import type { ReportService } from './reports'

export type ExportFormat = 'pdf' | 'html' | 'junit' | 'bundle'

export const EXPORT_EXTENSIONS: Record<ExportFormat, string> = { pdf: 'pdf', html: 'html', junit: 'xml', bundle: 'shipgate.json' }

/** Prints HTML to a PDF file: the system Chromium on the command line, Electron's printer in the app. */
export type PdfPrinter = (html: string, runId: string, path: string) => Promise<void>

export class ExportService {
  constructor(
    private readonly store: Store,
    private readonly history: HistoryService,
    private readonly reports: ReportService,
    private readonly appVersion = '',
    private readonly printPdf: PdfPrinter = (html, runId, path) => htmlToPdf(html, path, runId),
  ) {}

  html(ref: string, options: { charts?: boolean } = {}): string {
    const data = this.reports.report(ref)
    const texts = new Map(this.store.artifacts.all(data.run.id).map((a) => [a.name, a.bytes.includes(0) ? '(binary)' : a.bytes.toString('utf8')]))
    return renderRunHtml(data, { artifactTexts: texts, appVersion: this.appVersion, ...(options.charts === undefined ? {} : { charts: options.charts }) })
  }

  async pdf(ref: string, outPath: string): Promise<void> {
    await this.printPdf(this.html(ref), this.history.resolve(ref), outPath)
  }

  junit(ref: string): string {
    return junitXml(this.history.detail(ref))
  }

  bundle(ref: string): string {
    return `${JSON.stringify(exportBundle(this.store, this.history.resolve(ref)))}\n`
  }

  /** Writes one export of a run to `path`. */
  async write(ref: string, format: ExportFormat, path: string): Promise<string> {
    if (format === 'pdf') await this.pdf(ref, path)
    else writeFileSync(path, format === 'html' ? this.html(ref) : format === 'junit' ? this.junit(ref) : this.bundle(ref))
    return path
  }

  /** The file name an export of this run gets by default. */
  defaultName(ref: string, format: ExportFormat): string {
    return `${this.history.resolve(ref)}.${EXPORT_EXTENSIONS[format]}`
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
