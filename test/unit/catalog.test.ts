import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { ALL_CHECK_IDS, ALL_SPECS, METRIC_DEFINITIONS, THRESHOLDS } from '@shared/catalog'
import { evaluateRun } from '../../src-main/verdict/evaluate'
import { fixtureRun, SEED } from '../helpers/fixtures'

// The check lines of the seed report (run r17, phases 1–3), as engineers read them today.
const SEED_LINES = [
  '✓ Stats total ≥ 1 (store + list + stats round-trip) — 1 memories',
  '✓ Recall returned ≥ 1 hit — 1 hits',
  '✓ Backup snapshot file emitted — 1 snapshot(s)',
  '✓ Backup manifest file emitted — 1 manifest(s)',
  '✓ MCP handshake advertises ≥ 30 tools — 36 tools',
  '✓ Curator dry-run clean (Ollama-not-configured is accepted) — 1 errors',
  '✓ Burst writes returned 201 — ok=200/200 (qnm=0, fail=0)',
  '✓ node-A convergence ≥ 95% of ok — a=200 / threshold 190',
  '✓ node-B convergence ≥ 95% of ok — b=200 / threshold 190',
  '✓ node-C convergence ≥ 95% of ok — c=200 / threshold 190',
  '✓ Probe 1: one peer down → 201 (quorum met via remaining peer) — got 201',
  '✓ Probe 2: both peers down → 503 (quorum_not_met) — got 503',
  '✓ Source SQLite has 1000 seed memories — src_count=1000',
  '✓ Destination after reverse roundtrip has 1000 memories — dst_count=1000',
  '✓ Forward migration SQLite → Postgres: errors=0 — errors=0',
  '✓ Idempotent re-run is a no-op — writes=1000',
  '✓ Reverse migration Postgres → SQLite: errors=0 — errors=0',
]

describe('check catalog', () => {
  it('defines every check once, with fields it reads and how it computes', () => {
    expect(new Set(ALL_CHECK_IDS).size).toBe(ALL_CHECK_IDS.length)
    for (const spec of ALL_SPECS) {
      expect(spec.reads.length, spec.id).toBeGreaterThan(0)
      expect(spec.computes.length, spec.id).toBeGreaterThan(10)
      expect(spec.id.startsWith(`p${spec.phase}.`)).toBe(true)
    }
  })

  it('keeps thresholds as frozen data', () => {
    expect(Object.isFrozen(THRESHOLDS)).toBe(true)
    expect(THRESHOLDS.p4BoundMin).toBe(0.995)
  })

  it('names every chaos metric definition, and marks the uptime one untrustworthy', () => {
    expect(METRIC_DEFINITIONS['chaos.bound.uptime@0']?.trustworthy).toBe(false)
    expect(METRIC_DEFINITIONS['chaos.bound.surviving-peers@2']?.trustworthy).toBe(true)
  })

  it('reproduces the labels and value texts of the seed report', () => {
    const e = evaluateRun({ artifacts: fixtureRun('good-r1') }).evaluation
    const produced = new Set(e.phases.filter((p) => p.phase < 4).flatMap((p) => p.checks.map((c) => `${c.status === 'pass' ? '✓' : '✗'} ${c.label} — ${c.value}`)))
    for (const line of SEED_LINES) expect(produced.has(line), line).toBe(true)
  })

  it('matches the check lines found in the shared seed document', () => {
    const seedLines = readFileSync(SEED, 'utf8')
      .split('\n')
      .filter((l) => l.startsWith('- ✓') && !l.includes('Overall'))
      .map((l) => l.slice(2))
    expect(new Set(seedLines)).toEqual(new Set(SEED_LINES))
  })
})
