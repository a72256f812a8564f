// src-main/provision/terraform.ts: Terraform outputs read by path, strings only.

import { describe, expect, it } from 'vitest'
import { outputAt } from '../../src-main/provision/terraform'

describe('terraform: reads Terraform outp', () => {
  it('reads Terraform outputs by path, and nothing but strings', () => {
    const out = { peer_nodes: { value: { 'node-a': { public: '203.0.113.1', private: '10.250.0.2' } } }, chaos_client: { value: '203.0.113.4' }, n: { value: 5 } }
    expect(outputAt(out, 'peer_nodes.node-a.public')).toBe('203.0.113.1')
    expect(outputAt(out, 'chaos_client')).toBe('203.0.113.4')
    expect(outputAt(out, 'peer_nodes.node-z.public')).toBeNull()
    expect(outputAt(out, 'n')).toBeNull()
    expect(outputAt(out, 'missing.x')).toBeNull()
  })
})
