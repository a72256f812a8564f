// The report as one self-contained HTML page (inline CSS, charts as SVG rendered by echarts on the
// server): what `export --html` writes and what both PDF paths print. Every piece of text that came
// from hosts, artifacts or narratives is escaped; links are kept only when they are http(s).
import * as echarts from 'echarts'
import { fmtUsd } from '@shared/money'
import { PHASE_INFO, THRESHOLDS, METRIC_DEFINITIONS } from '@shared/catalog'
import { cycleChartOption } from '@shared/charts'
import type { AnnotationVersion, CheckResult, PhaseResult, RunSummary, RunWarning } from '@shared/domain'
import { type AnyStatus, statusGlyph, statusTone, statusWord } from '@shared/status'
import { fmtBytes, fmtDuration, fmtTime } from '@shared/format'
import type { ReportData } from '@shared/views'
import { withoutCitations } from '@shared/annotation'
import { safeUrl } from '../lib/links'

export function esc(s: unknown): string {
  return String(s ?? '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;')
}

/** Syntax colouring of JSON text: tokens are escaped one by one, never interpreted. */
export function highlightJson(text: string): string {
  const token = /("(?:\\.|[^"\\])*")(\s*:)?|\b(true|false|null)\b|(-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)/g
  let out = ''
  let last = 0
  for (let m = token.exec(text); m; m = token.exec(text)) {
    out += esc(text.slice(last, m.index))
    if (m[1]) out += m[2] ? `<span class="j-key">${esc(m[1])}</span>${esc(m[2])}` : `<span class="j-str">${esc(m[1])}</span>`
    else if (m[3]) out += `<span class="j-lit">${esc(m[3])}</span>`
    else out += `<span class="j-num">${esc(m[4])}</span>`
    last = m.index + m[0].length
  }
  return out + esc(text.slice(last))
}

export function renderSvgChart(option: Record<string, unknown>, width = 760, height = 260): string {
  const chart = echarts.init(null, null, { renderer: 'svg', ssr: true, width, height })
  try {
    chart.setOption({ ...option, animation: false })
    return chart.renderToSVGString()
  } finally {
    chart.dispose()
  }
}

function badge(s: AnyStatus, big = false): string {
  return `<span class="badge tone-${statusTone(s)}${big ? ' big' : ''}">${esc(statusGlyph(s))} ${esc(statusWord(s))}</span>`
}


/** Narrative text: paragraphs, with `[cite: …]` markers shown as small citations. */
function prose(text: string): string {
  if (!text.trim()) return '<p class="muted">—</p>'
  return text
    .split(/\n{2,}/)
    .map((para) => `<p>${esc(para).replace(/\[cite: ([^\]]*)\]/g, (_m, ids: string) => `<span class="cite">[${ids}]</span>`)}</p>`)
    .join('')
}

function checkRow(c: CheckResult): string {
  const glyph = c.counted ? badge(c.status) : '<span class="badge tone-none">ℹ INFO</span>'
  const def = c.metricDefinition ? `<div class="def" title="${esc(METRIC_DEFINITIONS[c.metricDefinition]?.formula ?? '')}">${esc(c.metricDefinition)}</div>` : ''
  const stated = c.provenance === 'stated' && !c.value.includes('not recomputed') ? '<div class="stated">stated by the harness, not recomputed</div>' : ''
  return `<tr class="${c.counted ? '' : 'info'}"><td>${glyph}</td><td>${esc(c.label)}${c.subject ? ` <span class="subject">${esc(c.subject)}</span>` : ''}${def}</td><td class="mono">${esc(c.value)}${stated}</td><td class="mono">${esc(c.threshold)}</td></tr>`
}

