// The campaign file: hosts by role, the ai-memory binary, phases, parameters and threshold overrides.
// One schema for the CLI, the desktop form and the runner; YAML or JSON on disk, versioned in git.
import { z } from 'zod'
import { FAULT_CLASSES } from './domain'
import { THRESHOLDS, type GateParams, type Thresholds } from './thresholds'
import { NODE_ROLES } from './domain'

const hostName = z
  .string()
  .min(1)
  .max(253)
  .regex(/^[A-Za-z0-9.:_[\]-]+$/, 'must be a host name or an IP address')
const userName = z.string().regex(/^[A-Za-z_][A-Za-z0-9_.-]{0,31}$/, 'must be a plain user name')
// An absolute path with no control characters: a newline in a path once split a `find | wc -l`
// count in two (a false FAIL), and a relative path means something else on every host.
// eslint-disable-next-line no-control-regex
const absPath = z.string().min(2).max(4096).regex(/^\//, 'must be an absolute path (start with /)').regex(/^[^\x00-\x1f\x7f]+$/, 'must not contain control characters (newline, tab, NUL …)')
const port = z.number().int().min(1).max(65535)

export const hostSchema = z
  .object({
    /** Address (or ~/.ssh/config alias) the app connects to; filled in by a provisioner when it creates the host. */
    address: z.union([hostName, z.literal('')]).default(''),
    /** Address the other nodes use (the VPC address on DigitalOcean); defaults to `address`. */
    private_address: hostName.optional(),
    name: z.string().min(1).max(128).optional(),
    user: userName.optional(),
    port: port.optional(),
    /** Private key file; an encrypted key asks for its passphrase. */
    key: absPath.optional(),
    agent: z.boolean().default(true),
    /** ProxyJump: `[user@]host[:port]`, comma-separated hops, or an alias. */
    jump: z.string().min(1).max(512).optional(),
    /** Port of `ai-memory serve` on this host. */
    api_port: port.default(9077),
    /** Where the run keeps its files on the host. */
    workdir: absPath.default('/tmp/shipgate'),
  })
  .strict()

export const CHAOS_TOPOLOGIES = ['harness', 'federation'] as const

const outputPath = z
  .object({
    address: z.string().min(1).max(300),
    private_address: z.string().min(1).max(300).optional(),
    /** An output holding the host's SSH public key (`ssh-ed25519 AAAA…`), pinned before the first connection. */
    host_key: z.string().min(1).max(300).optional(),
  })
  .strict()

const postgresSchema = z.union([
  z.object({ url: z.string().regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL') }).strict(),
  z
    .object({
      managed: z.literal(true),
      port: port.optional(),
      /** `system`: a cluster from the host's PostgreSQL binaries (needs pgvector); `pglite`: the bundled PGlite server. */
      server: z.enum(['system', 'pglite']).default('system'),
      /** The PGlite server's launcher on the host (the demo lab's resources/bin/shipgate-pglite). */
      pglite: absPath.optional(),
    })
    .strict()
    .refine((v) => v.server !== 'pglite' || v.pglite !== undefined, { message: 'server: pglite needs pglite: the path of its launcher', path: ['pglite'] }),
])

export const campaignSchema = z
  .object({
    name: z
      .string()
      .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,100}$/, 'letters, digits, dot, dash and underscore; runs are named <name>-r<N>'),
    description: z.string().max(2000).optional(),
    transport: z.enum(['ssh', 'local']).default('ssh'),
    ai_memory: z
      .object({
        binary: absPath.default('/usr/local/bin/ai-memory'),
        ref: z.string().max(200).optional(),
        commit: z.string().regex(/^[0-9a-f]{7,40}$/, 'a git commit hash').optional(),
        /** Extra environment for every ai-memory command (e.g. RUST_LOG, or the simulator's bug switches). */
        env: z.record(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/), z.string()).default({}),
        /** Bootstrap: a local binary to upload to `binary` on every host, or a URL the hosts download it from. */
        upload: absPath.optional(),
        url: z.string().regex(/^https:\/\//, 'an https:// URL').optional(),
        /** The version every node must report (`ai-memory --version` contains it), e.g. `0.6.0`. */
        version: z.string().min(1).max(100).regex(/^[0-9A-Za-z.+-]+$/, 'a version such as 0.6.0').optional(),
        /**
         * Which configuration ai-memory reads. `shipgate` (default): a config.toml written by the run
         * with the pinned tier (and api_key), nothing from the host; `none`: AI_MEMORY_NO_CONFIG=1;
         * `host`: the host's own ~/.config/ai-memory/config.toml.
         */
        config: z.enum(['shipgate', 'none', 'host']).default('shipgate'),
        /** Feature tier; `semantic` and above load an embedder (a download on first use). */
        tier: z.enum(['keyword', 'semantic', 'smart', 'autonomous']).default('keyword'),
        /** Sent as X-API-Key (and written to the run's config): a secret, masked wherever text is kept. */
        api_key: z.string().min(1).max(500).optional(),
        /** Deadline for a server to become healthy; the first start on a host gets the cold-start deadline. */
        start_deadline_s: z.number().positive().max(3600).default(30),
        cold_start_deadline_s: z.number().positive().max(7200).default(300),
        /** The MCP handshake's time limit (ship-gate's `timeout 10`). */
        mcp_timeout_s: z.number().positive().max(3600).default(30),
        /** During bootstrap, run ai-memory once so the tier's model is downloaded before any deadline. */
        prewarm: z.boolean().default(false),
      })
      .strict()
      .prefault({}),
    hosts: z
      .object({ 'node-a': hostSchema.prefault({}), 'node-b': hostSchema.prefault({}), 'node-c': hostSchema.prefault({}), chaos: hostSchema.prefault({}) })
      .strict()
      .prefault({}),
    phases: z.array(z.union([z.literal(1), z.literal(2), z.literal(3), z.literal(4)])).min(1).default([1, 2, 3, 4]),
    /** A failed phase does not skip later phases unless this is false. */
    continue_on_failure: z.boolean().default(true),
    parameters: z
      .object({
        phase1: z.object({ step_timeout_s: z.number().positive().max(3600).default(120) }).strict().default({ step_timeout_s: 120 }),
        phase2: z
          .object({
            agents: z.array(z.string().regex(/^[A-Za-z0-9_\-:@./]{1,128}$/, 'an agent id (alnum and _-:@./)')).min(1).max(64).default(['ai:agent-alice', 'ai:agent-bob', 'ai:agent-charlie', 'ai:agent-dana']),
            writes_per_agent: z.number().int().min(1).max(100000).default(50),
            quorum_writes: z.number().int().min(1).max(3).default(2),
            quorum_timeout_ms: z.number().int().min(100).max(600000).default(3000),
            settle_deadline_s: z.number().positive().max(3600).default(90),
            bind_address: hostName.default('0.0.0.0'),
          })
          .strict()
          .prefault({}),
        phase3: z
          .object({
            memories: z.number().int().min(1).max(1000000).default(1000),
            batch: z.number().int().min(1).max(10000).default(500),
            /** `cli`: one `ai-memory store` per memory, as ship-gate; `http`: POSTs to a temporary `serve`. */
            seed_via: z.enum(['cli', 'http']).default('cli'),
            postgres: postgresSchema.default({ managed: true, server: 'system' }),
          })
          .strict()
          .prefault({}),
        phase4: z
          .object({
            topology: z.enum(CHAOS_TOPOLOGIES).default('harness'),
            cycles: z.number().int().min(1).max(10000).default(50),
            writes_per_cycle: z.number().int().min(1).max(100000).default(100),
            faults: z.array(z.enum(FAULT_CLASSES)).min(1).default(['kill_primary_mid_write']),
            /** The fault is injected after this many writes of the cycle (the harness: after the third); below writes_per_cycle. */
            fault_at_write: z.number().int().min(0).default(3),
            /** How long partition, stop and skew last before they are healed. */
            fault_duration_ms: z.number().int().min(0).max(600000).default(500),
            /** Delay between the write and SIGKILL for kill_primary_mid_write (the harness sleeps 0.1 s). */
            kill_delay_ms: z.number().int().min(0).max(60000).default(100),
            clock_skew_s: z.number().int().min(1).max(86400).default(120),
            quorum_timeout_ms: z.number().int().min(100).max(600000).default(2000),
            settle_deadline_s: z.number().positive().max(3600).default(30),
            /** Deadline of one whole fault class: past it the class is an error, never a missing entry. */
            fault_class_deadline_s: z.number().positive().max(86400).default(900),
            harness_ports: z.tuple([port, port, port]).default([19077, 19078, 19079]),
          })
          .strict()
          .prefault({}),
      })
      .strict()
      .prefault({}),
    thresholds: z
      .object({
        p1StatsTotalMin: z.number().optional(),
        p1RecallMin: z.number().optional(),
        p1SnapshotCount: z.number().optional(),
        p1ManifestCount: z.number().optional(),
        p1McpToolsMin: z.number().optional(),
        p1CuratorAcceptedErrors: z.array(z.string()).optional(),
        p2ConvergencePercent: z.number().min(0).max(100).optional(),
        p2Probe1Code: z.number().int().optional(),
        p2Probe2Code: z.number().int().optional(),
        p4BoundMin: z.number().min(0).max(1).optional(),
      })
      .strict()
      .default({}),
    provisioner: z
      .discriminatedUnion('kind', [
        z.object({ kind: z.literal('static') }).strict(),
        z
          .object({
            kind: z.literal('terraform'),
            module: absPath,
            /** Terraform variables (any JSON value: maps and lists too), written to the kept shipgate.auto.tfvars.json. */
            variables: z.record(z.string().regex(/^[A-Za-z_][A-Za-z0-9_-]*$/, 'a Terraform variable name'), z.json()).default({}),
            /** Where each host's addresses are in `terraform output -json` (paths like `peer_nodes.node-a.public`); ship-gate's shape by default. */
            outputs: z
              .object({ 'node-a': outputPath, 'node-b': outputPath, 'node-c': outputPath, chaos: outputPath })
              .partial()
              .default({}),
            bootstrap: z.boolean().default(true),
            /** Past this, the campaign's resources are destroyed (never merely powered off). */
            dead_man_hours: z.number().positive().max(72).default(8),
            /** Hourly price of the module's resources, for the cost meter (Terraform does not say). */
            hourly_usd: z.number().min(0).default(0),
          })
          .strict(),
        z
          .object({
            kind: z.literal('digitalocean'),
            region: z.string().regex(/^[a-z0-9]+$/).default('nyc3'),
            peer_size: z.string().regex(/^[a-z0-9-]+$/).default('s-2vcpu-4gb'),
            chaos_size: z.string().regex(/^[a-z0-9-]+$/).default('s-1vcpu-2gb'),
            image: z.string().regex(/^[a-z0-9.-]+$/).default('ubuntu-24-04-x64'),
            ssh_key_fingerprint: z.string().min(1).max(200),
            /** The private key of that fingerprint; hosts default to it (user root). */
            ssh_private_key: absPath.optional(),
            /**
             * Where SSH may come from (your address); the ai-memory port is open only inside the VPC.
             * Required: an open-to-all default would be the insecure choice made silently.
             */
            ssh_from: z
              .array(z.string().regex(/^[0-9a-fA-F:.]+\/\d{1,3}$/, 'a CIDR such as 203.0.113.7/32'), {
                error: (i) => (i.input === undefined ? "required: the addresses SSH may come from, such as [203.0.113.7/32] (your own; ['0.0.0.0/0'] opens SSH to anyone)" : undefined),
              })
              .min(1),
            dead_man_hours: z.number().positive().max(72).default(8),
            api_url: z.string().regex(/^https?:\/\//).optional(),
            bootstrap: z.boolean().default(true),
          })
          .strict(),
      ])
      .default({ kind: 'static' }),
  })
  .strict()
  .superRefine((c, ctx) => {
    const p4 = c.parameters.phase4
    if (p4.fault_at_write >= p4.writes_per_cycle) {
      // Every write would land before the fault: the cycle would test nothing.
      ctx.addIssue({ code: 'custom', path: ['parameters', 'phase4', 'fault_at_write'], message: `must be below parameters.phase4.writes_per_cycle (${p4.writes_per_cycle}): with fault_at_write ${p4.fault_at_write} every write lands before the fault` })
    }
    if (c.provisioner.kind === 'terraform') {
      for (const key of Object.keys(c.provisioner.variables)) {
        // Campaign files live in git and in the history: secrets come from the keychain or the environment.
        if (/token|secret|password/i.test(key)) ctx.addIssue({ code: 'custom', path: ['provisioner', 'variables', key], message: 'looks like a secret: the app passes the API token as TF_VAR_do_token; never put secrets in a campaign file' })
      }
    }
  })
  // Runs even when other fields are wrong, so a missing host is reported with them, not after.
  .superRefine(
    (_campaign, ctx) => {
      const value = ctx.value as { provisioner?: { kind?: unknown }; hosts?: Record<string, { address?: unknown } | undefined> }
      if (value?.provisioner?.kind !== undefined && value.provisioner.kind !== 'static') return
      for (const role of ['node-a', 'node-b', 'node-c', 'chaos'] as const) {
        const h = value?.hosts?.[role]
        if (h && typeof h === 'object' && !h.address) ctx.addIssue({ code: 'custom', path: ['hosts', role, 'address'], message: 'required (or let a provisioner create the host)' })
      }
    },
    { when: () => true },
  )

export type CampaignInput = z.input<typeof campaignSchema>
export type Campaign = z.output<typeof campaignSchema>
export type CampaignHost = z.output<typeof hostSchema>

/** Validation issues as `path: message` lines a user can act on. */
export function describeIssues(error: z.ZodError): string[] {
  return error.issues.map((i) => `${i.path.length ? i.path.join('.') : '(file)'}: ${i.message}`)
}

export function effectiveThresholds(c: Campaign): Thresholds {
  return { ...THRESHOLDS, ...Object.fromEntries(Object.entries(c.thresholds).filter(([, v]) => v !== undefined)) }
}

/** The workload a campaign runs, as the verdict engine judges it. */
export function gateParams(c: Campaign): GateParams {
  const nodeHosts: GateParams['nodeHosts'] = {}
  for (const role of NODE_ROLES) {
    const name = c.hosts[role].name
    if (name) nodeHosts[role] = name
  }
  return {
    agents: c.parameters.phase2.agents.length,
    writesPerAgent: c.parameters.phase2.writes_per_agent,
    phase3Memories: c.parameters.phase3.memories,
    quorumWrites: c.parameters.phase2.quorum_writes,
    chaosCycles: c.parameters.phase4.cycles,
    chaosWritesPerCycle: c.parameters.phase4.writes_per_cycle,
    chaosFaults: c.phases.includes(4) ? [...c.parameters.phase4.faults] : null,
    nodeHosts,
  }
}

/** The one parser of a campaign kept with a run (`params.campaign`): null when there is none or it no longer validates. */
export function storedCampaign(params: Record<string, unknown> | undefined | null): Campaign | null {
  const parsed = campaignSchema.safeParse(params?.campaign)
  return parsed.success ? parsed.data : null
}

/** What the verdict engine needs from a campaign besides the artifacts. */
export function gateInput(c: Campaign): { params: GateParams; thresholds: Thresholds } {
  return { params: gateParams(c), thresholds: effectiveThresholds(c) }
}

/**
 * Things about a valid campaign the user should know before running it: never errors, but a
 * run that will fail for a known reason, or whose verdict will not be the gate's, says so up front.
 */
export function campaignWarnings(c: Campaign): string[] {
  const out: string[] = []
  if (c.phases.includes(3) && c.parameters.phase3.memories > 1000) {
    out.push(
      `parameters.phase3.memories is ${c.parameters.phase3.memories}: ai-memory v0.6.0 clamps a Postgres list to 1000 rows (src/store/postgres.rs), so the reverse migration returns 1000 and p3.dst_count will fail — that failure is real, not the gate's`,
    )
  }
  for (const [key, value] of Object.entries(c.thresholds)) {
    if (value !== undefined) out.push(`thresholds.${key} overrides the gate's default: the run is judged with a different threshold set, and every report says so`)
  }
  if (c.ai_memory.api_key && (c.phases.includes(2) || c.phases.includes(4))) {
    out.push(
      'ai_memory.api_key is set: ai-memory v0.6.0 sends no X-API-Key on its quorum fan-out to peers (src/federation.rs post_and_classify), so every keyed peer answers 401, no write reaches quorum, and phases 2 and 4 fail — that failure is real, not the gate\'s',
    )
  }
  if (c.ai_memory.config === 'host') out.push("ai_memory.config: host reads each host's own ~/.config/ai-memory/config.toml: an api_key there makes every write 401 unless ai_memory.api_key matches")
  return out
}
