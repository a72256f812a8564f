// Process entry of shipgate-pglite (built to out/main/pg-server.js; started by resources/bin/shipgate-pglite).
import { pgServerMain } from './pg-server'

void pgServerMain(process.argv.slice(2))