/** What a reader must know before the verdict counts: a simulated run, weakened thresholds, earlier verdicts. */
function caveats(run: ReportData['run']): string {
  const e = run.evaluation
  const items: string[] = []
  if (e.simulated) items.push('<li class="caveat"><strong>SIMULATED</strong>: the nodes ran Shipgate Lab\'s simulated ai-memory. This run shows the gate works; it certifies no release.</li>')
  const weaker = (e.deviations ?? []).filter((d) => d.direction === 'weaker')
  const other = (e.deviations ?? []).filter((d) => d.direction !== 'weaker')
  if (weaker.length) items.push(`<li class="caveat"><strong>Judged with weakened thresholds</strong> (${esc(e.thresholdSet)}): ${weaker.map((d) => esc(d.text)).join('; ')}</li>`)
  if (other.length) items.push(`<li class="note">Threshold set ${esc(e.thresholdSet)}: ${other.map((d) => esc(d.text)).join('; ')}</li>`)
  if (run.verdictHistory.length) {
    const all = [...run.verdictHistory.map((v) => `${statusWord(v.verdict)} by ${v.evaluatorVersion}`), `${statusWord(e.verdict)} by ${e.evaluatorVersion}`]
    items.push(`<li class="caveat">The rules changed: judged ${esc(all.join(', '))}.</li>`)
  }
  if (run.stopReason) items.push(`<li class="caveat">Stopped early: ${esc(run.stopReason)}</li>`)
  return items.length ? `<ul class="caveats">${items.join('')}</ul>` : ''
}

function warnings(list: RunWarning[]): string {
  if (!list.length) return ''
  return `<ul class="warnings">${list.map((w) => `<li><span class="badge tone-warn-outline">! WARNING</span> ${esc(w.message)}${w.evidence ? ` <span class="cite">[${esc(w.evidence)}]</span>` : ''}</li>`).join('')}</ul>`
}

function evidenceBlock(data: ReportData, p: PhaseResult, texts: Map<string, string>): string {
  return p.artifacts
    .map((name) => {
      const info = data.run.artifacts.find((a) => a.name === name)
      const text = texts.get(name) ?? ''
      const limit = 200_000
      let body: string
      try {
        body = highlightJson(JSON.stringify(JSON.parse(text), null, 2).slice(0, limit))
      } catch {
        body = esc(text.slice(0, limit))
      }
      const note = text.length > limit ? `<p class="muted">Shown: the first ${fmtBytes(limit)} of ${fmtBytes(text.length)}.</p>` : ''
      return `<details class="evidence"><summary><span class="mono">${esc(name)}</span> · ${info ? `${fmtBytes(info.sizeBytes)} · sha256 <span class="mono">${esc(info.sha256)}</span>` : ''}</summary>${note}<pre>${body}</pre></details>`
    })
    .join('')
}

function phaseSection(data: ReportData, p: PhaseResult, texts: Map<string, string>, charts: boolean): string {
  const info = PHASE_INFO[p.phase]
  let rows = ''
  let subject: string | undefined
  for (const c of p.checks) {
    if (p.phase === 1 && c.subject !== subject) {
      subject = c.subject
      rows += `<tr class="group"><td colspan="4">${esc(subject ?? '')}</td></tr>`
    }
    rows += checkRow(c)
  }
  // The threshold this run was judged with (a campaign may override the gate's), never the default.
  const threshold = data.run.evaluation.thresholds?.p4BoundMin ?? THRESHOLDS.p4BoundMin
  const chart =
    charts && p.phase === 4 && data.cycles.length
      ? [...new Set(data.cycles.map((c) => c.fault))].map((f) => `<figure class="chart">${renderSvgChart(cycleChartOption(f, data.cycles, threshold, { animation: false }))}<figcaption>Per-cycle results of ${esc(f)}: acknowledged writes, each surviving node's count, and the running convergence bound against its threshold.</figcaption></figure>`).join('')
      : ''
  const timing = data.run.phaseTimings.find((t) => t.phase === p.phase)
  const took = timing?.startedAt && timing.finishedAt ? ` · ${fmtDuration(timing.finishedAt - timing.startedAt)}` : ''
  return `<section class="phase" id="phase-${p.phase}">
  <h2>${esc(info.title)} ${badge(p.status)}</h2>
  <p class="proves"><strong>What this phase proves:</strong> ${esc(info.proves)}</p>
  <p class="summary">${esc(p.status === 'not_run' ? 'No artifact: this phase did not run.' : p.summary)}${took}</p>
  ${p.checks.length ? `<table class="checks"><thead><tr><th></th><th>Check</th><th>Measured</th><th>Threshold</th></tr></thead><tbody>${rows}</tbody></table>` : ''}
  ${warnings(p.warnings)}
  ${chart}
  ${evidenceBlock(data, p, texts)}
</section>`
}

