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
      maxLineLength: 8192,
      maxSessions: 256,
      bufferSize: 65_536,
    });
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
    [{ maxLineLength: 1.5 }, 'maxLineLength must be a positive integer'],
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
