// Provisioning, bootstrap and cloud teardown of a live run, with the cost meter.
import { useMemo } from 'react'
import { fmtUsd } from '@shared/money'
import type { LiveRun } from '../../store/live'

type SetupStep = LiveRun['setup'][number]

/** The provisioner's steps in order (a step repeated later, like a second `terraform init`, is a new entry). */
function provisionerSteps(setup: SetupStep[]): SetupStep[] {
  const out: SetupStep[] = []
  for (const s of setup) {
    if (s.host !== 'provisioner') continue
    const open = s.status !== 'started' ? out.findLastIndex((x) => x.step === s.step && x.status === 'started') : -1
    if (open >= 0) out[open] = s
    else out.push(s)
  }
  return out
}

/** Bootstrap as a grid: one row per host, one column per step, each cell its latest state. */
function bootstrapGrid(setup: SetupStep[]): { steps: string[]; hosts: string[]; cell: Map<string, SetupStep> } {
  const steps: string[] = []
  const hosts: string[] = []
  const cell = new Map<string, SetupStep>()
  for (const s of setup) {
    if (!s.host || s.host === 'provisioner') continue
    if (!steps.includes(s.step)) steps.push(s.step)
    if (!hosts.includes(s.host)) hosts.push(s.host)
    cell.set(`${s.host}|${s.step}`, s)
  }
  return { steps, hosts, cell }
}

const glyphOf = (s: SetupStep | undefined) => (!s ? '' : s.status === 'done' ? '✓' : s.status === 'failed' ? '✗' : '…')

/** Provisioning, bootstrap and cloud teardown, with the cost meter. */
export function SetupPanel({ run }: { run: LiveRun }) {
  const provisioner = useMemo(() => provisionerSteps(run.setup), [run.setup])
  const grid = useMemo(() => bootstrapGrid(run.setup), [run.setup])
  const failed = [...provisioner, ...grid.cell.values()].filter((s) => s.status === 'failed')
  return (
    <section className="card setup-panel" data-testid="live-setup">
      <h2>
        Hosts from {run.provisioner}
        {run.cost && (
          <span className="cost-meter mono" data-testid="cost-meter" title="hourly prices from the provider times the time held">
            {fmtUsd(run.cost.usd)} {run.cost.final ? 'total' : `so far · ${fmtUsd(run.cost.hourlyUsd)}/h`}
          </span>
        )}
      </h2>
      <p className="small provisioner-steps">
        {provisioner.map((s, i) => (
          <span key={i} className={`step-${s.status}`}>
            {glyphOf(s)} {s.step}
            {i < provisioner.length - 1 ? ' · ' : ''}
          </span>
        ))}
      </p>
      {grid.hosts.length > 0 && (
        <table className="bootstrap-grid small">
          <thead>
            <tr>
              <th>host</th>
              {grid.steps.map((st) => (
                <th key={st}>{st}</th>
              ))}
            </tr>
          </thead>
          <tbody>
            {grid.hosts.map((h) => (
              <tr key={h}>
                <td className="host">{h}</td>
                {grid.steps.map((st) => {
                  const c = grid.cell.get(`${h}|${st}`)
                  return (
                    <td key={st} className={c ? `step-${c.status}` : ''} title={c?.detail ?? ''}>
                      {glyphOf(c)}
                    </td>
                  )
                })}
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {failed.map((s, i) => (
        <p key={i} className="small error">
          {s.host} {s.step}: {s.detail}
        </p>
      ))}
      <p className="small muted">{run.hosts.map((h) => `${h.role}=${h.address || 'pending'}`).join(' · ')}</p>
    </section>
  )
}
