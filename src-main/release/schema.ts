// ship-gate's release schema (resources/ship-gate/schema.json, vendored unchanged), checked by a real
// JSON Schema validator (ajv, draft 2020-12): a release file this tool writes is one ship-gate's own
// release gate and landing page accept.
import Ajv2020 from 'ajv/dist/2020'
import schema from '../../resources/ship-gate/schema.json'

/** sha256 of the vendored schema at ship-gate commit 6d443f5 (a test compares the file). */
export const SHIP_GATE_SCHEMA_SHA256 = '3c157dcef3e1d6133394d6fe2f3ef4a4085f9aaf1ada537e426eae8d6e2b23a8'

let compiled: ReturnType<Ajv2020['compile']> | null = null

/** Errors of `value` against ship-gate's schema, as `/path: message` lines; empty when it is valid. */
export function releaseSchemaErrors(value: unknown): string[] {
  compiled ??= new Ajv2020({ allErrors: true, strict: false }).compile(schema)
  if (compiled(value)) return []
  return (compiled.errors ?? []).map((e) => `${e.instancePath || '/'}: ${e.message ?? 'invalid'}`)
}
