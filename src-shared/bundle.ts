// A run bundle: the run, every artifact byte for byte (with its sha256), the narrative history, the
// log and the phase timings, as one JSON file another engineer imports. A bundle comes from someone
// else: it is validated whole, field by field, before anything of it reaches the history.
import { z } from 'zod'
import { annotationVersionSchema } from './annotation'

export const BUNDLE_FORMAT = 'shipgate-run-bundle@1'

/**
 * What an import reads of one run, wherever it comes from (a ship-gate folder, a bundle, an evidence
 * repo): a bound on memory against hostile input. Whatever Shipgate Lab writes for someone to import
 * (a publication) is held to the same sizes, so it can always be read back.
 */
export const IMPORT_LIMITS = {
  artifactBytes: 16 * 1024 * 1024,
  runBytes: 64 * 1024 * 1024,
  filesPerRun: 64,
  insightsBytes: 16 * 1024 * 1024,
}

export const RUN_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._+-]{0,127}$/
/** An artifact's file name: no folders, no dot files. */
export const ARTIFACT_NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/

const ms = z.number().int().min(0).max(8.64e15)

export const bundleSchema = z
  .object({
    format: z.literal(BUNDLE_FORMAT),
    exportedAt: ms,
    run: z
      .object({
        id: z.string().regex(RUN_ID_PATTERN, 'letters, digits and . _ + - (at most 128)'),
        campaign: z.string().min(1).max(200),
        source: z.enum(['import', 'launched', 'bundle']),
        state: z.enum(['running', 'completed', 'interrupted', 'cancelled']),
        params: z.record(z.string(), z.unknown()),
        aiMemoryRef: z.string().max(200).nullable(),
        aiMemoryVersion: z.string().max(200).nullable(),
        aiMemoryCommit: z.string().max(200).nullable(),
        startedAt: ms.nullable(),
        completedAt: ms.nullable(),
        durationMs: ms.nullable(),
        costUsd: z.number().min(0).max(1e9).nullable(),
        /** The exporter's verdict: shown nowhere, the run is judged again on import. */
        verdict: z.string().max(20),
        stopReason: z.string().max(2000).nullable().optional(),
      })
      .strict(),
    artifacts: z
      .array(
        z
          .object({
            name: z.string().regex(ARTIFACT_NAME_PATTERN, 'a plain file name'),
            sha256: z.string().regex(/^[0-9a-f]{64}$/, 'a sha256 in hex'),
            base64: z.string().max(24 * 1024 * 1024).regex(/^[A-Za-z0-9+/]*={0,2}$/, 'base64'),
          })
          .strict(),
      )
      .max(64),
    annotations: z.array(annotationVersionSchema).max(1000),
    phaseTimings: z
      .array(z.object({ phase: z.union([z.literal(1), z.literal(2), z.literal(3), z.literal(4)]), startedAt: ms.nullable(), finishedAt: ms.nullable() }).strict())
      .max(4),
    log: z
      .array(
        z
          .object({
            at: ms,
            phase: z.number().int().min(1).max(4).nullable(),
            host: z.string().max(200).nullable(),
            stream: z.enum(['stdout', 'stderr', 'info', 'command']),
            line: z.string().max(100_000),
          })
          .strict(),
      )
      .max(2_000_000),
  })
  .strict()

export type Bundle = z.infer<typeof bundleSchema>

/** `annotations[0].annotation.headline: expected text` — a refusal names the field. */
export function describeBundleIssues(error: z.ZodError): string[] {
  return error.issues.slice(0, 10).map((i) => {
    const path = i.path.reduce<string>((out, k) => (typeof k === 'number' ? `${out}[${k}]` : out ? `${out}.${String(k)}` : String(k)), '')
    let message = i.message
    if (i.code === 'invalid_type') message = i.expected === 'string' ? 'expected text' : i.expected === 'number' ? 'expected a number' : `expected ${i.expected}`
    else if (i.code === 'invalid_value') message = `expected one of ${i.values.map((v) => JSON.stringify(v)).join(', ')}`
    else if (i.code === 'unrecognized_keys') message = `unknown field${i.keys.length > 1 ? 's' : ''} ${i.keys.join(', ')}`
    return `${path || '(bundle)'}: ${message}`
  })
}
