import type { ArtifactInfo } from '@shared/domain'
import { fmtBytes } from '../../lib/format'

export function Artifacts({ artifacts }: { artifacts: ArtifactInfo[] }) {
  return (
    <section className="appendix">
      <h2>Artifacts</h2>
      <table>
        <thead>
          <tr>
            <th>artifact</th>
            <th>size</th>
            <th>sha256</th>
          </tr>
        </thead>
        <tbody>
          {artifacts.map((a) => (
            <tr key={a.name}>
              <td className="mono">{a.name}</td>
              <td>{fmtBytes(a.sizeBytes)}</td>
              <td className="mono small sha">{a.sha256}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  )
}
