// Every threshold and workload size of the gate, in one place, and how a run's own differ from them.
// A campaign (or a bundle) may change any of them; the change is never silent: the evaluation names
// a threshold set that differs from the default and lists each change ("weakened: p4BoundMin 0
// (default 0.995)"), so compare, the report, the PDF and JUnit all say so.

/** The id of the default set; anything else gets an id derived from what differs. */
export const THRESHOLD_SET_ID = 'shipgate-thresholds@1'

export interface Thresholds {
  p1StatsTotalMin: number
  p1RecallMin: number
  /** `backup --keep 1` must leave exactly one snapshot and one manifest. */
  p1SnapshotCount: number
  p1ManifestCount: number
  p1McpToolsMin: number
  /** Curator errors that do not count (no LLM on the droplets). */
  p1CuratorAcceptedErrors: string[]
  /** Each node must hold at least floor(ok × percent / 100) of the burst. */
  p2ConvergencePercent: number
  p2Probe1Code: number
  p2Probe2Code: number
  p4BoundMin: number
}

export const THRESHOLDS: Readonly<Thresholds> = Object.freeze({
  p1StatsTotalMin: 1,
  p1RecallMin: 1,
  p1SnapshotCount: 1,
  p1ManifestCount: 1,
  p1McpToolsMin: 30,
  p1CuratorAcceptedErrors: ['no LLM client configured'],
  p2ConvergencePercent: 95,
  p2Probe1Code: 201,
  p2Probe2Code: 503,
  p4BoundMin: 0.995,
})

/** The workload a run was configured with; null where it is not known (an imported ship-gate run). */
export interface GateParams {
  agents: number
  writesPerAgent: number
  phase3Memories: number
  /** W of the W-of-3 quorum in phases 2 and 4. */
  quorumWrites: number | null
  chaosCycles: number | null
  chaosWritesPerCycle: number | null
  /** The fault classes phase 4 was asked to run. */
  chaosFaults: string[] | null
  /** Host names the campaign gave the nodes, when it gave them. */
  nodeHosts: Partial<Record<'node-a' | 'node-b' | 'node-c', string>>
}

/** ship-gate's own workload (campaign.yml and the phase scripts): what an imported run is judged with. */
export const SHIP_GATE_DEFAULT_PARAMS: Readonly<GateParams> = Object.freeze({
  agents: 4,
  writesPerAgent: 50,
  phase3Memories: 1000,
  quorumWrites: 2,
  chaosCycles: null,
  chaosWritesPerCycle: null,
  chaosFaults: null,
  nodeHosts: {},
})

/** The gate's reference workload sizes: a run below them tested less than the gate asks. */
export interface GateWorkload {
  agents: number
  writesPerAgent: number
  phase3Memories: number
  quorumWrites: number
  chaosCycles: number
  chaosWritesPerCycle: number
}

export const GATE_WORKLOAD: Readonly<GateWorkload> = Object.freeze({
  agents: 4,
  writesPerAgent: 50,
  phase3Memories: 1000,
  quorumWrites: 2,
  chaosCycles: 50,
  chaosWritesPerCycle: 100,
})

export interface Deviation {
  key: string
  value: string
  default: string
  direction: 'weaker' | 'stricter' | 'different'
  text: string
}

/**
 * Which way a change moves a threshold: `higher` means a larger value is harder to pass. Exact
 * expectations (a probe code, a file count) have no stricter side: any change checks something else.
 */
const THRESHOLD_SENSE: Record<keyof Thresholds, 'higher' | 'lower' | 'exact' | 'list-accepted'> = {
  p1StatsTotalMin: 'higher',
  p1RecallMin: 'higher',
  p1SnapshotCount: 'exact',
  p1ManifestCount: 'exact',
  p1McpToolsMin: 'higher',
  p1CuratorAcceptedErrors: 'list-accepted',
  p2ConvergencePercent: 'higher',
  p2Probe1Code: 'exact',
  p2Probe2Code: 'exact',
  p4BoundMin: 'higher',
}

