// "Certify release…": ship-gate's release verdict file (releases/<version>/summary.json) from this
// run, as `shipgate release` writes it. Main refuses incomplete, simulated, other-version and
// weakened runs (and soaks that did not pass) before any file is chosen; the refusal is shown whole.
import { type FormEvent, useState } from 'react'
import { useShallow } from 'zustand/react/shallow'
import { useApp } from '../../store'

export function CertifyRelease({ defaultVersion, onClose }: { defaultVersion: string; onClose: () => void }) {
  const { certifyRelease } = useApp(useShallow((s) => ({ certifyRelease: s.certifyRelease })))
  const [version, setVersion] = useState(defaultVersion)
  const [soak, setSoak] = useState('')
  const [allowWeakened, setAllowWeakened] = useState(false)
  const [busy, setBusy] = useState(false)
  const [refused, setRefused] = useState<string | null>(null)
  const submit = async (e: FormEvent) => {
    e.preventDefault()
    setBusy(true)
    setRefused(null)
    const r = await certifyRelease({ version: version.trim(), allowWeakened, ...(soak.trim() ? { soakSeries: soak.trim() } : {}) })
    setBusy(false)
    if (r.refused) setRefused(r.refused)
    else if (r.written) onClose()
  }
  return (
    <form className="certify" onSubmit={(e) => void submit(e)} data-testid="certify-release" aria-label="Certify release">
      <label className="field">
        version
        <input value={version} onChange={(e) => setVersion(e.target.value)} required aria-label="Release version" placeholder="v0.6.0" />
      </label>
      <label className="field">
        soak series (optional)
        <input value={soak} onChange={(e) => setSoak(e.target.value)} aria-label="Soak series" placeholder="soak-v0.6.0" />
      </label>
      <label className="check">
        <input type="checkbox" checked={allowWeakened} onChange={(e) => setAllowWeakened(e.target.checked)} /> allow weakened thresholds (written into the file)
      </label>
      <button type="submit" disabled={busy || !version.trim()}>
        {busy ? 'Checking…' : 'Write summary.json…'}
      </button>
      <button type="button" className="link" onClick={onClose}>
        Cancel
      </button>
      {refused && (
        <pre className="refusal" role="alert" data-testid="certify-refused">
          {refused}
        </pre>
      )}
    </form>
  )
}
