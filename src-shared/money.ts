/** Dollars as the cost meter shows them: cents once it is a dollar or more, else four decimals. */
export function fmtUsd(n: number): string {
  return `$${n.toFixed(Math.abs(n) < 1 ? 4 : 2)}`
}
