import { readdirSync, readFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import type { ArtifactBytes } from '../../src-main/verdict/evaluate'

export const FIXTURE_RUNS = resolve(__dirname, '..', 'fixtures', 'runs')
const PUBLIC = resolve(__dirname, '..', 'fixtures', 'public')
/** Real artifacts of eight public ship-gate runs (Apache-2.0), vendored: see fixtures/public/README.md. */
export const CORPUS = join(PUBLIC, 'ship-gate-runs')
/** The published report page of run r17, as users read it before Shipgate Lab. */
export const SEED = join(PUBLIC, 'r17-report.txt')

export function readRun(dir: string): ArtifactBytes[] {
  return readdirSync(dir)
    .sort()
    .map((name) => ({ name, bytes: readFileSync(join(dir, name)) }))
}

export function fixtureRun(name: string): ArtifactBytes[] {
  return readRun(join(FIXTURE_RUNS, name))
}