function show(v: unknown): string {
  return Array.isArray(v) ? `[${v.map((x) => JSON.stringify(x)).join(', ')}]` : String(v)
}

function deviation(key: string, value: unknown, def: unknown, direction: Deviation['direction']): Deviation {
  const word = direction === 'weaker' ? 'weakened' : direction === 'stricter' ? 'stricter' : 'changed'
  return { key, value: show(value), default: show(def), direction, text: `${word}: ${key} ${show(value)} (default ${show(def)})` }
}

function sameList(a: string[], b: string[]): boolean {
  return a.length === b.length && [...a].sort().every((x, i) => x === [...b].sort()[i])
}

/** How a run's thresholds and workload differ from the gate's defaults, weakest changes first. */
export function deviationsOf(thresholds: Thresholds, params: GateParams): Deviation[] {
  const out: Deviation[] = []
  for (const key of Object.keys(THRESHOLD_SENSE) as (keyof Thresholds)[]) {
    const value = thresholds[key]
    const def = THRESHOLDS[key]
    const sense = THRESHOLD_SENSE[key]
    if (Array.isArray(value) || Array.isArray(def)) {
      const v = value as string[]
      const d = def as string[]
      if (sameList(v, d)) continue
      // Accepting more curator errors is weaker; accepting fewer is stricter.
      const weaker = v.some((x) => !d.includes(x))
      out.push(deviation(key, v, d, weaker ? 'weaker' : 'stricter'))
      continue
    }
    if (value === def) continue
    const n = value as number
    const dn = def as number
    if (sense === 'exact') out.push(deviation(key, n, dn, 'weaker'))
    else out.push(deviation(key, n, dn, (sense === 'higher' ? n < dn : n > dn) ? 'weaker' : 'stricter'))
  }
  const sizes: [keyof GateWorkload, number | null][] = [
    ['agents', params.agents],
    ['writesPerAgent', params.writesPerAgent],
    ['phase3Memories', params.phase3Memories],
    ['chaosCycles', params.chaosCycles],
    ['chaosWritesPerCycle', params.chaosWritesPerCycle],
  ]
  for (const [key, value] of sizes) {
    const def = GATE_WORKLOAD[key]
    if (value === null || value === def) continue
    out.push(deviation(key, value, def, value < def ? 'weaker' : 'stricter'))
  }
  // W=1 needs no peer at all; W=3 needs every peer: any other W tests another quorum.
  if (params.quorumWrites !== null && params.quorumWrites !== GATE_WORKLOAD.quorumWrites) out.push(deviation('quorumWrites', params.quorumWrites, GATE_WORKLOAD.quorumWrites, params.quorumWrites < GATE_WORKLOAD.quorumWrites ? 'weaker' : 'different'))
  const rank = { weaker: 0, different: 1, stricter: 2 }
  return out.sort((a, b) => rank[a.direction] - rank[b.direction])
}

/** 32-bit FNV-1a, hex: a short, stable tag of a set of changes (not a security hash). */
function fnv1a(text: string): string {
  let h = 0x811c9dc5
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i)
    h = Math.imul(h, 0x01000193) >>> 0
  }
  return h.toString(16).padStart(8, '0')
}

/** `shipgate-thresholds@1` for the defaults; `shipgate-thresholds@1~weakened-<tag>` (or `~custom-`) otherwise. */
export function thresholdSetId(deviations: Deviation[]): string {
  if (deviations.length === 0) return THRESHOLD_SET_ID
  const kind = deviations.some((d) => d.direction === 'weaker') ? 'weakened' : 'custom'
  const canonical = deviations.map((d) => `${d.key}=${d.value}`).sort().join(';')
  return `${THRESHOLD_SET_ID}~${kind}-${fnv1a(canonical)}`
}

/** True when the set id says the run was judged with easier thresholds or a smaller workload. */
export function isWeakenedSet(id: string): boolean {
  return id.includes('~weakened-')
}
