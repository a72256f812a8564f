// The handler map of the contract, split by domain: each file handles the channels of one domain.
import type { Channel } from '@shared/ipc/channels'
import type { ParsedRequest, Response } from '@shared/ipc/contract'

export type Handler<C extends Channel> = (req: ParsedRequest<C>) => Promise<Response<C>>
export type Handlers = { [C in Channel]: Handler<C> }
/** The handlers of the channels whose names start with `<domain>.`. */
export type DomainHandlers<D extends string> = { [C in Extract<Channel, `${D}.${string}`>]: Handler<C> }
