// PDF in the app: Electron's printToPDF over the same HTML and page templates as the command line.
import { BrowserWindow } from 'electron'
import { writeFile } from 'node:fs/promises'
import { pdfTemplates } from '../report/pdf'
import { guardContents } from './security'

export async function printPdf(html: string, runId: string, path: string): Promise<void> {
  const win = new BrowserWindow({ show: false, webPreferences: { sandbox: true, contextIsolation: true, javascript: false, nodeIntegration: false } })
  guardContents(win.webContents)
  try {
    await win.loadURL(`data:text/html;charset=utf-8,${encodeURIComponent(html)}`)
    const pdf = await win.webContents.printToPDF({
      pageSize: 'A4',
      printBackground: true,
      displayHeaderFooter: true,
      ...pdfTemplates(runId),
      margins: { top: 0.63, bottom: 0.71, left: 0.55, right: 0.55 },
    })
    await writeFile(path, pdf)
  } finally {
    win.destroy()
  }
}
