// Cloud: the DigitalOcean token (saved in the OS keychain, never shown again), what campaigns left
// behind (with age, cost so far and the dead-man deadline; destroyed on confirmation), and what
// launched runs cost per campaign and per month.
import { useEffect, useState } from 'react'
import { useShallow } from 'zustand/react/shallow'
import { fmtUsd } from '@shared/money'
import type { LeftoverCampaign } from '@shared/views'
import { Dialog } from '../components/Dialog'
import { fmtDuration, fmtTime } from '../lib/format'
import { useApp } from '../store'

function TokenSection() {
  const { settings, saveToken } = useApp(useShallow((s) => ({ settings: s.cloudSettings, saveToken: s.saveToken })))
  const [token, setToken] = useState('')
  const state = settings?.digitalOceanToken
  return (
    <section className="card" data-testid="token">
      <h2>DigitalOcean API token</h2>
      <p className="small">
        {state === 'saved' && <strong className="tone-text-good">Saved in the OS keychain. </strong>}
        {state === 'none' && <strong>Not saved. </strong>}
        {state === 'unavailable' && <strong className="tone-text-bad">The OS keychain is not available: {settings?.detail}. </strong>}
        Campaigns with <span className="mono">provisioner: digitalocean</span> (and Terraform modules that read <span className="mono">var.do_token</span>) use it. It is encrypted by the keychain, never shown again and never written to logs; the command line reads <span className="mono">DIGITALOCEAN_TOKEN</span> instead.
      </p>
      <form
        className="toolbar"
        onSubmit={(e) => {
          e.preventDefault()
          if (token.trim()) void saveToken(token.trim()).then((ok) => ok && setToken(''))
        }}
      >
        <input type="password" autoComplete="off" value={token} onChange={(e) => setToken(e.target.value)} placeholder="dop_v1_…" aria-label="DigitalOcean API token" disabled={state === 'unavailable'} style={{ width: 360 }} />
        <button className="primary" type="submit" disabled={!token.trim() || state === 'unavailable'}>
          Save token
        </button>
        {state === 'saved' && (
          <button type="button" onClick={() => void saveToken(null)}>
            Remove
          </button>
        )}
      </form>
    </section>
  )
}

function LeftoverRow({ l, onDestroy, busy }: { l: LeftoverCampaign; onDestroy: () => void; busy: boolean }) {
  return (
    <tr data-tag={l.tag}>
      <td>
        <span className="mono">{l.tag}</span>
        <div className="small muted">{l.kind}</div>
      </td>
      <td className="small">
        {l.resources.map((r) => (
          <div key={`${r.kind}:${r.id}`}>
            {r.kind} <span className="mono">{r.name}</span>
          </div>
        ))}
      </td>
      <td className="small">{fmtDuration(l.ageMs)}</td>
      <td className="small mono">
        {fmtUsd(l.costSoFarUsd)}
        <div className="muted">{l.hourlyUsd > 0 ? `${fmtUsd(l.hourlyUsd)}/h` : 'price unknown'}</div>
      </td>
      <td className="small">{l.deadlineAt === null ? '—' : l.pastDeadline ? <strong className="tone-text-bad">passed {fmtTime(l.deadlineAt)}</strong> : fmtTime(l.deadlineAt)}</td>
      <td>
        <button className="danger" onClick={onDestroy} disabled={busy}>
          {busy ? 'Destroying…' : 'Destroy'}
        </button>
      </td>
    </tr>
  )
}

function CostTable({ rows, total, empty }: { rows: { label: string; runs: number; usd: number }[]; total?: number; empty: string }) {
  if (rows.length === 0) return <p className="muted small">{empty}</p>
  return (
    <table>
      <tbody>
        {rows.map((r) => (
          <tr key={r.label}>
            <td className="mono">{r.label}</td>
            <td className="small">{r.runs} run(s)</td>
            <td className="mono">{fmtUsd(r.usd)}</td>
          </tr>
        ))}
        {total !== undefined && (
          <tr>
            <td>
              <strong>Total</strong>
            </td>
            <td />
            <td className="mono">
              <strong>{fmtUsd(total)}</strong>
            </td>
          </tr>
        )}
      </tbody>
    </table>
  )
}

export default function CloudView() {
  const { leftovers, errors, costs, destroying, loadCloud, destroyLeftover } = useApp(
    useShallow((s) => ({ leftovers: s.leftovers, errors: s.leftoverErrors, costs: s.costs, destroying: s.destroying, loadCloud: s.loadCloud, destroyLeftover: s.destroyLeftover })),
  )
  const [confirm, setConfirm] = useState<LeftoverCampaign | null>(null)
  useEffect(() => {
    void loadCloud()
  }, [loadCloud])
  return (
    <div className="view cloud" data-testid="cloud-view">
      <h1>Cloud</h1>
      <TokenSection />
      <section>
        <h2>
          Left behind {leftovers && <span className="muted small">({leftovers.length === 0 ? 'nothing' : `${leftovers.length} campaign(s), ${fmtUsd(leftovers.reduce((s, l) => s + l.costSoFarUsd, 0))} so far`})</span>}{' '}
          <button className="link small" onClick={() => void loadCloud()}>
            List again
          </button>
        </h2>
        <p className="small muted">Resources tagged shipgate, or in a Terraform state the app keeps, that belong to no running campaign. Past its dead-man deadline a campaign is destroyed automatically.</p>
        {errors.map((e) => (
          <p key={e} className="error small">
            Could not list {e}
          </p>
        ))}
        {leftovers === null && <p className="muted">Listing…</p>}
        {leftovers && leftovers.length > 0 && (
          <table data-testid="leftovers">
            <thead>
              <tr>
                <th>Campaign</th>
                <th>Resources</th>
                <th>Age</th>
                <th>Cost so far</th>
                <th>Dead-man deadline</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {leftovers.map((l) => (
                <LeftoverRow key={`${l.kind}:${l.tag}`} l={l} busy={destroying.includes(l.tag)} onDestroy={() => setConfirm(l)} />
              ))}
            </tbody>
          </table>
        )}
      </section>
      {costs && (
        <section className="sidebyside" data-testid="costs">
          <div>
            <h2>Cost per campaign</h2>
            <CostTable rows={costs.byCampaign.map((c) => ({ label: c.campaign, runs: c.runs, usd: c.usd }))} total={costs.totalUsd} empty="No launched run has a cloud cost yet." />
          </div>
          <div>
            <h2>Cost per month</h2>
            <CostTable rows={costs.byMonth.map((m) => ({ label: m.month, runs: m.runs, usd: m.usd }))} empty="—" />
          </div>
        </section>
      )}
      {confirm && (
        <Dialog title={`Destroy ${confirm.tag}?`} onClose={() => setConfirm(null)}>
          <p>
            This deletes {confirm.resources.length} resource(s) of <span className="mono">{confirm.tag}</span> ({confirm.kind}) and then lists again to prove nothing is left. It cannot be undone.
          </p>
          <div className="actions">
            <button
              className="danger"
              onClick={() => {
                const l = confirm
                setConfirm(null)
                void destroyLeftover(l)
              }}
            >
              Destroy
            </button>
            <button onClick={() => setConfirm(null)}>Keep</button>
          </div>
        </Dialog>
      )}
    </div>
  )
}
