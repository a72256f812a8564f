// Lint, including the process boundaries: the renderer never imports main or Node, nothing but
// src-main/app (and the preload) imports electron, and src-shared stays platform-free.
import js from '@eslint/js'
import tseslint from 'typescript-eslint'
import reactHooks from 'eslint-plugin-react-hooks'
import { builtinModules } from 'node:module'

const nodeBuiltins = [...builtinModules, ...builtinModules.map((m) => `node:${m}`)]

export default tseslint.config(
  { ignores: ['out/**', 'node_modules/**', 'test/fixtures/**', 'test-results/**', 'dist/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'error',
    },
  },
  {
    files: ['bin/**/*.js', 'scripts/**/*.{js,mjs,cjs}', 'resources/**/*.{js,cjs,mjs}', '*.cjs'],
    languageOptions: { globals: { require: 'readonly', module: 'writable', process: 'readonly', __dirname: 'readonly', console: 'readonly', Buffer: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly', URL: 'readonly' } },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    files: ['src-main/**/*.ts', 'src-shared/**/*.ts', 'test/**/*.ts', 'scripts/**/*'],
    ignores: ['src-main/app/**'],
    rules: {
      'no-restricted-imports': ['error', { paths: [{ name: 'electron', message: 'Only src-main/app imports electron: everything else runs under plain Node.' }] }],
    },
  },
  {
    files: ['src-shared/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'electron', message: 'src-shared is platform-free.' }, ...nodeBuiltins.map((name) => ({ name, message: 'src-shared is platform-free.' }))],
          patterns: [{ group: ['**/src-main/**', '**/src-renderer/**', '**/src-preload/**'], message: 'src-shared imports nothing from the processes.' }],
        },
      ],
    },
  },
  {
    files: ['src-renderer/**/*.{ts,tsx}'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'electron', message: 'The renderer talks to main only through window.api.' }, ...nodeBuiltins.map((name) => ({ name, message: 'The renderer has no Node.' }))],
          patterns: [{ group: ['**/src-main/**', '**/src-preload/**'], message: 'The renderer talks to main only through window.api.' }],
        },
      ],
    },
  },
  {
    files: ['src-preload/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        { patterns: [{ regex: '^(?!electron$|@shared/ipc/(channels|bridge)$)', allowTypeImports: true, message: 'The sandboxed preload imports only electron and the contract\'s channel list at runtime; everything else type-only.' }] },
      ],
    },
  },
  {
    files: ['src-renderer/**/*.{ts,tsx}'],
    ...reactHooks.configs.flat.recommended,
  },
  {
    // window.api lives in lib/api.ts; views and components reach main only through the store's slices.
    files: ['src-renderer/src/**/*.{ts,tsx}'],
    ignores: ['src-renderer/src/lib/api.ts'],
    rules: {
      'no-restricted-syntax': ['error', { selector: "MemberExpression[object.name='window'][property.name='api']", message: 'Only lib/api.ts touches window.api.' }],
    },
  },
  {
    files: ['src-renderer/src/views/**/*.{ts,tsx}', 'src-renderer/src/components/**/*.{ts,tsx}', 'src-renderer/src/App.tsx'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'electron', message: 'The renderer talks to main only through window.api.' }, ...nodeBuiltins.map((name) => ({ name, message: 'The renderer has no Node.' }))],
          patterns: [
            { group: ['**/src-main/**', '**/src-preload/**'], message: 'The renderer talks to main only through window.api.' },
            { group: ['**/lib/api'], message: 'Views call main through the store slices (store/*.ts), never api() directly.' },
          ],
        },
      ],
    },
  },
)
