// Phase 1: functional checks on each node, the three in parallel (ship-gate phase1_functional.sh):
// store, recall, stats, backup with one snapshot and one manifest, curator dry-run, MCP handshake.
import { NODE_ROLES } from '@shared/domain'
import { errorMessage } from '../../lib/errors'
import { q } from '../../transport/quote'
import { ownVerdict } from '../../verdict/evaluate'
import type { HostHandle, PhaseContext } from '../context'
import { CancelledError } from '../context'
import { jsonLines, lastJsonObject } from '../../evidence/json-text'
import { gateInput } from '@shared/campaign'

const MCP_INIT = '{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"clientInfo":{"name":"ship-gate-phase1"}}}'
const MCP_LIST = '{"jsonrpc":"2.0","id":2,"method":"tools/list","params":{}}'
const CURATOR_FALLBACK = { operations_attempted: 0, errors: ['curator absent or errored'] }

export async function runPhase1(ctx: PhaseContext): Promise<void> {
  await Promise.all(NODE_ROLES.map((role) => runNode(ctx, ctx.hosts[role])))
}

async function runNode(ctx: PhaseContext, node: HostHandle): Promise<void> {
  const file = `phase1-${node.role}.json`
  const started = Date.now()
  const timeoutMs = ctx.campaign.parameters.phase1.step_timeout_s * 1000
  const dir = `${node.workdir}/phase1`
  const evidence: Record<string, unknown> = { phase: 1, host: node.name }
  const steps: { step: string; exit_code: number | null; timed_out: boolean; ms: number }[] = []
  const step = async (name: string, command: string, stdin?: string) => {
    const r = await ctx.step(name, node, () => ctx.run(node, command, { timeoutMs, ...(stdin !== undefined ? { stdin } : {}) }))
    steps.push({ step: name, exit_code: r.exitCode, timed_out: r.timedOut, ms: Math.round(r.durationMs) })
    return r
  }
  try {
    await step('prepare', `rm -rf ${q(dir)} && mkdir -p ${q(dir)}`)
    const host = node.config.name ?? ((await ctx.run(node, 'hostname', { timeoutMs })).stdout.trim() || node.role)
    evidence.host = host
    const version = await step('version', ctx.aim(node, ['--version']))
    evidence.version = version.stdout.trim().split('\n')[0] || null
    await step('store', ctx.aim(node, ['store', '--title', `phase1-${host}`, '--content', `phase 1 functional check on ${host} ${Math.floor(Date.now() / 1000)}`, '--tier', 'mid', '--namespace', 'ship-gate-phase1'], { cwd: dir }))
    const recall = await step('recall', ctx.aim(node, ['recall', `functional check on ${host}`, '--limit', 5, '--json'], { cwd: dir }))
    const memories = lastJsonObject(recall.stdout)?.memories
    evidence.recall_count = Array.isArray(memories) ? memories.length : 0
    const stats = await step('stats', ctx.aim(node, ['stats', '--json'], { cwd: dir }))
    evidence.stats = lastJsonObject(stats.stdout) ?? { total: null, raw: stats.stdout.slice(-2000) }
    await step('backup', ctx.aim(node, ['backup', '--to', `${dir}/backup`, '--keep', 1], { cwd: dir }))
    // One character per file (`-printf x`), so no file name, however strange, counts twice.
    const counts = await step(
      'count backup files',
      `find ${q(`${dir}/backup`)} -maxdepth 1 -type f -name 'ai-memory-*.db' -printf x | wc -c; find ${q(`${dir}/backup`)} -maxdepth 1 -type f -name 'ai-memory-*.manifest.json' -printf x | wc -c`,
    )
    const [snapshots, manifests] = counts.stdout.trim().split('\n').map((n) => Number(n.trim()))
    evidence.snapshot_count = Number.isInteger(snapshots) ? snapshots : 0
    evidence.manifest_count = Number.isInteger(manifests) ? manifests : 0
    const curator = await step('curator', ctx.aim(node, ['curator', '--once', '--dry-run', '--max-ops', 10, '--json'], { cwd: dir }))
    evidence.curator = lastJsonObject(curator.stdout) ?? CURATOR_FALLBACK
    // `mcp` takes its tier from its own flag (default semantic), never from the config (src/main.rs ~103, ~821).
    const mcp = await step('mcp', ctx.aim(node, ['mcp', '--tier', ctx.campaign.ai_memory.tier], { cwd: dir, wrapper: ['timeout', String(ctx.campaign.ai_memory.mcp_timeout_s)] }), `${MCP_INIT}\n${MCP_LIST}\n`)
    const listed = jsonLines(mcp.stdout).find((m) => (m as { id?: unknown }).id === 2) as { result?: { tools?: unknown } } | undefined
    evidence.mcp_tool_count = Array.isArray(listed?.result?.tools) ? listed.result.tools.length : 0
  } catch (err) {
    if (err instanceof CancelledError) throw err
    evidence.error = errorMessage(err)
  } finally {
    evidence.duration_ms = Date.now() - started
    evidence.steps = steps
    const own = ownVerdict(1, evidence, gateInput(ctx.campaign))
    ctx.artifact(file, { ...evidence, pass: own.pass, reasons: own.reasons })
  }
}
