// The renderer's record checks and verdict helpers (pure): a malformed record names its field; the
// preflight split gives cause and fix; errors the boundaries catch reach the main log through app.log.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { RunDetail } from '@shared/domain'
import { checkAnnotation, checkReport, RecordError } from '../../src-renderer/src/lib/records'
import { preflightProblems, verdictHistoryLine, withoutCitations } from '../../src-renderer/src/lib/verdict'
import { dispatch } from '../../src-main/ipc/dispatch'
import { createHandlers } from '../../src-main/ipc/handlers'
import { fileLogger } from '../../src-main/lib/logger'
import { AppServices } from '../../src-main/services/app-services'
import { importPaths } from '../../src-main/import/importer'
import { FIXTURE_RUNS } from '../helpers/fixtures'
import { useTmp } from '../helpers/tmp'

const tmp = useTmp()

function withServices<T>(fn: (s: AppServices, logFile: string) => Promise<T>): Promise<T> {
  const d = tmp()
  const logFile = join(d, 'logs', 'main.log')
  const s = new AppServices({ dbPath: join(d, 'h.sqlite'), appVersion: 'test', emit: () => undefined, services: { knownHostsFiles: [] }, logger: fileLogger({ file: logFile }) })
  return fn(s, logFile).finally(() => s.dispose())
}

describe('renderer record checks', () => {
  it('accepts a real report and names the field of a malformed one', async () => {
    await withServices(async (s) => {
      importPaths(s.core.store, [join(FIXTURE_RUNS, 'good-r1')])
      const report = s.core.reports.report('good-r1')
      expect(checkReport(report)).toBe(report)
      const broken = (patch: (r: Record<string, unknown> & { run: { evaluation: Record<string, unknown> } }) => void) => {
        const copy = JSON.parse(JSON.stringify(report)) as Record<string, unknown> & { run: { evaluation: Record<string, unknown> } }
        patch(copy)
        return () => checkReport(copy)
      }
      expect(broken((r) => void (r.run.evaluation.phases = []))).toThrowError(new RecordError('evaluation.phases', 'no phases (an evaluation always judges phases 1 to 4)'))
      expect(broken((r) => void ((r.run.evaluation.phases as { checks: { value: unknown }[] }[])[3]!.checks[0]!.value = 7))).toThrowError('evaluation.phases[3].checks[0].value: expected text')
      expect(broken((r) => void (r.run.evaluation.verdict = 'maybe'))).toThrowError('evaluation.verdict: expected one of pass, fail, incomplete')
      expect(broken((r) => void delete r.logLines)).toThrowError('logLines: expected a number')
    })
  })

  it('checks a narrative field by field', () => {
    const good = { headline: 'h', verdictLine: 'v', whatItTested: 't', whatItProved: 'p', forNonTechnical: 'n', forCLevel: 'c', forEngineers: 'e', nextRunChange: 'x', bugs: [{ title: 'b', impact: 'i', rootCause: 'r', fixedIn: [{ label: 'PR', url: 'https://x' }] }] }
    expect(checkAnnotation(good)).toBe(good)
    expect(() => checkAnnotation({ ...good, headline: 5 }, 'narrative v1')).toThrowError('narrative v1.headline: expected text')
    expect(() => checkAnnotation({ ...good, bugs: [{ ...good.bugs[0], fixedIn: [{ label: 'PR' }] }] })).toThrowError('narrative.bugs[0].fixedIn[0].url: expected text')
  })
})

describe('verdict helpers', () => {
  it('splits preflight problems into cause and fix, once per problem with the phases it stopped', () => {
    const summary = 'preflight: ai-memory --version failed on node-a: not found — fix: install ai-memory on node-a; ai-memory --version failed on node-b: not found — fix: install ai-memory on node-b'
    const phase = (n: 1 | 2) => ({ phase: n, status: 'error', summary, checks: [], warnings: [], metrics: [], artifacts: ['preflight.json'] })
    const run = { evaluation: { phases: [phase(1), phase(2)] } } as unknown as RunDetail
    expect(preflightProblems(run)).toEqual([
      { phases: [1, 2], cause: 'ai-memory --version failed on node-a: not found', fix: 'install ai-memory on node-a' },
      { phases: [1, 2], cause: 'ai-memory --version failed on node-b: not found', fix: 'install ai-memory on node-b' },
    ])
  })

  it('reads the verdict history oldest first, and keeps citations out of a headline', () => {
    const e = { verdict: 'incomplete', evaluatorVersion: 'evaluator@2' } as RunDetail['evaluation']
    expect(verdictHistoryLine([{ evaluatorVersion: 'evaluator@1', thresholdSet: 's', verdict: 'fail', reason: 'r', judgedAt: 1 }], e)).toBe('judged FAIL by evaluator@1, INCOMPLETE by evaluator@2')
    expect(withoutCitations('All four phases pass [cite: verdict, p1.nodes].')).toBe('All four phases pass.')
  })
})

describe('app.log', () => {
  it('writes what a boundary caught to the main log file, and refuses what is not text', async () => {
    await withServices(async (s, logFile) => {
      const handlers = createHandlers(s)
      const r = await dispatch(handlers, 'app.log', { level: 'error', message: 'evaluation.phases: no phases', view: 'report', stack: 'at ReportView' })
      expect(r).toEqual({ ok: true, value: { logged: true } })
      expect(readFileSync(logFile, 'utf8')).toMatch(/renderer: evaluation\.phases: no phases .*view="report"/)
      const bad = await dispatch(handlers, 'app.log', { level: 'error', message: 5 })
      expect(bad.ok).toBe(false)
    })
  })
})
