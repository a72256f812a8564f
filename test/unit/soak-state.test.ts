// src-main/soak/state.ts: the soak's resume file: the same campaign on moved hosts resumes, another campaign is refused, a damaged file is left untouched.

import { readFileSync, writeFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import type { Campaign } from '@shared/campaign'
import { demoCampaign } from '../../src-main/demo/demo'
import { openSoakState, statePath } from '../../src-main/soak/state'
import { useTmp } from '../helpers/tmp'

const tmp = useTmp()
const HOUR = 3_600_000

async function campaign(dir: string, name = 'demo'): Promise<Campaign> {
  return { ...(await demoCampaign({ phases: [1], baseDir: dir })), name }
}

describe('soak state', () => {
  it('continues the same campaign on moved hosts, refuses another campaign, leaves a damaged file untouched', async () => {
    const dir = tmp()
    const c = await campaign(tmp(), 'c')
    openSoakState(dir, 's', c, { count: 3, everyMs: 0 }, 1)
    const moved: Campaign = { ...c, hosts: { ...c.hosts, 'node-a': { ...c.hosts['node-a'], address: '10.0.0.9', workdir: '/srv/elsewhere' } } }
    expect(openSoakState(dir, 's', moved, { count: 5, everyMs: HOUR }, 2)).toMatchObject({ count: 5, everyMs: HOUR, createdAt: 1 })
    // The demo lab in another folder has other ports and server paths: still the same campaign.
    expect(openSoakState(dir, 's', await campaign(tmp(), 'c'), { count: 5, everyMs: HOUR }, 3).createdAt).toBe(1)
    const other: Campaign = { ...c, phases: [1, 2] }
    expect(() => openSoakState(dir, 's', other, { count: 3, everyMs: 0 }, 3)).toThrow(/runs another campaign/)
    writeFileSync(statePath(dir, 'd'), '{"version": 1, "series": "d", trunc')
    expect(() => openSoakState(dir, 'd', c, { count: 3, everyMs: 0 }, 4)).toThrow(/damaged \(unreadable JSON.*left untouched/)
    expect(readFileSync(statePath(dir, 'd'), 'utf8')).toBe('{"version": 1, "series": "d", trunc')
  })
})