function analysis(a: AnnotationVersion | null, data: ReportData): string {
  const note = a ?? (data.draft ? { annotation: data.draft.annotation, source: 'draft' as const, author: 'Shipgate Lab', version: 0, createdAt: 0 } : null)
  if (!note) return ''
  const n = note.annotation
  const isDraft = note.source === 'draft' || note.source === 'llm-draft'
  const flag = isDraft
    ? '<p class="draft-flag"><span class="badge tone-warn-outline">DRAFT</span> Drafted from the evidence by fixed rules; every sentence cites what it rests on. Not yet reviewed by an engineer.</p>'
    : `<p class="muted">${esc(note.source === 'imported' ? 'Imported narrative' : 'Narrative')} · version ${note.version} by ${esc(note.author)}${note.createdAt ? ` · ${esc(fmtTime(note.createdAt))}` : ''}</p>`
  const bugs = n.bugs.length
    ? `<h3>Bugs surfaced and where they were fixed</h3><ul class="bugs">${n.bugs
        .map(
          (b) =>
            `<li><strong>${esc(b.title)}</strong><div><em>Impact:</em> ${esc(b.impact)}</div><div><em>Root cause:</em> ${esc(b.rootCause)}</div><div><em>Fixed in:</em> ${
              b.fixedIn
                .map((f) => {
                  const url = safeUrl(f.url)
                  return url ? `<a href="${esc(url)}" rel="noopener noreferrer">${esc(f.label)}</a>` : esc(f.label)
                })
                .join(', ') || '—'
            }</div></li>`,
        )
        .join('')}</ul>`
    : ''
  return `<section class="analysis">
  <h2>Run focus</h2>
  ${flag}
  <p class="headline">${esc(withoutCitations(n.headline))}</p>
  <p><strong>What this campaign set out to test:</strong></p>${prose(n.whatItTested)}
  <p><strong>What it demonstrated:</strong></p>${prose(n.whatItProved)}
  <h2>For three audiences</h2>
  <div class="audiences">
    <div class="card"><h3>Non-technical end users</h3>${prose(n.forNonTechnical)}</div>
    <div class="card"><h3>C-level decision makers</h3>${prose(n.forCLevel)}</div>
    <div class="card"><h3>Engineers &amp; architects</h3>${prose(n.forEngineers)}</div>
  </div>
  ${bugs}
  <h3>What changed going into the next campaign</h3>${prose(n.nextRunChange)}
</section>`
}

