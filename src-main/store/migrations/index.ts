import { migration0001 } from './0001-init'
import type { Migration } from './types'

/** Ordered, forward-only. A test pins a hash of each released migration's source. */
export const MIGRATIONS: readonly Migration[] = [migration0001]

export const SCHEMA_VERSION = MIGRATIONS.length
