// `ai-memory mcp`: newline-delimited JSON-RPC over stdio, answering initialize and tools/list with
// the 36 tools of ai-memory v0.6.0 (src/mcp.rs); initialize advertises tools and prompts (mcp.rs:2479).
import { createInterface } from 'node:readline'

export const MCP_TOOLS_V060 = [
  'memory_agent_list', 'memory_agent_register', 'memory_archive_list', 'memory_archive_purge', 'memory_archive_restore',
  'memory_archive_stats', 'memory_auto_tag', 'memory_capabilities', 'memory_consolidate', 'memory_delete',
  'memory_detect_contradiction', 'memory_expand_query', 'memory_forget', 'memory_gc', 'memory_get', 'memory_get_links',
  'memory_inbox', 'memory_link', 'memory_list', 'memory_list_subscriptions', 'memory_namespace_clear_standard',
  'memory_namespace_get_standard', 'memory_namespace_set_standard', 'memory_notify', 'memory_pending_approve',
  'memory_pending_list', 'memory_pending_reject', 'memory_promote', 'memory_recall', 'memory_search',
  'memory_session_start', 'memory_stats', 'memory_store', 'memory_subscribe', 'memory_unsubscribe', 'memory_update',
] as const

export async function runMcp(version: string, toolCount: number, input: NodeJS.ReadableStream, output: NodeJS.WritableStream): Promise<void> {
  const tools = MCP_TOOLS_V060.slice(0, toolCount).map((name) => ({
    name,
    description: name.replace(/^memory_/, '').replace(/_/g, ' '),
    inputSchema: { type: 'object', properties: {} },
  }))
  const reply = (msg: unknown) => output.write(`${JSON.stringify(msg)}\n`)
  const rl = createInterface({ input })
  for await (const line of rl) {
    if (!line.trim()) continue
    let req: { id?: unknown; method?: unknown }
    try {
      req = JSON.parse(line) as { id?: unknown; method?: unknown }
    } catch {
      reply({ jsonrpc: '2.0', id: null, error: { code: -32700, message: 'Parse error' } })
      continue
    }
    if (req.id === undefined) continue // a notification
    switch (req.method) {
      case 'initialize':
        reply({ jsonrpc: '2.0', id: req.id, result: { protocolVersion: '2024-11-05', capabilities: { tools: {}, prompts: {} }, serverInfo: { name: 'ai-memory', version } } })
        break
      case 'tools/list':
        reply({ jsonrpc: '2.0', id: req.id, result: { tools } })
        break
      default:
        reply({ jsonrpc: '2.0', id: req.id, error: { code: -32601, message: `Method not found: ${String(req.method)}` } })
    }
  }
}
