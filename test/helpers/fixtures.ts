import { readdirSync, readFileSync, existsSync } from 'node:fs'
import { join, resolve } from 'node:path'
import type { ArtifactBytes } from '../../src-main/verdict/evaluate'

export const FIXTURE_RUNS = resolve(__dirname, '..', 'fixtures', 'runs')
/** The shared folder (real public runs, the seed report): beside this checkout, or where SHIPGATE_SHARED says. */
const SHARED = [process.env.SHIPGATE_SHARED, resolve(__dirname, '..', '..', '..', 'shared'), '/work/shared'].find((d): d is string => Boolean(d) && existsSync(join(d as string, 'corpus'))) ?? resolve(__dirname, '..', '..', '..', 'shared')
export const CORPUS = join(SHARED, 'corpus', 'ship-gate-runs')
export const SEED = join(SHARED, 'seed', '000_ddeca6aa2d106093.txt')
export const hasCorpus = existsSync(join(CORPUS, 'runs'))

export function readRun(dir: string): ArtifactBytes[] {
  return readdirSync(dir)
    .sort()
    .map((name) => ({ name, bytes: readFileSync(join(dir, name)) }))
}

export function fixtureRun(name: string): ArtifactBytes[] {
  return readRun(join(FIXTURE_RUNS, name))
}
