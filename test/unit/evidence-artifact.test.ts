// src-main/evidence/artifact.ts: which artifact a file is, and what it holds.

import { describe, expect, it } from 'vitest'
import { artifactRole, parseArtifact } from '../../src-main/evidence/artifact'

describe('artifact classification', () => {
  it('names roles by file name', () => {
    expect(artifactRole('phase1-node-b.json')).toMatchObject({ phase: 1, subject: 'node-b', kind: 'phase' })
    expect(artifactRole('phase4.json')).toMatchObject({ phase: 4, kind: 'phase' })
    expect(artifactRole('campaign-summary.json').kind).toBe('summary')
    expect(artifactRole('phase5.json').kind).toBe('other')
  })
  it('tells empty, log, invalid and JSON apart', () => {
    expect(parseArtifact(Buffer.from('')).kind).toBe('empty')
    expect(parseArtifact(Buffer.from('  \n')).kind).toBe('empty')
    expect(parseArtifact(Buffer.from('[chaos] cycle 1: nodes ready\n')).kind).toBe('log')
    expect(parseArtifact(Buffer.from('{"phase": 2')).kind).toBe('invalid')
    expect(parseArtifact(Buffer.from('null'))).toEqual({ kind: 'invalid', error: 'JSON null, not an object' })
    expect(parseArtifact(Buffer.from('{"phase": 2}'))).toEqual({ kind: 'json', value: { phase: 2 } })
  })
})
