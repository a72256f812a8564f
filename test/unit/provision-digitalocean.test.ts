// src-main/provision/digitalocean.ts: campaigns named into tags and read back the way teardown and reconcile need.

import { describe, expect, it } from 'vitest'
import { campaignOf, deadlineOf } from '../../src-main/provision/digitalocean'
import { campaignTag } from '../../src-main/provision/types'

describe('do: names campaigns and ', () => {
  it('names campaigns and reads tags the way teardown and reconcile need', () => {
    expect(campaignTag('v0.6.0.0-final-r17')).toBe('v0-6-0-0-final-r17')
    expect(campaignTag('Weird/Name__r2')).toBe('weird-name-r2')
    expect(campaignOf({ tags: ['shipgate', 'campaign-v0-6-0-r3'], name: 'whatever' })).toBe('v0-6-0-r3')
    expect(campaignOf({ tags: [], name: 'shipgate-v0-6-0-r3' })).toBe('v0-6-0-r3')
    expect(campaignOf({ tags: [], name: 'shipgate-v0-6-0-r3-node-b' })).toBe('v0-6-0-r3')
    expect(campaignOf({ tags: [], name: 'someone-elses' })).toBeNull()
    expect(deadlineOf(['shipgate', 'shipgate-deadline-1800000000'])).toBe(1_800_000_000_000)
    expect(deadlineOf(['shipgate'])).toBeNull()
  })
})
