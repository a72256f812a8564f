// Builds `window.api` from the channel list: the preload passes ipcRenderer-based functions, the
// browser tests pass Playwright bindings. Self-contained on purpose (no imports, no closures over
// module state) so the tests can inject this very function into a page.
export function buildApi(
  channels: readonly string[],
  events: readonly string[],
  invoke: (channel: string, request: unknown) => Promise<unknown>,
  subscribe: (event: string, listener: (payload: unknown) => void) => () => void,
  ready: () => void,
): Record<string, unknown> {
  const api: Record<string, unknown> = {}
  for (const channel of channels) {
    const dot = channel.indexOf('.')
    const domain = channel.slice(0, dot)
    const verb = channel.slice(dot + 1)
    const group = (api[domain] ?? (api[domain] = {})) as Record<string, unknown>
    group[verb] = (request?: unknown) => invoke(channel, request ?? {})
  }
  api.on = (event: string, listener: (payload: unknown) => void) => {
    if (!events.includes(event)) throw new Error(`unknown event ${event}`)
    return subscribe(event, listener)
  }
  api.rendererReady = () => ready()
  return api
}
