import { choosePassiveHost, type PassiveHostPolicy, parsePasvReply } from '@ftpwire/address';
import { describe, expect, it } from 'vitest';
import { expectAddressError } from './helpers.js';

const natted = { host: '10.0.1.121', port: 3846 };
const publicPeer = '193.21.1.121';

describe('choosePassiveHost', () => {
  it('CVE-2020-8284: PASV address is not trusted by default', () => {
    // curl 7.74 and CPython ftplib (CVE-2021-4189) dial the control peer unless told otherwise.
    const hostile = parsePasvReply('227 Entering Passive Mode (192,168,0,1,0,22)');
    expect(choosePassiveHost({ reply: hostile, controlPeer: publicPeer })).toEqual({
      host: publicPeer,
      port: 22,
      source: 'control-peer',
    });
  });

  it('CVE-2021-4189: a public third-party host in the reply is ignored by default', () => {
    const bounce = { host: '198.51.100.25', port: 25 };
    expect(choosePassiveHost({ reply: bounce, controlPeer: publicPeer }).host).toBe(publicPeer);
  });

  it('trust dials the reply host', () => {
    expect(choosePassiveHost({ reply: natted, controlPeer: publicPeer, policy: 'trust' })).toEqual({
      host: '10.0.1.121',
      port: 3846,
      source: 'reply',
    });
  });

  it.each<[string, string, 'reply' | 'control-peer']>([
    // reply private, peer public: NAT repair (FileZilla, basic-ftp)
    ['10.0.1.121', '193.21.1.121', 'control-peer'],
    ['100.64.1.1', '193.21.1.121', 'control-peer'],
    ['127.0.0.1', '193.21.1.121', 'control-peer'],
    ['0.0.0.0', '193.21.1.121', 'control-peer'],
    ['10.0.1.121', '::ffff:193.21.1.121', 'control-peer'],
    // both private: a LAN server, trust it
    ['10.0.1.121', '10.0.1.1', 'reply'],
    ['127.0.0.2', '127.0.0.1', 'reply'],
    ['192.168.1.5', '::ffff:10.0.0.1', 'reply'],
    // reply public: followed, whatever the peer
    ['198.51.100.9', '193.21.1.121', 'reply'],
    ['198.51.100.9', '10.0.0.1', 'reply'],
  ])('private-fallback: reply %s, peer %s -> %s', (host, controlPeer, source) => {
    const choice = choosePassiveHost({
      reply: { host, port: 4000 },
      controlPeer,
      policy: 'private-fallback',
    });
    expect(choice.source).toBe(source);
    expect(choice.port).toBe(4000);
    expect(choice.host).toBe(source === 'reply' ? host : controlPeer.replace('::ffff:', ''));
  });

  it('strict accepts the same address in any notation', () => {
    expect(
      choosePassiveHost({
        reply: { host: '193.21.1.121', port: 1 },
        controlPeer: '::ffff:193.21.1.121',
        policy: 'strict',
      }),
    ).toEqual({ host: '193.21.1.121', port: 1, source: 'reply' });
  });

  it('strict stops FTP bounce: another host is an error', () => {
    const error = expectAddressError(
      () => choosePassiveHost({ reply: natted, controlPeer: publicPeer, policy: 'strict' }),
      'ERR_PASSIVE_HOST_MISMATCH',
    );
    expect(error.message).toContain('10.0.1.121');
    expect(error.message).toContain(publicPeer);
  });

  it('ignore keeps a zone id and unmaps an IPv4-mapped peer', () => {
    expect(
      choosePassiveHost({ reply: natted, controlPeer: 'FE80::1%eth0', policy: 'ignore' }).host,
    ).toBe('fe80::1%eth0');
    expect(choosePassiveHost({ reply: natted, controlPeer: '::ffff:10.9.8.7' }).host).toBe(
      '10.9.8.7',
    );
  });

  it('refuses an unknown policy, a bad port and hosts that are not addresses', () => {
    expectAddressError(
      () =>
        choosePassiveHost({
          reply: natted,
          controlPeer: publicPeer,
          policy: 'always' as PassiveHostPolicy,
        }),
      'ERR_INVALID_POLICY',
    );
    expectAddressError(
      () =>
        choosePassiveHost({ reply: { host: '10.0.0.1', port: 65536 }, controlPeer: publicPeer }),
      'ERR_INVALID_PORT',
    );
    expectAddressError(
      () => choosePassiveHost({ reply: natted, controlPeer: 'ftp.example.com' }),
      'ERR_INVALID_HOST',
    );
  });
});
