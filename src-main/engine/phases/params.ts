// The gate parameters and thresholds a campaign implies, for the verdict engine.
import { effectiveThresholds, type Campaign } from '@shared/campaign'
import type { GateParams } from '@shared/catalog'
import type { EvaluationInput } from '../../verdict/evaluate'

export function gateParams(c: Campaign): GateParams {
  return {
    agents: c.parameters.phase2.agents.length,
    writesPerAgent: c.parameters.phase2.writes_per_agent,
    phase3Memories: c.parameters.phase3.memories,
    chaosCycles: c.parameters.phase4.cycles,
    chaosWritesPerCycle: c.parameters.phase4.writes_per_cycle,
  }
}

export function gateInput(c: Campaign): Omit<EvaluationInput, 'artifacts'> {
  return { params: gateParams(c), thresholds: effectiveThresholds(c) }
}
