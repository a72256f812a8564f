// The built renderer in headless Chromium (Debian's, through playwright-core), with `window.api`
// built by the same buildApi() as the preload and bridged to the real main-process services and
// handlers through Playwright bindings: a real SQLite store, real runs, no canned responses.
import { createReadStream, existsSync, mkdirSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { extname, join, normalize, resolve } from 'node:path'
import { type Browser, type BrowserContext, type ConsoleMessage, chromium, type Page } from 'playwright-core'
import { CHANNELS, EVENTS } from '@shared/ipc/channels'
import { buildApi } from '@shared/ipc/bridge'
import { isTrustedSender } from '../../src-main/app/security'
import { dispatch } from '../../src-main/ipc/dispatch'
import { EventQueue } from '../../src-main/ipc/events'
import { createHandlers } from '../../src-main/ipc/handlers'
import { AppServices, type AppDeps } from '../../src-main/services/app-services'
import { CHROMIUM_ARGS, findChromium } from '../../src-main/report/pdf'

const ROOT = resolve(__dirname, '..', '..')
const RENDERER = join(ROOT, 'out', 'renderer')
export const SCREENSHOTS = join(ROOT, 'test-results', 'screenshots')

const TYPES: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.svg': 'image/svg+xml', '.png': 'image/png' }

function serveRenderer(): Promise<Server> {
  if (!existsSync(join(RENDERER, 'index.html'))) throw new Error('the renderer is not built: run `npm run build`')
  const server = createServer((req, res) => {
    const path = normalize(decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname)).replace(/^(\.\.[/\\])+/, '')
    const file = join(RENDERER, path === '/' ? 'index.html' : path)
    if (!file.startsWith(RENDERER) || !existsSync(file)) {
      res.writeHead(404).end()
      return
    }
    res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' })
    createReadStream(file).pipe(res)
  })
  return new Promise((r) => server.listen(0, '127.0.0.1', () => r(server)))
}

export interface AppHarness {
  page: Page
  services: AppServices
  url: string
  consoleErrors: string[]
  shot: (name: string) => Promise<string>
  close: () => Promise<void>
}

export async function launchApp(dbPath: string, extra: Partial<AppDeps> = {}, viewport = { width: 1440, height: 900 }): Promise<AppHarness> {
  const server = await serveRenderer()
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/index.html`
  const browser: Browser = await chromium.launch({ executablePath: findChromium(), args: CHROMIUM_ARGS })
  const context: BrowserContext = await browser.newContext({ viewport, colorScheme: 'light' })
  const page = await context.newPage()
  let chain = Promise.resolve()
  const queue = new EventQueue((event, payload) => {
    chain = chain.then(() => page.evaluate(([e, p]) => (window as unknown as { __shipgateEmit: (e: string, p: unknown) => void }).__shipgateEmit(e as string, p), [event, payload] as const).then(() => undefined, () => undefined))
  })
  const services = new AppServices({
    dbPath,
    appVersion: 'test',
    emit: (event, payload) => queue.push(event, payload),
    emitRunsChanged: (runId) => queue.push('runs.changed', { runId }),
    ...extra,
  })
  const handlers = createHandlers(services)
  await page.exposeBinding('__shipgateInvoke', (source, channel: string, request: unknown) => {
    if (!isTrustedSender(source.frame.url(), url)) return { ok: false, error: { code: 'FORBIDDEN', message: 'untrusted sender' } }
    return dispatch(handlers, channel, request)
  })
  await page.exposeBinding('__shipgateReady', () => queue.markReady())
  await page.addInitScript(
    `(() => {
      const listeners = new Map()
      window.__shipgateEmit = (event, payload) => { for (const l of listeners.get(event) || []) l(payload) }
      const subscribe = (event, listener) => {
        if (!listeners.has(event)) listeners.set(event, new Set())
        listeners.get(event).add(listener)
        return () => listeners.get(event).delete(listener)
      }
      window.api = (${buildApi.toString()})(${JSON.stringify(CHANNELS)}, ${JSON.stringify(EVENTS)}, (c, r) => window.__shipgateInvoke(c, r), subscribe, () => window.__shipgateReady())
    })()`,
  )
  const consoleErrors: string[] = []
  page.on('console', (m: ConsoleMessage) => {
    if (m.type() === 'error' || m.type() === 'warning') consoleErrors.push(`${m.type()}: ${m.text()}`)
  })
  page.on('pageerror', (e) => consoleErrors.push(`pageerror: ${e.message}`))
  await page.goto(url)
  await page.waitForSelector('[data-app-state="loaded"]')
  mkdirSync(SCREENSHOTS, { recursive: true })
  return {
    page,
    services,
    url,
    consoleErrors,
    shot: async (name) => {
      const file = join(SCREENSHOTS, `${name}.png`)
      await page.screenshot({ path: file, fullPage: false })
      return file
    },
    close: async () => {
      await browser.close()
      await services.dispose()
      await new Promise((r) => server.close(r))
    },
  }
}
