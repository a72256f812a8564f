// One figure the benchmark prints and writes to bench-results.json.
export interface Figure {
  name: string
  value: number
  unit: string
  target?: string
  note?: string
}
