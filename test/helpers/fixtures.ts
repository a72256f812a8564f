import { readdirSync, readFileSync, existsSync } from 'node:fs'
import { join, resolve } from 'node:path'
import type { ArtifactBytes } from '../../src-main/verdict/evaluate'

export const FIXTURE_RUNS = resolve(__dirname, '..', 'fixtures', 'runs')
/** The shared corpus of real public runs, when this checkout has it beside it. */
export const CORPUS = resolve(__dirname, '..', '..', '..', 'shared', 'corpus', 'ship-gate-runs')
export const SEED = resolve(__dirname, '..', '..', '..', 'shared', 'seed', '000_ddeca6aa2d106093.txt')
export const hasCorpus = existsSync(join(CORPUS, 'runs'))

export function readRun(dir: string): ArtifactBytes[] {
  return readdirSync(dir)
    .sort()
    .map((name) => ({ name, bytes: readFileSync(join(dir, name)) }))
}

export function fixtureRun(name: string): ArtifactBytes[] {
  return readRun(join(FIXTURE_RUNS, name))
}
