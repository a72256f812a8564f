// The fault journal and teardown: every process and fault the run started, and whether it was undone.
import type { JournalView } from '@shared/views'
import { StatusBadge } from '../../components/Status'

export function Journal({ entries }: { entries: JournalView[] }) {
  if (entries.length === 0) return null
  return (
    <section className="journal">
      <h2>Fault journal and teardown</h2>
      <table>
        <thead>
          <tr>
            <th>host</th>
            <th>what</th>
            <th>state</th>
            <th>detail</th>
          </tr>
        </thead>
        <tbody>
          {entries.map((j) => (
            <tr key={j.id}>
              <td>{j.hostRole}</td>
              <td>{j.label}</td>
              <td>{j.state === 'failed' || j.state === 'pending' ? <StatusBadge status="error" /> : j.state}</td>
              <td className="small">{j.detail}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  )
}
