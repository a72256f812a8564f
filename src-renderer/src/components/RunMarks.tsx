// Marks that travel with a verdict wherever it is shown: a simulated run, weakened thresholds, and a
// value the harness stated that could not be recomputed.
import { STATED_TEXT } from '../lib/verdict'

export function SimulatedBadge({ compact = false }: { compact?: boolean }) {
  return (
    <span className="badge mark-sim" data-testid="simulated-badge" title="The nodes ran Shipgate Lab's simulated ai-memory (+shipgate-sim): never a release certification">
      {compact ? 'SIM' : 'SIMULATED'}
    </span>
  )
}

export function WeakenedBadge({ compact = false }: { compact?: boolean }) {
  return (
    <span className="badge mark-weak" data-testid="weakened-badge" title="Judged with thresholds or workload sizes easier than the gate’s defaults">
      {compact ? 'WEAK' : 'WEAKENED'}
    </span>
  )
}

export function StatedTag() {
  return (
    <span className="tag-stated" data-testid="stated-tag" title="The harness printed this figure; no per-cycle rows or totals let Shipgate Lab recompute it">
      {STATED_TEXT}
    </span>
  )
}

/** The marks of one run, side by side (nothing when it has none). */
export function RunMarks({ simulated, weakened, compact = false }: { simulated?: boolean; weakened?: boolean; compact?: boolean }) {
  if (!simulated && !weakened) return null
  return (
    <span className="run-marks">
      {simulated && <SimulatedBadge compact={compact} />}
      {weakened && <WeakenedBadge compact={compact} />}
    </span>
  )
}