const CSS = `
:root { color-scheme: light dark; --fg:#1d1f23; --muted:#5f6670; --bg:#fff; --panel:#f5f6f8; --line:#d9dce1; --good:#2e7d32; --bad:#c62828; --warn:#b26a00; --none:#757575; }
@media (prefers-color-scheme: dark) { :root { --fg:#e6e8eb; --muted:#a3a9b2; --bg:#16181c; --panel:#1f2227; --line:#343941; --good:#66bb6a; --bad:#ef5350; --warn:#ffb74d; --none:#9e9e9e; } }
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.55 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--fg); background: var(--bg); }
main { max-width: 1040px; margin: 0 auto; padding: 24px 28px 48px; }
h1 { font-size: 22px; margin: 0 0 6px; } h2 { font-size: 17px; margin: 28px 0 8px; border-bottom: 1px solid var(--line); padding-bottom: 4px; } h3 { font-size: 14px; margin: 14px 0 4px; }
.mono, pre, .subject, .def { font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, monospace; }
.muted, .def { color: var(--muted); } .def { font-size: 11px; }
.badge { display: inline-block; padding: 1px 7px; border-radius: 4px; font-size: 12px; font-weight: 600; white-space: nowrap; border: 1px solid transparent; }
.badge.big { font-size: 16px; padding: 3px 10px; }
.tone-good { background: var(--good); color: #fff; } .tone-bad { background: var(--bad); color: #fff; } .tone-warn { background: var(--warn); color: #fff; } .tone-none { background: var(--none); color: #fff; }
.tone-warn-outline { border-color: var(--warn); color: var(--warn); }
.reason { font-size: 15px; margin: 6px 0 10px; }
.meta { color: var(--muted); font-size: 13px; }
table { border-collapse: collapse; width: 100%; } th, td { text-align: left; vertical-align: top; padding: 5px 8px; border-bottom: 1px solid var(--line); } th { font-size: 12px; color: var(--muted); font-weight: 600; }
tr.group td { font-weight: 600; background: var(--panel); } tr.info td { color: var(--muted); } tr { break-inside: avoid; }
.subject { font-size: 12px; color: var(--muted); }
.warnings { padding-left: 0; list-style: none; } .warnings li { margin: 4px 0; }
.cite { color: var(--muted); font-size: 11px; font-family: ui-monospace, Menlo, monospace; }
.audiences { display: grid; grid-template-columns: repeat(3, 1fr); gap: 12px; } .card { background: var(--panel); border: 1px solid var(--line); border-radius: 6px; padding: 4px 12px 8px; }
.headline { font-size: 16px; font-weight: 600; }
details.evidence { margin: 8px 0; border: 1px solid var(--line); border-radius: 6px; } details.evidence summary { cursor: pointer; padding: 6px 10px; background: var(--panel); font-size: 12px; }
pre { margin: 0; padding: 10px; overflow: auto; font-size: 12px; line-height: 1.45; white-space: pre-wrap; word-break: break-all; }
.j-key { color: #4c78a8; } .j-str { color: #2e7d32; } .j-num { color: #b26a00; } .j-lit { color: #b279a2; }
figure.chart { margin: 12px 0; } figure.chart svg { max-width: 100%; height: auto; } figcaption { font-size: 12px; color: var(--muted); }
.cover { display: none; }
.phase-table td { white-space: nowrap; }
.draft-flag { margin: 6px 0; }
.caveats { list-style: none; padding: 0; margin: 8px 0; } .caveats li { margin: 4px 0; padding: 6px 10px; border-radius: 4px; }
.caveats li.caveat { border: 1px solid var(--warn); color: var(--fg); } .caveats li.caveat strong { color: var(--warn); }
.caveats li.note { border: 1px solid var(--line); color: var(--muted); }
.stated { font-family: system-ui, sans-serif; font-size: 11px; color: var(--warn); }
footer { margin-top: 32px; color: var(--muted); font-size: 12px; border-top: 1px solid var(--line); padding-top: 8px; }
@media print {
  @page { size: A4; margin: 16mm 14mm 18mm; }
  body { font-size: 11px; background: #fff; color: #111; } main { max-width: none; padding: 0; }
  .cover { display: block; break-after: page; padding-top: 40mm; } .cover h1 { font-size: 28px; } .cover .reason { font-size: 16px; }
  .audiences { grid-template-columns: 1fr; } details.evidence { break-inside: auto; } details.evidence > pre { max-height: none; }
  h2, h3 { break-after: avoid; } .phase { break-before: page; } .appendix { break-before: page; }
  a { color: inherit; }
}
`

export interface HtmlOptions {
  charts?: boolean
  generatedAt?: number
  /** Text of each artifact, for the evidence blocks. */
  artifactTexts: Map<string, string>
  appVersion?: string
}

