// Questions main asks while a run connects: trust an unknown host key, unlock a key with its passphrase.
import { useState } from 'react'
import { useShallow } from 'zustand/react/shallow'
import { useApp } from '../store'
import { Dialog } from './Dialog'

export function Prompts() {
  const { hostKeyPrompts, secretPrompts, answerHostKey, answerSecret } = useApp(
    useShallow((s) => ({ hostKeyPrompts: s.hostKeyPrompts, secretPrompts: s.secretPrompts, answerHostKey: s.answerHostKey, answerSecret: s.answerSecret })),
  )
  const [secret, setSecret] = useState('')
  const key = hostKeyPrompts[0]
  const pass = secretPrompts[0]
  if (key) {
    return (
      <Dialog title="Unknown host key" onClose={() => void answerHostKey(key.id, false)}>
        <p>
          The host <span className="mono">{key.host}:{key.port}</span> presented a key this app has never seen:
        </p>
        <p className="mono fingerprint" data-testid="fingerprint">
          {key.keyType} {key.fingerprint}
        </p>
        <p className="small muted">Compare it with the fingerprint your provider shows for the droplet (ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub on the host). Trusting it pins it; a different key later is refused.</p>
        <div className="actions">
          <button className="primary" onClick={() => void answerHostKey(key.id, true)}>
            Trust and connect
          </button>
          <button onClick={() => void answerHostKey(key.id, false)}>Refuse</button>
        </div>
      </Dialog>
    )
  }
  if (pass) {
    return (
      <Dialog title="Key passphrase" onClose={() => void answerSecret(pass.id, null)}>
        <p>
          Passphrase for <span className="mono">{pass.keyPath}</span>
          {pass.attempt > 1 ? ' (the previous one was wrong)' : ''}. It is used once to unlock the key and never stored.
        </p>
        <input type="password" value={secret} onChange={(e) => setSecret(e.target.value)} aria-label="Passphrase" />
        <div className="actions">
          <button
            className="primary"
            onClick={() => {
              void answerSecret(pass.id, secret)
              setSecret('')
            }}
          >
            Unlock
          </button>
          <button onClick={() => void answerSecret(pass.id, null)}>Cancel</button>
        </div>
      </Dialog>
    )
  }
  return null
}
