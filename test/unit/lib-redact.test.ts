// src-main/lib/redact.ts: secrets masked wherever text is kept (logs, journals, exports).
import { describe, expect, it } from 'vitest'
import { redact, redactDeep, registerSecret } from '../../src-main/lib/redact'

describe('redact: passwords in URLs', () => {
  it.each([
    ['plain', 'postgres://user:s3cret@host/db', 'postgres://user:***@host/db'],
    ['with a slash', 'postgres://user:pa/ss@host/db', 'postgres://user:***@host/db'],
    ['with slashes, a port and a query', 'migrate --to postgresql://ai:a/b/c@10.0.0.1:5432/db?sslmode=require --batch 5', 'migrate --to postgresql://ai:***@10.0.0.1:5432/db?sslmode=require --batch 5'],
    ['with an @', 'postgres://user:pa@ss@host/db', 'postgres://user:***@host/db'],
    ['with a colon', 'postgres://user:pa:ss@host:5432/db', 'postgres://user:***@host:5432/db'],
    ['percent-encoded', 'postgres://user:p%40ss%2Fw%3Ard@host/db', 'postgres://user:***@host/db'],
    ['base64-like', 'redis://default:Zm9v+YmFy/YmF6==@cache:6379/0', 'redis://default:***@cache:6379/0'],
    ['no user name', 'redis://:s3cret/pw@cache:6379', 'redis://:***@cache:6379'],
    ['a user name with @ (Azure)', 'postgres://admin@srv:pa/ss@srv.postgres.example.com:5432/db', 'postgres://admin@srv:***@srv.postgres.example.com:5432/db'],
    ['no path', 'https://bot:ghp_abc123@github.com', 'https://bot:***@github.com'],
    ['upper-case scheme', 'POSTGRES://U:Pa/Ss@H/D', 'POSTGRES://U:***@H/D'],
    ['inside JSON, next to an e-mail', '{"url":"postgres://u:pa/ss@h/db","mail":"a@b.example"}', '{"url":"postgres://u:***@h/db","mail":"a@b.example"}'],
    ['two on a line', 'from postgres://a:x/1@h1/d to postgres://b:y@2@h2/d', 'from postgres://a:***@h1/d to postgres://b:***@h2/d'],
    ['in single quotes (a logged shell command)', "psql 'postgres://u:pa/ss@h:5432/db' -c 'select 1'", "psql 'postgres://u:***@h:5432/db' -c 'select 1'"],
    // Ambiguous (a port and a path with @, or a password that starts like a port): credentials win.
    ['ambiguous port-then-@', 'https://host:8443/@alice', 'https://host:***@alice'],
  ])('masks a password %s', (_what, text, masked) => {
    expect(redact(text)).toBe(masked)
  })

  it.each([
    'http://host:9077/path',
    'http://10.0.0.1:9077/api/v1/memories?namespace=phase2',
    'http://host:9077/path?email=a@b.example',
    'http://host:9077/path#x@y',
    'http://[::1]:9077/health',
    'a@b',
    'mail alice@example.com about it',
    'mailto:alice@example.com',
    'ssh://root@10.0.0.1:22/srv',
    'scp root@10.0.0.1:/tmp/x .',
    'git@github.com:org/repo.git',
    'https://registry.npmjs.org/@types/node',
    'postgres://user@host/db',
    'time 12:30 at host@example',
  ])('leaves alone what is not a URL password: %s', (text) => {
    expect(redact(text)).toBe(text)
  })
})

describe('redact: secrets in environment assignments (logged command lines)', () => {
  it.each([
    ["export AI_MEMORY_API_KEY='sk-abc/def'; ai-memory serve", "export AI_MEMORY_API_KEY=***; ai-memory serve"],
    ["export PGPASSWORD='it'\\''s'; psql", 'export PGPASSWORD=***; psql'],
    ['DIGITALOCEAN_ACCESS_TOKEN=abc123 terraform apply', 'DIGITALOCEAN_ACCESS_TOKEN=*** terraform apply'],
    ['SHIPGATE_SSH_PASSPHRASE="two words" shipgate run x', 'SHIPGATE_SSH_PASSPHRASE=*** shipgate run x'],
    ['export AWS_SECRET_ACCESS_KEY=wJalr/K7MDENG; true', 'export AWS_SECRET_ACCESS_KEY=***; true'],
  ])('masks %s', (text, masked) => {
    expect(redact(text)).toBe(masked)
  })

  it.each(["export AI_MEMORY_DB='/tmp/a b'; ai-memory stats", 'TF_VAR_campaign_id=r1 terraform plan', 'KEYS=3 TOKENS_PER_WRITE=12', 'the token was refused', 'PATH=/usr/bin:/bin'])('leaves alone %s', (text) => {
    expect(redact(text)).toBe(text)
  })
})

describe('redact: nested values', () => {
  it('masks URL passwords in text and in nested values', () => {
    expect(redact('migrate --to postgres://ai:s3cr3t@10.0.0.1:5432/db --batch 5')).toBe('migrate --to postgres://ai:***@10.0.0.1:5432/db --batch 5')
    expect(redactDeep({ a: ['postgres://u:p@h/d'], n: 1 })).toEqual({ a: ['postgres://u:***@h/d'], n: 1 })
  })
})

describe('redact: tokens and registered secrets', () => {
  it('masks DigitalOcean tokens and registered secrets wherever text is kept', () => {
    expect(redact(`curl -H "Authorization: Bearer dop_v1_${'ab'.repeat(32)}"`)).toBe('curl -H "Authorization: Bearer [token]"')
    registerSecret('s3cret-value-from-keychain')
    expect(redact('token is s3cret-value-from-keychain, twice: s3cret-value-from-keychain')).toBe('token is [secret], twice: [secret]')
    registerSecret('short')
    expect(redact('short')).toBe('short')
  })
})
