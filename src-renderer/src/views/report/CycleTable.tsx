// Every chaos cycle as a row: writes, what each survivor holds of the acknowledged writes, writes
// attempted while the fault was in force, convergence, and whether the heal was verified.
import type { ChaosCycle } from '@shared/domain'

const mark = (v: boolean | null) => (v === null ? '—' : v ? '✓' : '✗')

export function CycleTable({ cycles }: { cycles: ChaosCycle[] }) {
  return (
    <div className="table-scroll">
      <table className="cycles" data-testid="cycle-table">
        <thead>
          <tr>
            <th>fault</th>
            <th>cycle</th>
            <th>writes</th>
            <th>ok</th>
            <th>qnm</th>
            <th>fail</th>
            <th title="writes attempted while the fault was in force">during fault</th>
            <th title="of the acknowledged (201) writes, how many node-1 and node-2 hold">acked held</th>
            <th title="memories in the cycle's namespace on node-0, -1, -2 (diagnostic)">counts</th>
            <th>converged</th>
            <th>verified</th>
            <th>heal verified</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {cycles.map((c, i) => (
            <tr key={i} className={c.status === 'error' ? 'cycle-error' : ''}>
              <td className="mono">{c.fault}</td>
              <td>{c.cycle}</td>
              <td>{c.writes ?? '—'}</td>
              <td>{c.ok ?? '—'}</td>
              <td>{c.quorumNotMet ?? '—'}</td>
              <td>{c.fail ?? '—'}</td>
              <td>{c.writesDuringFault ?? '—'}</td>
              <td className="mono">{c.ackedHeld ? c.ackedHeld.map((n) => n ?? 'ERR').join(' / ') : '—'}</td>
              <td className="mono">{c.counts.map((n) => n ?? 'ERR').join(' / ')}</td>
              <td>{c.convergeMs !== null ? `${mark(c.converged)} ${c.convergeMs} ms` : '—'}</td>
              <td>{mark(c.verified)}</td>
              <td>{mark(c.healVerified)}</td>
              <td className="small">{c.error ?? ''}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  )
}
