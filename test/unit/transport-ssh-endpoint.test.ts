// src-main/transport/ssh/endpoint.ts: where a host really is, as ssh -G resolves it.

import { describe, expect, it } from 'vitest'
import { parseHop, resolveEndpoint } from '../../src-main/transport/ssh/endpoint'

describe('ssh config resolution', () => {
  const config = [
    'Host node-*',
    '  User root',
    '  IdentityFile ~/.ssh/campaign_%n',
    'Host node-a',
    '  HostName 10.1.0.11',
    '  Port 2222',
    '  ProxyJump ops@bastion:2200',
    'Host bastion',
    '  HostName 10.1.0.1',
    '  IdentityFile ~/.ssh/bastion',
  ].join('\n')

  it('applies HostName, User, Port, IdentityFile and ProxyJump, first match wins', () => {
    const e = resolveEndpoint({ address: 'node-a' }, { sshConfig: config, home: '/home/eng' })
    expect(e).toMatchObject({ host: '10.1.0.11', port: 2222, user: 'root', identityFiles: ['/home/eng/.ssh/campaign_node-a'], explicitIdentity: true })
    expect(e.jump).toMatchObject({ host: '10.1.0.1', port: 2200, user: 'ops', identityFiles: ['/home/eng/.ssh/bastion'] })
  })

  it('lets the campaign override the config and falls back to the default keys', () => {
    const e = resolveEndpoint({ address: '10.9.9.9', user: 'ubuntu', port: 22 }, { sshConfig: null, home: '/h' })
    expect(e.identityFiles).toEqual(['/h/.ssh/id_ed25519', '/h/.ssh/id_ecdsa', '/h/.ssh/id_rsa'])
    expect(e.explicitIdentity).toBe(false)
    expect(e.jump).toBeNull()
    expect(() => resolveEndpoint({ address: 'x;rm -rf' }, { sshConfig: null })).toThrow(/invalid host/)
  })

  it('parses ProxyJump hops', () => {
    expect(parseHop('ops@10.0.0.1:2200')).toEqual({ user: 'ops', host: '10.0.0.1', port: 2200 })
    expect(parseHop('[fe80::1]:22')).toEqual({ host: 'fe80::1', port: 22 })
    expect(parseHop('bastion')).toEqual({ host: 'bastion' })
  })
})
