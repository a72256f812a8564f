#!/usr/bin/env node
'use strict'
// Starts the built CLI. `npm install` builds it (the `prepare` script); `npm run build` rebuilds it.
const { existsSync } = require('node:fs')
const { join } = require('node:path')

const entry = join(__dirname, '..', 'out', 'main', 'cli.js')
if (!existsSync(entry)) {
  process.stderr.write('shipgate: the command line is not built yet; run `npm run build` in ' + join(__dirname, '..') + '\n')
  process.exit(2)
}
require(entry)
  .main(process.argv)
  .then((code) => {
    process.exitCode = code
  })
  .catch((err) => {
    process.stderr.write('shipgate: internal error: ' + (err && err.stack ? err.stack : String(err)) + '\n')
    process.exitCode = 1
  })
