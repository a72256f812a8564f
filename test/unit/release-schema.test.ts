// src-main/release/schema.ts: ship-gate's own release schema (vendored unchanged, sha256 checked) accepts ship-gate's v0.6.3 summary and rejects broken files.

import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import { SHIP_GATE_SCHEMA_SHA256, releaseSchemaErrors } from '../../src-main/release/schema'

const VENDORED = resolve(__dirname, '..', '..', 'resources', 'ship-gate')

describe("ship-gate's release schema", () => {
  it('is the vendored file, unchanged', () => {
    expect(createHash('sha256').update(readFileSync(join(VENDORED, 'schema.json'))).digest('hex')).toBe(SHIP_GATE_SCHEMA_SHA256)
  })

  it("accepts ship-gate's own v0.6.3 summary and rejects broken ones", () => {
    const own = JSON.parse(readFileSync(join(VENDORED, 'v0.6.3', 'summary.json'), 'utf8')) as Record<string, unknown>
    expect(releaseSchemaErrors(own)).toEqual([])
    expect(releaseSchemaErrors({ ...own, verdict: 'incomplete' }).join()).toMatch(/\/verdict: must be equal to one of the allowed values/)
    expect(releaseSchemaErrors({ ...own, nhi_verdict: 'pass' }).join()).toMatch(/\/nhi_verdict: must be null/)
    expect(releaseSchemaErrors({ ...own, version: '0.6.3' }).join()).toMatch(/\/version: must match pattern/)
    const { phases: _p, ...noPhases } = own
    expect(releaseSchemaErrors(noPhases).join()).toMatch(/must have required property 'phases'/)
    expect(releaseSchemaErrors({ ...own, wall_seconds: 1.5 }).join()).toMatch(/\/wall_seconds: must be integer/)
  })
})
