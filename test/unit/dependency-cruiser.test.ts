// The layer rule of src-main (.dependency-cruiser.cjs) is enforced: shown here firing on wrong
// imports in a small tree of its own, and passing on right ones.
import { spawnSync } from 'node:child_process'
import { mkdirSync, writeFileSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import { useTmp } from '../helpers/tmp'

const ROOT = resolve(__dirname, '..', '..')
const tmp = useTmp()

function tree(files: Record<string, string>): string {
  const dir = tmp()
  writeFileSync(join(dir, 'tsconfig.node.json'), JSON.stringify({ compilerOptions: { module: 'esnext', moduleResolution: 'bundler', baseUrl: '.', paths: { '@shared/*': ['src-shared/*'] } } }))
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true })
    writeFileSync(join(dir, path), text)
  }
  return dir
}

function cruise(dir: string): { code: number; out: string } {
  const r = spawnSync(process.execPath, [join(ROOT, 'node_modules', 'dependency-cruiser', 'bin', 'dependency-cruise.mjs'), 'src-main', '--config', join(ROOT, '.dependency-cruiser.cjs')], {
    cwd: dir,
    encoding: 'utf8',
    timeout: 60_000,
    // A CI runner may set FORCE_COLOR; the rule names must match as plain text.
    env: { ...process.env, FORCE_COLOR: '0', NO_COLOR: '1' },
  })
  // eslint-disable-next-line no-control-regex
  return { code: r.status ?? -1, out: `${r.stdout}${r.stderr}`.replace(/\x1b\[[0-9;]*m/g, '') }
}

describe('the layers of src-main', { timeout: 60_000 }, () => {
  it('fire on an import upwards, sideways and in a circle, and let each tier import the tiers below it', () => {
    const dir = tree({
      // Wrong: upwards, sideways, in a circle.
      'src-main/store/run-repo.ts': "import { history } from '../services/history'\nexport const repo = history\n",
      'src-main/services/history.ts': 'export const history = 1\n',
      'src-main/engine/runner.ts': "import { report } from '../report/html'\nimport { st } from '../store/store'\nexport const runner = report + st\n",
      'src-main/report/html.ts': 'export const report = 2\n',
      'src-main/cli/a.ts': "import { b } from './b'\nexport const a = b\n",
      'src-main/cli/b.ts': "import { a } from './a'\nexport const b = () => a\n",
      // Right: each tier below the one before.
      'src-main/ipc/handlers.ts': "import { s } from '../services/container'\nexport const h = s\n",
      'src-main/services/container.ts': "import { j } from '../judge/judge'\nexport const s = j\n",
      'src-main/judge/judge.ts': "import { v } from '../verdict/evaluate'\nexport const j = v\n",
      'src-main/verdict/evaluate.ts': "import { p } from '../evidence/phases'\nexport const v = p\n",
      'src-main/evidence/phases.ts': "import { l } from '../lib/errors'\nexport const p = l\n",
      'src-main/store/store.ts': "import { l } from '../lib/errors'\nexport const st = l\n",
      'src-main/lib/errors.ts': 'export const l = 1\n',
    })
    const r = cruise(dir)
    expect(r.code).not.toBe(0)
    expect(r.out).toMatch(/layer-store: src-main\/store\/run-repo\.ts → src-main\/services\/history\.ts/)
    expect(r.out).toMatch(/layer-engine: src-main\/engine\/runner\.ts → src-main\/report\/html\.ts/)
    expect(r.out).toMatch(/no-circular: src-main\/cli\/a\.ts/)
    expect(r.out).toMatch(/x 3 dependency violations/)
    for (const allowed of ['ipc/handlers.ts', 'services/container.ts', 'judge/judge.ts', 'verdict/evaluate.ts', 'evidence/phases.ts', 'store/store.ts', 'engine/runner.ts → src-main/store']) expect(r.out).not.toContain(allowed)
  })
})
