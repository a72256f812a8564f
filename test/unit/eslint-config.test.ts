// eslint.config.mjs: the import boundaries between the renderer, main, shared code and Electron are lint rules.

import { join } from 'node:path'
import { describe, expect, it } from 'vitest'

describe('the import boundaries', () => {
  it('are enforced by lint: the renderer cannot reach main or Node, only src-main/app imports electron', async () => {
    const { ESLint } = await import('eslint')
    const eslint = new ESLint({ cwd: join(__dirname, '..', '..') })
    const lint = async (code: string, filePath: string) => (await eslint.lintText(code, { filePath })).flatMap((r) => r.messages.map((m) => m.message))
    expect(await lint("import { readFileSync } from 'node:fs'\nexport const x = readFileSync\n", 'src-renderer/src/x.ts')).toEqual([expect.stringMatching(/The renderer has no Node/)])
    expect(await lint("import { Store } from '../../src-main/store/store'\nexport const x = Store\n", 'src-renderer/src/x.ts')).toEqual([expect.stringMatching(/only through window\.api/)])
    expect(await lint("import { app } from 'electron'\nexport const x = app\n", 'src-main/services/x.ts')).toEqual([expect.stringMatching(/Only src-main\/app imports electron/)])
    expect(await lint("import { app } from 'electron'\nexport const x = app\n", 'src-main/app/x.ts')).toEqual([])
    expect(await lint("import { join } from 'node:path'\nexport const x = join\n", 'src-shared/x.ts')).toEqual([expect.stringMatching(/platform-free/)])
  })
})
