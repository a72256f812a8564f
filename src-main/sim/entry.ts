// Process entry of the simulated ai-memory (built to out/main/sim.js).
import { simMain } from './index'

simMain(process.argv.slice(2))
