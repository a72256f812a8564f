// src-main/evidence/harness-log.ts: ship-gate's chaos harness log, line by line.

import { describe, expect, it } from 'vitest'
import { parseHarnessLog } from '../../src-main/evidence/harness-log'

describe('chaos harness log', () => {
  it('extracts each fault block, its summary and a FATAL abort', () => {
    const log = [
      '[chaos] chaos campaign: fault=kill_primary_mid_write cycles=2 writes/cycle=100',
      '[chaos] cycle 1: nodes ready (pids 1 2 3)',
      '[chaos] cycle 2: nodes ready (pids 4 5 6)',
      '[chaos] ---- summary ----',
      '{',
      '  "total_cycles": 2,',
      '  "total_writes": 200,',
      '  "total_ok": "6",',
      '  "total_quorum_not_met": 0,',
      '  "total_fail": 194,',
      '  "convergence_bound": 0.03',
      '}',
      '[chaos] chaos campaign: fault=partition_minority cycles=50 writes/cycle=100',
      '[chaos] cycle 1: nodes ready (pids 7 8 9)',
      '[chaos] FATAL: node-0 failed to start (see /tmp/x/node-0.log)',
    ].join('\n')
    const blocks = parseHarnessLog(log)
    expect(blocks).toHaveLength(2)
    expect(blocks[0]).toMatchObject({ fault: 'kill_primary_mid_write', cyclesConfigured: 2, writesPerCycle: 100, cyclesStarted: 2, fatal: null })
    expect(blocks[0]?.summary).toMatchObject({ totalOk: 6, totalWrites: 200, convergenceBound: 0.03 })
    expect(blocks[1]).toMatchObject({ fault: 'partition_minority', cyclesStarted: 1, summary: null })
    expect(blocks[1]?.fatal).toMatch(/^node-0 failed to start/)
  })
  it('survives a truncated summary block', () => {
    const blocks = parseHarnessLog('[chaos] chaos campaign: fault=x cycles=1 writes/cycle=1\n[chaos] ---- summary ----\n{\n  "total_ok": 1,\n')
    expect(blocks[0]?.summary).toBeNull()
  })
})
