import type { Api } from '../src-shared/ipc/contract'

declare global {
  interface Window {
    api: Api
  }
}

export {}
