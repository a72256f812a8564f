// Campaign setup: a form and the campaign file side by side, both editing the same campaign; host
// entries with a connection test; saved campaigns; launching a run.
import { Fragment, type ReactNode, useEffect } from 'react'
import { useShallow } from 'zustand/react/shallow'
import type { Campaign, CampaignHost } from '@shared/campaign'
import { FAULT_CLASSES, HOST_ROLES, type HostRole } from '@shared/domain'
import { useApp } from '../store'

function Field({ label, children, hint }: { label: string; children: ReactNode; hint?: string }) {
  return (
    <label className="field">
      <span>{label}</span>
      {children}
      {hint && <small className="muted">{hint}</small>}
    </label>
  )
}

function clone<T>(v: T): T {
  return JSON.parse(JSON.stringify(v)) as T
}

export default function CampaignView() {
  const s = useApp(
    useShallow((st) => ({
      saved: st.saved,
      yaml: st.yaml,
      parsed: st.parsed,
      issues: st.issues,
      hostChecks: st.hostChecks,
      testingHosts: st.testingHosts,
      loadSaved: st.loadSaved,
      openSaved: st.openSaved,
      setYaml: st.setYaml,
      setFromForm: st.setFromForm,
      newFromDemo: st.newFromDemo,
      saveCampaign: st.saveCampaign,
      testHosts: st.testHosts,
      startRun: st.startRun,
      campaignWarnings: st.campaignWarnings,
      settings: st.settings,
      loadSettings: st.loadSettings,
      setAllowLocalCampaigns: st.setAllowLocalCampaigns,
    })),
  )
  const { loadSaved, loadSettings, newFromDemo } = s
  // On opening: the saved list, the settings, and the demo campaign when nothing is being edited.
  useEffect(() => {
    void loadSaved()
    void loadSettings()
    if (!useApp.getState().yaml) void newFromDemo()
  }, [loadSaved, loadSettings, newFromDemo])
  const c = s.parsed
  /** Hosts a provisioner creates per run: their addresses are not the user's to type. */
  const provisioned = !!c && c.provisioner.kind !== 'static'
  const edit = (fn: (draft: Campaign) => void) => {
    if (!c) return
    const draft = clone(c)
    fn(draft)
    void s.setFromForm(draft)
  }
  const num = (v: string) => (v === '' ? 0 : Number(v))
  const host = (role: HostRole, key: keyof CampaignHost, value: string) =>
    edit((d) => {
      const h = d.hosts[role] as unknown as Record<string, unknown>
      if (value === '' && key !== 'address') delete h[key]
      else h[key] = key === 'api_port' || key === 'port' ? num(value) : value
    })
  return (
    <div className="view campaigns" data-testid="campaigns">
      <aside className="saved">
        <h2>Saved campaigns</h2>
        <ul>
          {s.saved.map((x) => (
            <li key={x.name}>
              <button className="link mono" onClick={() => void s.openSaved(x.name)}>
                {x.name}
              </button>
            </li>
          ))}
          {s.saved.length === 0 && <li className="muted small">none yet</li>}
        </ul>
        <button onClick={() => void s.newFromDemo()}>New from the demo lab</button>
      </aside>
      <div className="setup">
        <div className="toolbar">
          <button onClick={() => void s.saveCampaign()} disabled={!c || s.issues.length > 0}>
            Save
          </button>
          <button onClick={() => void s.testHosts()} disabled={!c || s.testingHosts} data-testid="test-hosts">
            {s.testingHosts ? 'Testing connections…' : 'Test connections'}
          </button>
          <button className="primary" onClick={() => void s.startRun(s.yaml)} disabled={!c || s.issues.length > 0} data-testid="run-campaign">
            Run campaign
          </button>
        </div>
        {c?.transport === 'local' && (
          <label className="small setting" data-testid="allow-local">
            <input type="checkbox" checked={s.settings?.allowLocalCampaigns ?? false} onChange={(e) => void s.setAllowLocalCampaigns(e.target.checked)} /> Allow local campaigns other than the built-in demo lab (they run commands on this machine)
          </label>
        )}
        {s.campaignWarnings.length > 0 && s.issues.length === 0 && (
          <ul className="warnings" data-testid="campaign-warnings">
            {s.campaignWarnings.map((w) => (
              <li key={w}>
                <span className="badge tone-warn-outline">! WARNING</span> {w}
              </li>
            ))}
          </ul>
        )}
        {s.issues.length > 0 && (
          <ul className="issues" data-testid="campaign-issues">
            {s.issues.map((i) => (
              <li key={i} className="error">
                {i}
              </li>
            ))}
          </ul>
        )}
        <div className="split">
          <form className="form" onSubmit={(e) => e.preventDefault()} aria-label="Campaign form">
            {c ? (
              <>
                <div className="row">
                  <Field label="Name" hint="runs are named <name>-r<N>">
                    <input value={c.name} onChange={(e) => edit((d) => void (d.name = e.target.value))} aria-label="Campaign name" />
                  </Field>
                  <Field label="Transport">
                    <select value={c.transport} onChange={(e) => edit((d) => void (d.transport = e.target.value as 'ssh' | 'local'))}>
                      <option value="ssh">SSH (droplets)</option>
                      <option value="local">local (demo lab)</option>
                    </select>
                  </Field>
                </div>
                <div className="row">
                  <Field label="ai-memory binary on the hosts">
                    <input value={c.ai_memory.binary} onChange={(e) => edit((d) => void (d.ai_memory.binary = e.target.value))} />
                  </Field>
                  <Field label="Ref">
                    <input value={c.ai_memory.ref ?? ''} onChange={(e) => edit((d) => void (d.ai_memory.ref = e.target.value || undefined))} />
                  </Field>
                </div>
                <h3>Hosts</h3>
                {c.provisioner.kind !== 'static' && (
                  <p className="small muted" data-testid="provisioned-hosts">
                    Created by the <span className="mono">{c.provisioner.kind}</span> provisioner for each run and destroyed after it (dead-man deadline {c.provisioner.dead_man_hours} h): addresses are filled in when the hosts exist. Edit the provisioner in the campaign file.
                  </p>
                )}
                <table className="hosts">
                  <thead>
                    <tr>
                      <th>role</th>
                      <th>address</th>
                      <th>private address</th>
                      <th>user</th>
                      <th>key</th>
                      <th>jump</th>
                      <th>API port</th>
                    </tr>
                  </thead>
                  <tbody>
                    {HOST_ROLES.map((role) => {
                      const h = c.hosts[role]
                      const check = s.hostChecks?.[role]
                      return (
                        <Fragment key={role}>
                        <tr data-role={role} className={check ? 'has-check' : ''}>
                          <td>{role}</td>
                          <td>
                            <input value={h.address} onChange={(e) => host(role, 'address', e.target.value)} aria-label={`${role} address`} disabled={provisioned} placeholder={provisioned ? 'created per run' : ''} />
                          </td>
                          <td>
                            <input value={h.private_address ?? ''} onChange={(e) => host(role, 'private_address', e.target.value)} disabled={provisioned} placeholder={provisioned ? 'created per run' : ''} />
                          </td>
                          <td>
                            <input value={h.user ?? ''} onChange={(e) => host(role, 'user', e.target.value)} size={6} />
                          </td>
                          <td>
                            <input value={h.key ?? ''} onChange={(e) => host(role, 'key', e.target.value)} placeholder="agent" />
                          </td>
                          <td>
                            <input value={h.jump ?? ''} onChange={(e) => host(role, 'jump', e.target.value)} />
                          </td>
                          <td>
                            <input value={String(h.api_port)} onChange={(e) => host(role, 'api_port', e.target.value)} size={5} />
                          </td>
                        </tr>
                        {check && (
                          <tr className="host-check">
                            <td />
                            <td colSpan={6} className={`small ${check.ok ? 'ok' : 'error'}`} data-testid={`host-check-${role}`}>
                              {check.ok ? `✓ ${check.hostname} · ${check.version ?? 'no ai-memory'} · ${check.ms} ms` : `✗ ${check.error}`}
                            </td>
                          </tr>
                        )}
                        </Fragment>
                      )
                    })}
                  </tbody>
                </table>
                <h3>Phases</h3>
                <div className="row">
                  {([1, 2, 3, 4] as const).map((p) => (
                    <label key={p} className="check">
                      <input
                        type="checkbox"
                        checked={c.phases.includes(p)}
                        onChange={(e) => edit((d) => void (d.phases = e.target.checked ? [...new Set([...d.phases, p])].sort() : d.phases.filter((x) => x !== p)))}
                      />{' '}
                      phase {p}
                    </label>
                  ))}
                  <label className="check">
                    <input type="checkbox" checked={c.continue_on_failure} onChange={(e) => edit((d) => void (d.continue_on_failure = e.target.checked))} /> continue after a failed phase
                  </label>
                </div>
                <h3>Parameters</h3>
                <div className="row">
                  <Field label="Writes per agent (phase 2)">
                    <input type="number" value={c.parameters.phase2.writes_per_agent} onChange={(e) => edit((d) => void (d.parameters.phase2.writes_per_agent = num(e.target.value)))} />
                  </Field>
                  <Field label="Settle deadline (s)">
                    <input type="number" value={c.parameters.phase2.settle_deadline_s} onChange={(e) => edit((d) => void (d.parameters.phase2.settle_deadline_s = num(e.target.value)))} />
                  </Field>
                  <Field label="Memories (phase 3)">
                    <input type="number" value={c.parameters.phase3.memories} onChange={(e) => edit((d) => void (d.parameters.phase3.memories = num(e.target.value)))} aria-label="Memories to migrate" />
                  </Field>
                </div>
                <div className="row">
                  <Field label="Chaos topology">
                    <select value={c.parameters.phase4.topology} onChange={(e) => edit((d) => void (d.parameters.phase4.topology = e.target.value as 'harness' | 'federation'))}>
                      <option value="harness">harness (three servers on the chaos client)</option>
                      <option value="federation">federation (the node droplets)</option>
                    </select>
                  </Field>
                  <Field label="Cycles per fault">
                    <input type="number" value={c.parameters.phase4.cycles} onChange={(e) => edit((d) => void (d.parameters.phase4.cycles = num(e.target.value)))} aria-label="Cycles per fault" />
                  </Field>
                  <Field label="Writes per cycle">
                    <input type="number" value={c.parameters.phase4.writes_per_cycle} onChange={(e) => edit((d) => void (d.parameters.phase4.writes_per_cycle = num(e.target.value)))} />
                  </Field>
                  <Field label="Fault after write">
                    <input type="number" value={c.parameters.phase4.fault_at_write} onChange={(e) => edit((d) => void (d.parameters.phase4.fault_at_write = num(e.target.value)))} />
                  </Field>
                </div>
                <div className="row">
                  {FAULT_CLASSES.map((f) => (
                    <label key={f} className="check mono small">
                      <input
                        type="checkbox"
                        checked={c.parameters.phase4.faults.includes(f)}
                        onChange={(e) => edit((d) => void (d.parameters.phase4.faults = e.target.checked ? [...new Set([...d.parameters.phase4.faults, f])] : d.parameters.phase4.faults.filter((x) => x !== f)))}
                      />{' '}
                      {f}
                    </label>
                  ))}
                </div>
                <h3>Thresholds</h3>
                <div className="row">
                  <Field label="Convergence bound ≥" hint="default 0.995">
                    <input type="number" step="0.001" value={c.thresholds.p4BoundMin ?? 0.995} onChange={(e) => edit((d) => void (d.thresholds.p4BoundMin = num(e.target.value)))} aria-label="Convergence bound" />
                  </Field>
                  <Field label="Phase-2 convergence % of ok" hint="default 95">
                    <input type="number" value={c.thresholds.p2ConvergencePercent ?? 95} onChange={(e) => edit((d) => void (d.thresholds.p2ConvergencePercent = num(e.target.value)))} />
                  </Field>
                  <Field label="MCP tools ≥" hint="default 30">
                    <input type="number" value={c.thresholds.p1McpToolsMin ?? 30} onChange={(e) => edit((d) => void (d.thresholds.p1McpToolsMin = num(e.target.value)))} />
                  </Field>
                </div>
              </>
            ) : (
              <p className="muted">Fix the campaign file to edit it here.</p>
            )}
          </form>
          <div className="yaml">
            <h3>Campaign file</h3>
            <textarea spellCheck={false} value={s.yaml} onChange={(e) => void s.setYaml(e.target.value)} aria-label="Campaign YAML" data-testid="campaign-yaml" />
          </div>
        </div>
      </div>
    </div>
  )
}
