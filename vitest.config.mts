import { resolve } from 'node:path'
import { defineConfig } from 'vitest/config'

// Three projects, each runnable alone (`npx vitest --project unit`):
// - unit: pure code, SQLite, local shells; no SSH lab, fast.
// - integration: real sshd in network namespaces (the lab), real processes, PostgreSQL, Terraform.
// - e2e: the built renderer in headless Chromium over the real services (and a lab of its own).
export default defineConfig({
  resolve: {
    alias: {
      '@shared': resolve(import.meta.dirname, 'src-shared'),
      '@renderer': resolve(import.meta.dirname, 'src-renderer/src'),
    },
  },
  test: {
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    reporters: ['default'],
    projects: [
      // Unit files share their workers (isolate: false): a fork per file cost more than the tests
      // themselves. So no unit file may leave state behind for the next one (checked by running the
      // project with --sequence.shuffle); a file that mocks a module resets the registry first.
      { extends: true, test: { name: 'unit', include: ['test/unit/**/*.test.ts', 'test/unit/**/*.test.tsx'], isolate: false } },
      { extends: true, test: { name: 'integration', include: ['test/integration/**/*.test.ts'], globalSetup: ['test/lab/global-setup.ts'] } },
      { extends: true, test: { name: 'e2e', include: ['test/e2e/**/*.test.ts'], globalSetup: ['test/lab/global-setup.ts'] } },
    ],
  },
})
