// A link out of the app goes through main's allow-listed opener, never the page itself.
import { useApp } from '../../store'

export function ExternalLink({ label, url }: { label: string; url: string }) {
  const openExternal = useApp((s) => s.openExternal)
  return (
    <button className="link" onClick={() => void openExternal(url)} title={url}>
      {label}
    </button>
  )
}
