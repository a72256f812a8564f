// Entry of the `shipgate` command (built to out/main/cli.js, started by bin/shipgate.js).
export { main } from './main'
