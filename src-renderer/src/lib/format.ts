// The renderer's formatting is the shared one (src-shared/format), so every view reads alike.
export { fmtBytes, fmtDuration, fmtNumber, fmtTime } from '@shared/format'

export function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err)
}
