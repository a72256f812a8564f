// The phase engines, by phase number.
import type { PhaseNumber } from '@shared/domain'
import type { PhaseEngine } from './runner'
import { runPhase1 } from './phases/phase1'
import { runPhase2 } from './phases/phase2'
import { runPhase3 } from './phases/phase3'
import { runPhase4 } from './phases/phase4'

export const DEFAULT_ENGINES: Partial<Record<PhaseNumber, PhaseEngine>> = { 1: runPhase1, 2: runPhase2, 3: runPhase3, 4: runPhase4 }
