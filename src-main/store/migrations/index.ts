import { migration0001 } from './0001-init'
import { migration0002 } from './0002-known-hosts'
import { migration0003 } from './0003-run-log'
import { migration0004 } from './0004-journal'
import { migration0005 } from './0005-campaigns'
import { migration0006 } from './0006-provisions'
import { migration0007 } from './0007-judgements'
import type { Migration } from './types'

/** Ordered, forward-only. A test pins a hash of each released migration's source. */
export const MIGRATIONS: readonly Migration[] = [migration0001, migration0002, migration0003, migration0004, migration0005, migration0006, migration0007]

export const SCHEMA_VERSION = MIGRATIONS.length
