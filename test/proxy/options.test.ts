import { FtpProxy, ProxyError, type ProxyOptions } from '@ftpwire/proxy';
import { describe, expect, it } from 'vitest';

const base: ProxyOptions = {
  listen: { host: '127.0.0.3', port: 0 },
  upstream: { host: '127.0.0.1', port: 2121 },
};

describe('ProxyOptions', () => {
  it('fills in documented defaults', () => {
    const { options } = new FtpProxy(base);
    expect(options).toMatchObject({
      publicHost: '127.0.0.3',
      passiveMode: 'relay',
      passivePorts: undefined,
      activeMode: 'relay',
      implicitTls: false,
      upstreamTls: { verify: true },
      connectTimeout: 10_000,
      idleTimeout: 300_000,
      loginTimeout: 60_000,
      lineTimeout: 30_000,
      dataTimeout: 60_000,
      maxLineLength: 8192,
      maxSessions: 256,
      maxPerIp: 8,
      maxPendingCommands: 1024,
      allowVerbs: [],
      bufferSize: 65_536,
    });
    expect(new FtpProxy({ ...base, allowVerbs: ['xyzzy', 'Site'] }).options.allowVerbs).toEqual([
      'XYZZY',
      'SITE',
    ]);
  });

  it('accepts the longest timeout Node can count, 2^31 - 1 ms', () => {
    const { options } = new FtpProxy({ ...base, idleTimeout: 2 ** 31 - 1 });
    expect(options.idleTimeout).toBe(2_147_483_647);
  });

  it.each([
    [{ listen: { host: 'localhost', port: 21 } }, 'listen host must be an IP address'],
    [{ listen: { host: '0.0.0.0', port: 21 } }, 'publicHost is needed'],
    [{ publicHost: '::1' }, 'publicHost must be an IPv4 address'],
    [{ upstream: { host: '127.0.0.1', port: 0 } }, 'upstream port must be an integer 1-65535'],
    [{ passivePorts: { min: 2, max: 1 } }, 'passivePorts min 2 is above max 1'],
    [
      { passiveMode: 'rewrite', passivePorts: { min: 1, max: 2 } },
      'passivePorts applies only to passiveMode relay',
    ],
    [{ implicitTls: true }, 'implicitTls needs tls'],
    [{ idleTimeout: 0 }, 'idleTimeout must be a positive integer'],
    // Node clamps a longer timer to 1 ms: every session would close at once (issue 12, defect 6).
    [{ idleTimeout: 2 ** 31 }, 'idleTimeout must be at most 2147483647 ms'],
    [{ loginTimeout: 2_200_000_000 }, 'loginTimeout must be at most'],
    [{ lineTimeout: 2 ** 31 }, 'lineTimeout must be at most'],
    [{ dataTimeout: 2 ** 31 }, 'dataTimeout must be at most'],
    [{ connectTimeout: 2 ** 31 }, 'connectTimeout must be at most'],
    [{ maxPerIp: 0 }, 'maxPerIp must be a positive integer'],
    [{ maxPendingCommands: -1 }, 'maxPendingCommands must be a positive integer'],
    [{ allowVerbs: ['PO RT'] }, 'allowVerbs entries must be 1-16 ASCII letters'],
    [{ allowVerbs: ['XSHA1'] }, 'allowVerbs entries must be 1-16 ASCII letters'],
    [{ publicHost: '255.255.255.255' }, 'publicHost must be a unicast address'],
    [{ publicHost: '224.0.0.1' }, 'publicHost must be a unicast address'],
    [{ publicHost: '0.0.0.0' }, 'publicHost must be a unicast address'],
    [{ upstreamTls: { ca: 'not a certificate' } }, 'the upstream CA holds no PEM certificate'],
    [{ maxLineLength: 1.5 }, 'maxLineLength must be a positive integer'],
    [{ upstreamTls: { mode: 'always' } }, 'upstreamTls.mode must be match-client, on or off'],
    [{ upstreamData: 'active' }, 'upstreamData must be client, passive or epsv'],
    [
      { tls: { cert: 'not a certificate', key: 'nor a key' } },
      'the TLS certificate or key does not load',
    ],
  ] as const)('refuses %j', (change, message) => {
    expect(() => new FtpProxy({ ...base, ...change } as ProxyOptions)).toThrow(
      expect.objectContaining({
        name: 'ProxyError',
        code: 'ERR_INVALID_OPTION',
        message: expect.stringContaining(message),
      }),
    );
    expect(() => new FtpProxy({ ...base, ...change } as ProxyOptions)).toThrow(ProxyError);
  });
});
