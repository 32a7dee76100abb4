import { ProxyError, parseProxyArguments } from '@ftpwire/proxy';
import { describe, expect, it } from 'vitest';

const base = ['--upstream', '127.0.0.1:2121'];

function failure(argv: string[]): ProxyError {
  try {
    parseProxyArguments(argv);
  } catch (error) {
    if (error instanceof ProxyError) return error;
    throw error;
  }
  throw new Error(`parsed: ${argv.join(' ')}`);
}

describe('parseProxyArguments', () => {
  it('reads the command line of the issue, every option exactly so named', () => {
    const parsed = parseProxyArguments([
      '--listen',
      '127.0.0.1:2100',
      '--upstream',
      '127.0.0.1:2121',
      '--public-host',
      '127.0.0.3',
      '--passive-ports',
      '40000-40099',
      '--tls-cert',
      'proxy.crt',
      '--tls-key',
      'proxy.key',
      '--insecure-upstream',
    ]);
    expect(parsed).toEqual({
      command: 'run',
      options: {
        listen: { host: '127.0.0.1', port: 2100 },
        upstream: { host: '127.0.0.1', port: 2121 },
        publicHost: '127.0.0.3',
        passiveMode: 'relay',
        passivePorts: { min: 40000, max: 40099 },
        activeMode: 'relay',
        implicitTls: false,
        upstreamTls: { verify: false },
      },
      tlsCertFile: 'proxy.crt',
      tlsKeyFile: 'proxy.key',
      upstreamCaFile: undefined,
      quiet: false,
    });
  });

  it('reads --upstream-tls and --upstream-data; each leaves the default unsaid when not given', () => {
    const parsed = parseProxyArguments([
      ...base,
      '--upstream-tls',
      'off',
      '--upstream-data=passive',
    ]);
    if (parsed.command !== 'run') throw new Error('expected options to run with');
    expect(parsed.options.upstreamTls).toEqual({ verify: true, mode: 'off' });
    expect(parsed.options.upstreamData).toBe('passive');
    const plain = parseProxyArguments(base);
    if (plain.command !== 'run') throw new Error('expected options to run with');
    expect(plain.options.upstreamTls).toEqual({ verify: true });
    expect(plain.options).not.toHaveProperty('upstreamData');
  });

  it.each([
    [['--upstream-tls', 'yes'], '--upstream-tls expects match-client or on or off, got "yes"', 3],
    [['--upstream-data', 'active'], '--upstream-data expects client or passive or epsv', 3],
    [['--upstream-tls', 'off', '--insecure-upstream'], '--insecure-upstream has no meaning', 3],
    [['--upstream-ca', 'ca.pem', '--upstream-tls', 'off'], '--upstream-ca has no meaning', 5],
  ])('refuses %j', (argv, message, offset) => {
    const error = failure([...base, ...argv]);
    expect(error.code).toBe('ERR_INVALID_OPTION');
    expect(error.message).toContain(message);
    expect(error.offset).toBe(offset);
  });

  it('takes --name=value as well as --name value, and IPv6 endpoints in brackets', () => {
    const parsed = parseProxyArguments([
      '--listen=[::1]:0',
      '--upstream=[::1]:21',
      '--public-host=127.0.0.3',
      '--passive-mode=rewrite',
      '--active-mode=refuse',
      '--connect-timeout=2.5',
      '--idle-timeout',
      '60',
      '--max-sessions',
      '10',
      '--quiet',
    ]);
    expect(parsed).toMatchObject({
      command: 'run',
      options: {
        listen: { host: '::1', port: 0 },
        upstream: { host: '::1', port: 21 },
        passiveMode: 'rewrite',
        activeMode: 'refuse',
        connectTimeout: 2500,
        idleTimeout: 60000,
        maxSessions: 10,
      },
      quiet: true,
    });
  });

  it('defaults the listen address to 127.0.0.1:2100 and the public host to it', () => {
    const parsed = parseProxyArguments(base);
    expect(parsed).toMatchObject({ options: { listen: { host: '127.0.0.1', port: 2100 } } });
    expect('publicHost' in (parsed as { options: object }).options).toBe(false);
  });

  it('answers --help and --version before checking anything else', () => {
    expect(parseProxyArguments(['--help'])).toEqual({ command: 'help' });
    expect(parseProxyArguments(['-h', '--bogus-but-later'].slice(0, 1))).toEqual({
      command: 'help',
    });
    expect(parseProxyArguments(['--version'])).toEqual({ command: 'version' });
  });

  it.each([
    [[], '--upstream HOST:PORT is required', -1],
    [[...base, '--bogus'], 'unknown option "--bogus"', 2],
    [[...base, 'stray'], 'unexpected argument "stray"', 2],
    [['--upstream'], '--upstream needs a value', 0],
    [[...base, '--upstream', '127.0.0.1:21'], '--upstream given twice', 2],
    [['--upstream', '127.0.0.1'], '--upstream expects HOST:PORT', 1],
    [['--upstream', '127.0.0.1:0'], '--upstream expects a port 1-65535, got "0"', 1],
    [['--upstream', '127.0.0.1:65536'], 'got "65536"', 1],
    [['--upstream', '127.0.0.1:2e3'], 'got "2e3"', 1],
    [['--upstream', '::1:21'], 'IPv6 host in brackets', 1],
    [[...base, '--listen', 'localhost:21'], '--listen expects an IP address', 3],
    [[...base, '--listen', '0.0.0.0:21'], '--public-host is needed when listening on 0.0.0.0', -1],
    [[...base, '--public-host', '::1'], '227 replies carry only IPv4', 3],
    [[...base, '--passive-ports', '5-3'], 'MIN <= MAX', 3],
    [[...base, '--passive-ports', '40000-'], '--passive-ports expects a port', 3],
    [[...base, '--passive-mode', 'both'], '--passive-mode expects relay or rewrite, got "both"', 3],
    [
      [...base, '--passive-mode', 'rewrite', '--passive-ports', '1-2'],
      'applies to --passive-mode relay only',
      5,
    ],
    [[...base, '--active-mode', 'yes'], '--active-mode expects relay or refuse', 3],
    [[...base, '--tls-cert', 'a.crt'], '--tls-cert and --tls-key go together', 3],
    [[...base, '--implicit-tls'], '--implicit-tls needs --tls-cert and --tls-key', -1],
    [[...base, '--insecure-upstream', '--upstream-ca', 'ca.crt'], 'contradict', 4],
    [[...base, '--idle-timeout', '-1'], '--idle-timeout expects a number of seconds', 3],
    [[...base, '--idle-timeout', '0'], '--idle-timeout must be above 0', 3],
    [[...base, '--max-sessions', '0'], '--max-sessions expects a positive integer', 3],
    [[...base, '--quiet=yes'], '--quiet takes no value', 2],
  ] as const)('refuses %j: %s', (argv, message, offset) => {
    const error = failure([...argv]);
    expect(error.code).toBe('ERR_INVALID_OPTION');
    expect(error.message).toContain(message);
    expect(error.offset).toBe(offset);
  });
});
