// The soak runner with an injected `start` and clock, for the runner and lock tests: no campaign runs.
import type { Campaign } from '@shared/campaign'
import type { SoakEvent } from '@shared/soak'
import { type SoakClock, SoakRunner, type SoakRunOutcome } from '../../src-main/soak/runner'

export interface Harness {
  runner: SoakRunner
  ids: string[]
  starts: { name: string; at: number }[]
  events: SoakEvent[]
  clock: SoakClock & { t: number }
  dir: string
}

/**
 * `during(k, h, signal)` runs inside the k-th start of this harness (1-based), e.g. to press Ctrl-C;
 * `onSleep` inside a wait. A run ends `cancelled` when its signal was aborted.
 */
export function soakHarness(tmp: () => string, options: { dir?: string; ids?: string[]; during?: (k: number, h: Harness, signal: AbortSignal) => void; onSleep?: (h: Harness) => void; verdicts?: ('pass' | 'fail')[] } = {}): Harness {
  const dir = options.dir ?? tmp()
  const h = { ids: options.ids ?? [], starts: [], events: [], dir } as unknown as Harness
  h.clock = {
    t: 1_000_000,
    now: () => h.clock.t,
    sleep: async (ms, signal) => {
      options.onSleep?.(h)
      if (!signal.aborted) h.clock.t += ms
    },
  }
  h.runner = new SoakRunner({
    dir,
    clock: h.clock,
    runIds: (series) => h.ids.filter((id) => id.startsWith(`${series}-r`)),
    start: async (c: Campaign, o): Promise<SoakRunOutcome> => {
      const k = h.ids.filter((id) => id.startsWith(`${c.name}-r`)).length + 1
      const id = `${c.name}-r${k}`
      h.ids.push(id)
      h.starts.push({ name: id, at: h.clock.t })
      options.during?.(h.starts.length, h, o.signal)
      h.clock.t += 10 * 60_000
      const cancelled = o.signal.aborted
      const verdict = options.verdicts?.[h.starts.length - 1] ?? 'pass'
      return { runId: id, state: cancelled ? 'cancelled' : 'completed', evaluation: { verdict: cancelled ? 'incomplete' : verdict, reason: verdict } }
    },
  })
  return h
}
