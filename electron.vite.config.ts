import { resolve } from 'node:path'
import { defineConfig } from 'electron-vite'
import react from '@vitejs/plugin-react'

const shared = { '@shared': resolve(__dirname, 'src-shared') }

export default defineConfig({
  main: {
    resolve: { alias: shared },
    build: {
      rollupOptions: {
        input: {
          // The Electron main process (the only code that imports `electron`).
          index: resolve(__dirname, 'src-main/index.ts'),
          // The `shipgate` command line, run by plain Node.
          cli: resolve(__dirname, 'src-main/cli/index.ts'),
          // The simulated ai-memory of the demo lab (resources/bin/ai-memory), run by plain Node.
          sim: resolve(__dirname, 'src-main/sim/entry.ts'),
          // shipgate-pglite (resources/bin): PostgreSQL with pgvector for the demo lab's phase 3.
          'pg-server': resolve(__dirname, 'src-main/sim/pg-server-entry.ts'),
        },
      },
    },
  },
  preload: {
    resolve: { alias: shared },
    build: { rollupOptions: { input: { index: resolve(__dirname, 'src-preload/index.ts') } } },
  },
  renderer: {
    root: resolve(__dirname, 'src-renderer'),
    resolve: { alias: { ...shared, '@renderer': resolve(__dirname, 'src-renderer/src') } },
    // echarts (~610 kB) is a chunk of its own, loaded the first time a chart is drawn; the initial
    // bundle stays ~260 kB. The limit is set above echarts' chunk so the warning means something new.
    build: { minify: true, chunkSizeWarningLimit: 650, rollupOptions: { input: { index: resolve(__dirname, 'src-renderer/index.html') } } },
    plugins: [react()],
  },
})
