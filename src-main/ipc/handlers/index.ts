// Every channel of the contract, handled: a missing one is a type error. Handlers are thin: parse
// (the contract did), call a service, return its answer.
import type { AppServices } from '../../services/app-services'
import { appHandlers } from './app'
import { campaignHandlers } from './campaigns'
import { cloudHandlers } from './cloud'
import { runHandlers } from './runs'
import { soakHandlers } from './soak'
import type { Handlers } from './types'

export type { Handlers } from './types'

export function createHandlers(s: AppServices): Handlers {
  return { ...appHandlers(s), ...runHandlers(s), ...campaignHandlers(s), ...cloudHandlers(s), ...soakHandlers(s) }
}
