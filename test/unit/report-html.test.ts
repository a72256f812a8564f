// The HTML report (and the PDF printed from it): a drafted headline reads as one line of prose, its
// citations kept for the body where each sentence shows what it rests on.
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { testServices } from '../helpers/services'
import { FIXTURE_RUNS } from '../helpers/fixtures'
import { useTmp } from '../helpers/tmp'

const tmp = useTmp()

describe('HTML report', () => {
  it('prints a drafted headline without its [cite: …] markers and keeps the citations in the body', () => {
    const s = testServices(join(tmp(), 'h.sqlite'))
    try {
      s.imports.import([join(FIXTURE_RUNS, 'good-r1')])
      const draft = s.reports.draft('good-r1').annotation
      expect(draft.headline).toMatch(/\[cite: /)
      const html = s.exports.html('good-r1', { charts: false })
      const headlines = [...html.matchAll(/<p class="headline">([^<]*)<\/p>/g)].map((m) => m[1])
      expect(headlines.length).toBeGreaterThan(0)
      for (const h of headlines) expect(h).not.toMatch(/\[cite:|\[[a-z0-9_.]+, /)
      expect(headlines).toContain(draft.headline.replace(/\s*\[cite: [^\]]*\]/g, '').trim())
      expect(html).toMatch(/<span class="cite">\[[^\]]+\]<\/span>/)
    } finally {
      s.close()
    }
  })
})
