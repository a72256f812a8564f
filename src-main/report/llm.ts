// Optional: a language model (any OpenAI-compatible chat endpoint the user configures) may rewrite
// the deterministic draft for readability, under the same rules, which are checked here: every
// sentence keeps a citation the draft had, and no number appears that the draft did not contain.
// Anything that breaks a rule is refused and the deterministic draft stays.
import type { Annotation } from '@shared/domain'
import type { DraftNarrative } from '@shared/views'
import { AppError } from '../lib/errors'

export interface LlmProvider {
  baseUrl: string
  model: string
  apiKey?: string
  timeoutMs?: number
}

export function llmFromEnv(env: NodeJS.ProcessEnv = process.env): LlmProvider | null {
  if (!env.SHIPGATE_LLM_URL || !env.SHIPGATE_LLM_MODEL) return null
  return { baseUrl: env.SHIPGATE_LLM_URL, model: env.SHIPGATE_LLM_MODEL, ...(env.SHIPGATE_LLM_KEY ? { apiKey: env.SHIPGATE_LLM_KEY } : {}) }
}

const FIELDS = ['headline', 'verdictLine', 'whatItTested', 'whatItProved', 'forNonTechnical', 'forCLevel', 'forEngineers'] as const

const RULES = [
  'Rewrite the narrative for its audiences; keep its meaning exactly.',
  'Never invent a fact, cause, bug, fix or number: use only what the draft states.',
  'Every sentence must end with one of the [cite: …] markers of the draft, copied exactly.',
  'Keep what is inconclusive inconclusive. Answer with one JSON object with the same keys.',
].join(' ')

function sentences(text: string): string[] {
  return text
    .split(/(?<=\])\s+/)
    .map((s) => s.trim())
    .filter(Boolean)
}

function numbers(text: string): string[] {
  return (text.replace(/\[cite: [^\]]*\]/g, '').match(/\d+(?:\.\d+)?/g) ?? []).map((n) => String(Number(n)))
}

/** Why a rewrite breaks the rules, or null when it keeps them. */
export function checkRewrite(draft: DraftNarrative, rewrite: Record<string, unknown>): string | null {
  const draftText = FIELDS.map((f) => draft.annotation[f]).join(' ')
  const allowedCites = new Set((draftText.match(/\[cite: [^\]]*\]/g) ?? []).map((c) => c))
  const allowedNumbers = new Set(numbers(draftText))
  for (const f of FIELDS) {
    const text = rewrite[f]
    if (typeof text !== 'string') return `field ${f} missing`
    if (draft.annotation[f].trim() && !text.trim()) return `field ${f} emptied`
    for (const s of sentences(text)) {
      const cite = /\[cite: [^\]]*\]$/.exec(s)?.[0]
      if (!cite) return `a sentence of ${f} has no citation: ${JSON.stringify(s.slice(0, 120))}`
      if (!allowedCites.has(cite)) return `${f} cites ${cite}, which the draft does not`
    }
    for (const n of numbers(text)) if (!allowedNumbers.has(n)) return `${f} contains the number ${n}, which is not in the evidence`
  }
  return null
}

export async function rewriteDraft(draft: DraftNarrative, provider: LlmProvider, fetchImpl: typeof fetch = fetch): Promise<DraftNarrative> {
  const body = {
    model: provider.model,
    temperature: 0,
    response_format: { type: 'json_object' },
    messages: [
      { role: 'system', content: RULES },
      { role: 'user', content: JSON.stringify(Object.fromEntries(FIELDS.map((f) => [f, draft.annotation[f]]))) },
    ],
  }
  let res: Response
  try {
    res = await fetchImpl(`${provider.baseUrl.replace(/\/+$/, '')}/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(provider.apiKey ? { authorization: `Bearer ${provider.apiKey}` } : {}) },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(provider.timeoutMs ?? 60_000),
    })
  } catch (err) {
    throw new AppError('BAD_INPUT', `the language model did not answer: ${(err as Error).message}`)
  }
  if (!res.ok) throw new AppError('BAD_INPUT', `the language model answered HTTP ${res.status}`)
  const json = (await res.json()) as { choices?: { message?: { content?: string } }[] }
  const content = json.choices?.[0]?.message?.content
  let rewrite: Record<string, unknown>
  try {
    rewrite = JSON.parse(content ?? '') as Record<string, unknown>
  } catch {
    throw new AppError('BAD_INPUT', 'the language model did not answer with a JSON object')
  }
  const broken = checkRewrite(draft, rewrite)
  if (broken) throw new AppError('BAD_INPUT', `the rewrite was refused (${broken}); the deterministic draft stands`)
  const annotation: Annotation = { ...draft.annotation, ...Object.fromEntries(FIELDS.map((f) => [f, rewrite[f] as string])) }
  return { ...draft, annotation }
}
