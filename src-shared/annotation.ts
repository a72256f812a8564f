// The schema of a run's narrative: what the desktop app saves and what a shared run bundle may
// carry. Text fields are text of bounded size; fixed-in links are https only.
import { z } from 'zod'

export const fixedInUrl = z
  .string()
  .max(2000)
  .refine((u) => {
    try {
      return new URL(u).protocol === 'https:'
    } catch {
      return false
    }
  }, 'must be an https:// link')

export const annotationSchema = z
  .object({
    headline: z.string().max(2000),
    verdictLine: z.string().max(5000),
    whatItTested: z.string().max(20000),
    whatItProved: z.string().max(20000),
    forNonTechnical: z.string().max(20000),
    forCLevel: z.string().max(20000),
    forEngineers: z.string().max(20000),
    bugs: z
      .array(
        z
          .object({
            title: z.string().max(2000),
            impact: z.string().max(5000),
            rootCause: z.string().max(5000),
            fixedIn: z.array(z.object({ label: z.string().max(500), url: fixedInUrl }).strict()).max(50),
          })
          .strict(),
      )
      .max(100),
    nextRunChange: z.string().max(20000),
  })
  .strict()

export const annotationVersionSchema = z
  .object({
    version: z.number().int().min(1).max(100000),
    source: z.enum(['imported', 'draft', 'edited', 'accepted', 'llm-draft']),
    author: z.string().max(500),
    createdAt: z.number().int().min(0),
    annotation: annotationSchema,
    citations: z.record(z.string().max(100), z.array(z.string().max(2000)).max(200)).optional(),
  })
  .strict()

/** A headline is one line of prose: drafted citations (`[cite: …]`) belong to the body, not to it. */
export function withoutCitations(text: string): string {
  return text.replace(/\s*\[cite: [^\]]*\]/g, '').trim()
}
