// Small hooks the views share: media preferences (dark scheme, reduced motion).
import { useSyncExternalStore } from 'react'

function mediaQuery(query: string): { subscribe: (cb: () => void) => () => void; get: () => boolean } {
  const mq = typeof window !== 'undefined' && window.matchMedia ? window.matchMedia(query) : null
  return {
    subscribe: (cb) => {
      mq?.addEventListener('change', cb)
      return () => mq?.removeEventListener('change', cb)
    },
    get: () => mq?.matches ?? false,
  }
}

const dark = mediaQuery('(prefers-color-scheme: dark)')
const reduced = mediaQuery('(prefers-reduced-motion: reduce)')

export function usePrefersDark(): boolean {
  return useSyncExternalStore(dark.subscribe, dark.get)
}

export function useReducedMotion(): boolean {
  return useSyncExternalStore(reduced.subscribe, reduced.get)
}
