import type { StateCreator } from 'zustand'
import type { HostKeyPromptEvent, SecretPromptEvent } from '@shared/views'
import { api, unwrap } from '../lib/api'
import { errorText } from '../lib/format'
import type { AppState } from './index'

export interface PromptsSlice {
  hostKeyPrompts: HostKeyPromptEvent[]
  secretPrompts: SecretPromptEvent[]
  pushHostKeyPrompt: (p: HostKeyPromptEvent) => void
  pushSecretPrompt: (p: SecretPromptEvent) => void
  answerHostKey: (id: string, approve: boolean) => Promise<void>
  answerSecret: (id: string, passphrase: string | null) => Promise<void>
}

export const createPromptsSlice: StateCreator<AppState, [], [], PromptsSlice> = (set, get) => ({
  hostKeyPrompts: [],
  secretPrompts: [],
  pushHostKeyPrompt: (p) => set({ hostKeyPrompts: [...get().hostKeyPrompts, p] }),
  pushSecretPrompt: (p) => set({ secretPrompts: [...get().secretPrompts, p] }),
  answerHostKey: async (id, approve) => {
    set({ hostKeyPrompts: get().hostKeyPrompts.filter((p) => p.id !== id) })
    try {
      await unwrap(api().hosts.answerKey({ id, approve }))
    } catch (err) {
      get().notify('bad', `The answer did not reach the connection: ${errorText(err)}`)
    }
  },
  answerSecret: async (id, passphrase) => {
    set({ secretPrompts: get().secretPrompts.filter((p) => p.id !== id) })
    try {
      await unwrap(api().hosts.answerPassphrase({ id, passphrase }))
    } catch (err) {
      get().notify('bad', `The passphrase did not reach the connection: ${errorText(err)}`)
    }
  },
})