export function renderRunHtml(data: ReportData, o: HtmlOptions): string {
  const { run } = data
  const e = run.evaluation
  const charts = o.charts ?? true
  const exec = data.annotation?.annotation ?? data.draft?.annotation
  const phaseTable = `<table class="phase-table"><tbody>${e.phases.map((p) => `<tr><td>${badge(p.status)}</td><td>${esc(PHASE_INFO[p.phase].title)}</td><td>${esc(p.status === 'not_run' ? 'no artifact' : p.summary)}</td></tr>`).join('')}</tbody></table>`
  const meta = [
    `ai-memory ${esc(run.aiMemoryRef ?? '—')}${run.aiMemoryVersion ? ` (${esc(run.aiMemoryVersion)})` : ''}${run.aiMemoryCommit ? ` @ <span class="mono">${esc(run.aiMemoryCommit.slice(0, 12))}</span>` : ''}`,
    `completed ${esc(fmtTime(run.completedAt))}`,
    `duration ${esc(fmtDuration(run.durationMs))}`,
    ...(run.costUsd !== null ? [`cloud cost ${esc(fmtUsd(run.costUsd))}`] : []),
    `${esc(run.source === 'import' ? 'imported' : run.source)}${run.state !== 'completed' ? ` · ${esc(run.state)}` : ''}`,
  ].join(' · ')
  const allWarnings = [...e.warnings]
  const appendix = `<section class="appendix"><h2>Appendix: artifacts</h2><p class="muted">The sha256 of every raw artifact this report was judged on, so the report traces back to its evidence.</p><table><thead><tr><th>Artifact</th><th>Size</th><th>sha256</th></tr></thead><tbody>${run.artifacts.map((a) => `<tr><td class="mono">${esc(a.name)}</td><td>${esc(fmtBytes(a.sizeBytes))}</td><td class="mono">${esc(a.sha256)}</td></tr>`).join('')}</tbody></table></section>`
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<title>${esc(run.id)} — ${esc(statusWord(e.verdict))} — Shipgate Lab</title><style>${CSS}</style></head>
<body><main>
<section class="cover">
  <p class="muted">Ship-gate report · ai-memory release gate</p>
  <h1>${esc(run.id)}</h1>
  <p>${badge(e.verdict, true)}</p>
  <p class="reason">${esc(e.reason)}</p>
  <p class="meta">${meta}</p>
  ${caveats(run)}
  <h2>Executive summary</h2>
  ${exec ? `<p class="headline">${esc(withoutCitations(exec.headline))}</p>${prose(exec.forCLevel)}` : '<p class="muted">No narrative.</p>'}
  ${phaseTable}
</section>
<header>
  <h1>${esc(run.id)} ${badge(e.verdict, true)}</h1>
  <p class="reason">${esc(e.reason)}</p>
  <p class="meta">${meta}</p>
  ${caveats(run)}
  ${warnings(allWarnings.filter((w) => w.code !== 'simulated' && w.code !== 'weakened'))}
  ${phaseTable}
</header>
${analysis(data.annotation, data)}
${e.phases.map((p) => phaseSection(data, p, o.artifactTexts, charts)).join('\n')}
${appendix}
<footer>Generated by Shipgate Lab${o.appVersion ? ` ${esc(o.appVersion)}` : ''} on ${esc(fmtTime(o.generatedAt ?? Date.now()))} · rules ${esc(e.evaluatorVersion)} · thresholds ${esc(e.thresholdSet)}</footer>
</main></body></html>
`
}

/** The index page of a static site of runs (`export --all --html <dir>`). */
export function renderIndexHtml(runs: RunSummary[], fileOf: (id: string) => string, generatedAt = Date.now()): string {
  const rows = runs
    .map(
      (r) =>
        `<tr><td><a href="${esc(fileOf(r.id))}">${esc(r.id)}</a></td><td>${badge(r.verdict)}</td>${r.phaseStatuses.map((s) => `<td title="${esc(statusWord(s))}">${badge(s)}</td>`).join('')}<td>${esc(r.aiMemoryVersion ?? r.aiMemoryRef ?? '—')}</td><td>${esc(fmtTime(r.completedAt ?? r.startedAt))}</td><td>${r.warningCount || ''}</td></tr>`,
    )
    .join('')
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<title>Ship-gate runs — Shipgate Lab</title><style>${CSS}</style></head><body><main>
<h1>Ship-gate runs</h1><p class="meta">${runs.length} runs · generated ${esc(fmtTime(generatedAt))}</p>
<table><thead><tr><th>Run</th><th>Verdict</th><th>P1</th><th>P2</th><th>P3</th><th>P4</th><th>ai-memory</th><th>Completed</th><th>Warnings</th></tr></thead><tbody>${rows}</tbody></table>
</main></body></html>
`
}
