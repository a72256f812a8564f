// The campaign file: hosts by role, the ai-memory binary, phases, parameters and threshold overrides.
// One schema for the CLI, the desktop form and the runner; YAML or JSON on disk, versioned in git.
import { z } from 'zod'
import { FAULT_CLASSES } from './domain'
import { THRESHOLDS } from './catalog'

const hostName = z
  .string()
  .min(1)
  .max(253)
  .regex(/^[A-Za-z0-9.:_[\]-]+$/, 'must be a host name or an IP address')
const userName = z.string().regex(/^[A-Za-z_][A-Za-z0-9_.-]{0,31}$/, 'must be a plain user name')
const absPath = z.string().min(1).regex(/^[^\0]+$/, 'must not contain NUL')
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
  z.object({ managed: z.literal(true), port: port.optional() }).strict(),
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
      })
      .strict()
      .default({ binary: '/usr/local/bin/ai-memory', env: {} }),
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
            postgres: postgresSchema.default({ managed: true }),
          })
          .strict()
          .prefault({}),
        phase4: z
          .object({
            topology: z.enum(CHAOS_TOPOLOGIES).default('harness'),
            cycles: z.number().int().min(1).max(10000).default(50),
            writes_per_cycle: z.number().int().min(1).max(100000).default(100),
            faults: z.array(z.enum(FAULT_CLASSES)).min(1).default(['kill_primary_mid_write']),
            /** The fault is injected after this many writes of the cycle (the harness: after the third). */
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

export function effectiveThresholds(c: Campaign): typeof THRESHOLDS {
  return { ...THRESHOLDS, ...Object.fromEntries(Object.entries(c.thresholds).filter(([, v]) => v !== undefined)) }
}
