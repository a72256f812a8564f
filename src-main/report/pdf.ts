// PDF from the report HTML with the system's Chromium (the command line; the app uses Electron's
// printToPDF with the same HTML and the same page templates).
import { existsSync } from 'node:fs'
import { AppError } from '../lib/errors'
import { commandEnv } from '../transport/child-env'
import { esc } from './html'

const CANDIDATES: Record<string, string[]> = {
  linux: ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome', '/usr/bin/google-chrome-stable', '/snap/bin/chromium', '/usr/bin/microsoft-edge'],
  darwin: ['/Applications/Google Chrome.app/Contents/MacOS/Google Chrome', '/Applications/Chromium.app/Contents/MacOS/Chromium', '/Applications/Microsoft Edge.app/Contents/MacOS/Microsoft Edge'],
  win32: ['C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe', 'C:\\Program Files (x86)\\Google\\Chrome\\Application\\chrome.exe', 'C:\\Program Files (x86)\\Microsoft\\Edge\\Application\\msedge.exe'],
}

export function findChromium(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string {
  if (env.CHROME_PATH) {
    if (existsSync(env.CHROME_PATH)) return env.CHROME_PATH
    throw new AppError('NO_BROWSER', `CHROME_PATH points to ${env.CHROME_PATH}, which does not exist`)
  }
  const found = (CANDIDATES[platform] ?? []).find((p) => existsSync(p))
  if (found) return found
  throw new AppError(
    'NO_BROWSER',
    `no Chromium or Chrome found to print the PDF (looked in ${(CANDIDATES[platform] ?? []).join(', ') || 'nowhere known for this platform'}); install one (Debian: apt-get install chromium) or set CHROME_PATH`,
  )
}

/** Chromium flags for a headless, offline, sandbox-less (root in CI) browser. */
export const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage']

/** Page header and footer shared by both PDF paths (Chromium fills the classed spans). */
export function pdfTemplates(runId: string): { headerTemplate: string; footerTemplate: string } {
  const style = 'font-size:8px;color:#666;width:100%;padding:0 14mm;display:flex;justify-content:space-between;font-family:system-ui,sans-serif'
  return {
    headerTemplate: `<div style="${style}"><span>${esc(runId)}</span><span>Shipgate Lab · ship-gate report</span></div>`,
    footerTemplate: `<div style="${style}"><span>${esc(runId)}</span><span>page <span class="pageNumber"></span> of <span class="totalPages"></span></span></div>`,
  }
}

export async function htmlToPdf(html: string, outPath: string, runId: string, executablePath = findChromium()): Promise<void> {
  const { chromium } = await import('playwright-core')
  // Chromium gets the allow-listed environment, never the app's secrets.
  const browser = await chromium.launch({ executablePath, args: CHROMIUM_ARGS, env: commandEnv() })
  try {
    const page = await browser.newPage()
    // The report is self-contained: nothing may be fetched while printing.
    await page.route('**/*', (route) => (route.request().url().startsWith('data:') ? route.continue() : route.abort()))
    await page.setContent(html, { waitUntil: 'load' })
    await page.emulateMedia({ media: 'print' })
    await page.pdf({ path: outPath, format: 'A4', printBackground: true, displayHeaderFooter: true, ...pdfTemplates(runId), margin: { top: '16mm', bottom: '18mm', left: '14mm', right: '14mm' } })
  } finally {
    await browser.close()
  }
}
