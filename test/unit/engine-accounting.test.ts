// src-main/engine/accounting.ts: busy time is the union of overlapping intervals.

import { describe, expect, it } from 'vitest'
import { TimeAccounting } from '../../src-main/engine/accounting'

describe('time accounting', () => {
  it('counts the union of overlapping busy intervals', () => {
    let t = 0
    const acc = new TimeAccounting(() => t)
    const a = acc.begin() // 0..10
    t = 5
    const b = acc.begin() // 5..20
    t = 10
    a()
    t = 20
    b()
    t = 30
    const c = acc.begin() // 30..35
    t = 35
    c()
    c() // ending twice counts once
    t = 50
    expect(acc.busyMs()).toBe(25)
  })
})
