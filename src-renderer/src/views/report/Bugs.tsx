import type { BugNote } from '@shared/domain'
import { ExternalLink } from './ExternalLink'

export function Bugs({ bugs }: { bugs: BugNote[] }) {
  if (bugs.length === 0) return null
  return (
    <>
      <h3>Bugs surfaced and where they were fixed</h3>
      <ul className="bugs">
        {bugs.map((b, i) => (
          <li key={i}>
            <strong>{b.title}</strong>
            <div>
              <em>Impact:</em> {b.impact}
            </div>
            <div>
              <em>Root cause:</em> {b.rootCause}
            </div>
            <div>
              <em>Fixed in:</em>{' '}
              {b.fixedIn.length
                ? b.fixedIn.map((f, k) => (
                    <span key={k}>
                      {k > 0 && ', '}
                      <ExternalLink label={f.label} url={f.url} />
                    </span>
                  ))
                : '—'}
            </div>
          </li>
        ))}
      </ul>
    </>
  )
}
