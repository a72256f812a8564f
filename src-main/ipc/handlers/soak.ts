// soak.*, release.*: soak series and release verdict files in the desktop app. One SoakRunner per
// app, over the app's database; its lock keeps the app and a `shipgate soak run` of the same series
// apart. Soak runs that do not pass raise an OS notification (the platform's `notify`).
import { parseDuration } from '@shared/soak'
import { AppError, errorMessage } from '../../lib/errors'
import { releaseRefusals, releaseVersion, writeRelease } from '../../release/summary'
import type { AppServices } from '../../services/app-services'
import { parseCampaignText } from '../../services/campaign-service'
import { SoakRunner } from '../../soak/runner'
import { listSeries, seriesReport, soakDir } from '../../soak/series'
import type { DomainHandlers } from './types'

export function soakHandlers(s: AppServices): DomainHandlers<'soak'> & DomainHandlers<'release'> {
  const { store, runs, history } = s.core
  const dbPath = s.deps.dbPath
  const runner = new SoakRunner({ dir: soakDir(dbPath), start: (c, o) => runs.start(c, o), runIds: (series) => store.runs.idsOfCampaign(series) })
  return {
    'soak.list': async () => listSeries(store, dbPath),
    'soak.report': async ({ series, ...options }) => seriesReport(store, dbPath, series, options),
    'soak.start': async ({ yaml, count, every, series }) => {
      const everyMs = parseDuration(every)
      if (everyMs === null) throw new AppError('BAD_REQUEST', `every: ${JSON.stringify(every)} is not a duration such as 4h, 30m or 0s`)
      const campaign = parseCampaignText(yaml, 'the campaign')
      if (!s.mayRunLocally(campaign)) throw new AppError('FORBIDDEN', 'this campaign runs commands on this machine (transport: local) and is not the built-in demo lab; allow local campaigns in the settings to run it')
      if (runner.status()) throw new AppError('CONFLICT', `the soak ${runner.status()?.series} is running in this window; stop it first`)
      const name = series ?? campaign.name
      // Lock and state are taken now (a refusal is this call's answer); the runs go on in the
      // background and the page follows them through `soak.event`.
      const { done } = runner.begin(campaign, {
        count,
        everyMs,
        series: name,
        onProgress: (e) => s.deps.emit('run.progress', e),
        onEvent: (e) => {
          s.deps.emit('soak.event', e)
          if (e.type !== 'run-finished') return
          s.deps.emit('runs.changed', { runId: e.runId })
          if (e.verdict !== 'pass') s.deps.notify?.(`Soak ${e.series}: ${e.runId} ${e.verdict.toUpperCase()}`, `${e.reason} (${e.state})`)
        },
      })
      done.catch((err: unknown) => s.logger.error('the soak failed', { series: name, error: errorMessage(err) }))
      return { series: name }
    },
    'soak.stop': async () => ({ stop: runner.stop() }),
    'soak.status': async () => runner.status(),
    'release.write': async ({ runId, version, soakSeries, soakExpect, allowWeakened }) => {
      const v = releaseVersion(version)
      const run = history.detail(runId)
      const soak = soakSeries ? seriesReport(store, dbPath, soakSeries, soakExpect ? { expect: soakExpect } : {}) : null
      const input = { version: v, run, soak, allowWeakened, generatedBy: `Shipgate Lab ${s.deps.appVersion}`.trim(), now: Date.now() }
      // Refused before the dialog, so nobody picks a place for a file that will not be written.
      const refusals = releaseRefusals(input)
      if (refusals.length) throw new AppError('CONFLICT', `refused to write a release file for ${v}:\n  - ${refusals.join('\n  - ')}`, { details: { refusals } })
      if (!s.deps.pickSavePath) throw new AppError('BAD_REQUEST', 'this window cannot choose where to save')
      const path = await s.deps.pickSavePath('summary.json')
      if (!path) return { written: null, verdict: null, headline: null }
      // The OS save dialog has already asked before replacing a file.
      const { file, summary } = writeRelease(input, path, { force: true })
      return { written: file, verdict: summary.verdict, headline: summary.headline }
    },
  }
}
