// The preload: exposes one `window.api` built from the contract's channel list, nothing else. The
// page never receives ipcRenderer or the IpcRendererEvent.
import { contextBridge, ipcRenderer } from 'electron'
import { CHANNELS, EVENTS, RENDERER_READY } from '@shared/ipc/channels'
import { buildApi } from '@shared/ipc/bridge'

const api = buildApi(
  CHANNELS,
  EVENTS,
  (channel, request) => ipcRenderer.invoke(channel, request),
  (event, listener) => {
    const handler = (_e: unknown, payload: unknown) => listener(payload)
    ipcRenderer.on(event, handler)
    return () => ipcRenderer.removeListener(event, handler)
  },
  () => ipcRenderer.send(RENDERER_READY),
)

contextBridge.exposeInMainWorld('api', api)
