// src-main/provision/lifecycle.ts: cost is hourly price times time held, exact (rounded only for display).

import { describe, expect, it } from 'vitest'
import { fmtUsd } from '@shared/money'
import { costOf } from '../../src-main/provision/lifecycle'

describe('lifecycle: meters cost as hourl', () => {
  it('meters cost as hourly price times time held', () => {
    expect(costOf(0.125, 0, 3_600_000)).toBe(0.125)
    expect(costOf(0.12499, 0, 90 * 60_000)).toBeCloseTo(0.1875, 4)
    expect(costOf(1, 10, 5)).toBe(0)
    expect(fmtUsd(0.00042)).toBe('$0.0004')
    expect(fmtUsd(12.345)).toBe('$12.35')
  })
})
