// `npm start`: builds the app, prepares better-sqlite3 for Electron's ABI in .electron-native/ (the
// Node build in node_modules stays for the CLI and the tests), and starts Electron. Needs network
// access the first time (Electron's binary and headers or a prebuilt better-sqlite3 for Electron).
import { execFileSync, spawn } from 'node:child_process'
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const require = createRequire(import.meta.url)
const electronVersion = JSON.parse(readFileSync(join(root, 'node_modules', 'electron', 'package.json'), 'utf8')).version
const sqliteVersion = JSON.parse(readFileSync(join(root, 'node_modules', 'better-sqlite3', 'package.json'), 'utf8')).version
const nativeDir = join(root, '.electron-native')
const binding = join(nativeDir, 'better_sqlite3.node')
const stamp = join(nativeDir, 'stamp.json')
const want = JSON.stringify({ electronVersion, sqliteVersion, arch: process.arch, platform: process.platform })

function run(cmd, args, cwd) {
  execFileSync(cmd, args, { cwd, stdio: 'inherit', shell: process.platform === 'win32' })
}

if (!existsSync(binding) || !existsSync(stamp) || readFileSync(stamp, 'utf8') !== want) {
  console.log(`start: building better-sqlite3 ${sqliteVersion} for Electron ${electronVersion} (${process.platform}-${process.arch})`)
  const work = join(nativeDir, 'better-sqlite3')
  rmSync(nativeDir, { recursive: true, force: true })
  mkdirSync(nativeDir, { recursive: true })
  cpSync(join(root, 'node_modules', 'better-sqlite3'), work, { recursive: true, filter: (src) => !src.includes(`${join('better-sqlite3', 'build')}`) })
  try {
    // A prebuilt binary for Electron's ABI when the project publishes one…
    run(process.execPath, [require.resolve('prebuild-install/bin.js'), '--runtime', 'electron', '--target', electronVersion, '--arch', process.arch], work)
  } catch {
    // …else compile against Electron's headers.
    run('npx', ['--yes', 'node-gyp', 'rebuild', '--release', `--target=${electronVersion}`, '--runtime=electron', `--arch=${process.arch}`, '--dist-url=https://electronjs.org/headers'], work)
  }
  cpSync(join(work, 'build', 'Release', 'better_sqlite3.node'), binding)
  writeFileSync(stamp, want)
}

// Electron ≥ 42 downloads its binary on the first require of the `electron` package.
const electronBinary = require('electron')
const child = spawn(electronBinary, [root], { stdio: 'inherit', env: { ...process.env, SHIPGATE_SQLITE_BINDING: binding } })
child.on('exit', (code) => process.exit(code ?? 0))
