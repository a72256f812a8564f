// src-renderer/src/lib/records.ts: a record from main is checked before it is drawn; a malformed one names its field.

import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { checkAnnotation, checkReport, RecordError } from '../../src-renderer/src/lib/records'
import type { AppServices } from '../../src-main/services/app-services'
import { importPaths } from '../../src-main/import/importer'
import { FIXTURE_RUNS } from '../helpers/fixtures'
import { withAppServices } from '../helpers/services'
import { useTmp } from '../helpers/tmp'

const tmp = useTmp()

function withServices<T>(fn: (s: AppServices, logFile: string) => Promise<T>): Promise<T> {
  return withAppServices(tmp(), fn)
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
