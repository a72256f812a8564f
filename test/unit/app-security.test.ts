// The Electron shell's security settings. Electron itself cannot run on this machine (its binary
// cannot be downloaded), so `electron` is replaced here by a double that records what the shell
// asks of it; everything asserted is the shell's own code.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { beforeAll, describe, expect, it, vi } from 'vitest'

const created: { options: Record<string, unknown>; handlers: Map<string, (...a: unknown[]) => unknown>; openHandler?: () => unknown }[] = []

vi.mock('electron', () => {
  class BrowserWindow {
    webContents: { on: (e: string, h: (...a: unknown[]) => unknown) => void; setWindowOpenHandler: (h: () => unknown) => void }
    constructor(options: Record<string, unknown>) {
      const entry: (typeof created)[number] = { options, handlers: new Map() }
      created.push(entry)
      this.webContents = {
        on: (e, h) => void entry.handlers.set(e, h),
        setWindowOpenHandler: (h) => void (entry.openHandler = h),
      }
    }
    once() {}
    loadFile() {
      return Promise.resolve()
    }
    loadURL() {
      return Promise.resolve()
    }
  }
  return { BrowserWindow, app: { getAppPath: () => '/opt/shipgate' } }
})

describe('the Electron shell', () => {
  // The unit project shares workers between files (isolate: false): this file's double of electron
  // must be the one the shell's modules see, not a module another file imported earlier.
  beforeAll(() => vi.resetModules())

  it('creates one window with isolation, sandbox, no Node, and its preload', async () => {
    const { createMainWindow } = await import('../../src-main/app/window')
    createMainWindow()
    const window = created.at(-1)
    const prefs = window?.options.webPreferences as Record<string, unknown>
    expect(prefs).toMatchObject({ contextIsolation: true, sandbox: true, nodeIntegration: false, nodeIntegrationInWorker: false, webviewTag: false, webSecurity: true, allowRunningInsecureContent: false })
    expect(prefs.preload).toBe('/opt/shipgate/out/preload/index.js')
    expect(window?.options.show).toBe(false)
  })

  it('blocks navigation and new windows', async () => {
    const { createMainWindow } = await import('../../src-main/app/window')
    createMainWindow()
    const entry = created.at(-1)
    if (!entry) throw new Error('no window')
    for (const event of ['will-navigate', 'will-redirect', 'will-attach-webview']) {
      const prevent = vi.fn()
      entry.handlers.get(event)?.({ preventDefault: prevent })
      expect(prevent, event).toHaveBeenCalledOnce()
    }
    expect(entry.openHandler?.()).toEqual({ action: 'deny' })
  })

  it('denies every permission request and check', async () => {
    const { denyPermissions } = await import('../../src-main/app/security')
    let request: ((c: unknown, p: string, cb: (ok: boolean) => void) => void) | null = null
    let check: (() => boolean) | null = null
    denyPermissions({ setPermissionRequestHandler: (h: unknown) => void (request = h as never), setPermissionCheckHandler: (h: unknown) => void (check = h as never) } as never)
    const answers: boolean[] = []
    for (const p of ['media', 'geolocation', 'notifications', 'clipboard-read']) (request as unknown as (c: unknown, p: string, cb: (ok: boolean) => void) => void)(null, p, (ok) => answers.push(ok))
    expect(answers).toEqual([false, false, false, false])
    expect((check as unknown as () => boolean)()).toBe(false)
  })

  it('accepts IPC only from the app page', async () => {
    const { isTrustedSender } = await import('../../src-main/app/security')
    const app = 'file:///opt/shipgate/out/renderer/index.html'
    expect(isTrustedSender(app, app)).toBe(true)
    expect(isTrustedSender('file:///tmp/evil.html', app)).toBe(false)
    expect(isTrustedSender('https://example.com/', app)).toBe(false)
    expect(isTrustedSender(undefined, app)).toBe(false)
    expect(isTrustedSender('http://localhost:5173/x', 'http://localhost:5173/')).toBe(true)
    expect(isTrustedSender('http://localhost:5174/', 'http://localhost:5173/')).toBe(false)
  })

  it('ships the strict Content-Security-Policy in the page it loads', async () => {
    const { CONTENT_SECURITY_POLICY } = await import('../../src-main/app/security')
    const html = readFileSync(join(__dirname, '..', '..', 'src-renderer', 'index.html'), 'utf8')
    const meta = /http-equiv="Content-Security-Policy" content="([^"]+)"/.exec(html)?.[1]
    expect(meta).toBe(CONTENT_SECURITY_POLICY)
    expect(CONTENT_SECURITY_POLICY).toContain("script-src 'self'")
    expect(CONTENT_SECURITY_POLICY).not.toContain('unsafe-inline')
    expect(CONTENT_SECURITY_POLICY).not.toContain('unsafe-eval')
    const built = readFileSync(join(__dirname, '..', '..', 'out', 'renderer', 'index.html'), 'utf8')
    expect(built).toContain(CONTENT_SECURITY_POLICY)
  })

  it('opens only allow-listed https links', async () => {
    const { isAllowedExternal } = await import('../../src-main/lib/links')
    expect(isAllowedExternal('https://github.com/alphaonedev/ai-memory-mcp/pull/312')).toBe(true)
    expect(isAllowedExternal('https://alphaonedev.github.io/ai-memory-ship-gate/')).toBe(true)
    for (const bad of ['http://github.com/x', 'javascript:alert(1)', 'file:///etc/passwd', 'https://evil.example/', 'https://github.com.evil.example/', 'https://user:pw@github.com/']) {
      expect(isAllowedExternal(bad), bad).toBe(false)
    }
  })
})
