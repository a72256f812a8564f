// The layers of the main process, kept by a tool instead of by hope. Read top to bottom: a folder
// may import folders of the tiers below it, never a folder of its own tier or of a tier above.
// (src-shared is pure and importable from anywhere; ESLint keeps it, the renderer and the preload
// platform-free.) `npm run lint` runs this; docs/architecture.md draws it.
const TIERS = [
  ['app'], // the Electron shell
  ['ipc', 'cli'], // the two front ends: thin adapters
  ['services'], // the composition root and the services
  ['engine', 'report', 'import', 'demo', 'soak', 'release', 'publish'], // what the services orchestrate
  ['provision', 'judge', 'sim'], // hosts on demand; judging a stored run; the simulated ai-memory
  ['store', 'verdict', 'transport'], // SQLite; the verdict engine; SSH and local processes
  ['evidence'], // pure parsers of artifacts
  ['lib'], // errors, logging, paths, redaction
]

const tierOf = new Map(TIERS.flatMap((folders, tier) => folders.map((f) => [f, tier])))

/** One rule per folder: what it may not import. */
const layerRules = [...tierOf].map(([folder, tier]) => {
  const forbidden = [...tierOf].filter(([other, t]) => t < tier || (t === tier && other !== folder)).map(([other]) => other)
  return {
    name: `layer-${folder}`,
    severity: 'error',
    comment: `src-main/${folder} (tier ${tier + 1}) may import only lower tiers: see .dependency-cruiser.cjs`,
    from: { path: `^src-main/${folder}/` },
    to: { path: `^src-main/(${forbidden.join('|')})/` },
  }
})

module.exports = {
  forbidden: [
    ...layerRules,
    {
      name: 'entry-only-app',
      severity: 'error',
      comment: 'src-main/index.ts starts the Electron shell and nothing else',
      from: { path: '^src-main/index\\.ts$' },
      to: { path: '^src-main/', pathNot: '^src-main/app/' },
    },
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'modules that import each other cannot be understood (or tested) apart',
      from: { path: '^(src-main|src-shared|scripts)/' },
      to: { circular: true },
    },
    {
      name: 'shared-is-pure',
      severity: 'error',
      comment: 'src-shared imports nothing from the processes',
      from: { path: '^src-shared/' },
      to: { path: '^(src-main|src-renderer|src-preload)/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(node_modules|out)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.node.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default'], extensions: ['.ts', '.tsx', '.js', '.mjs', '.cjs', '.json'] },
  },
}
// For docs and tests (not a dependency-cruiser option).
Object.defineProperty(module.exports, 'TIERS', { value: TIERS, enumerable: false })
