// The ftpwire-proxy command, run from source as a real process.
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeServer, startFakeServer } from '../e2e/harness/fake-server.js';
import { PROXY_HOST, startChildProxy } from '../e2e/harness/proxy.js';
import { RawFtp } from '../e2e/harness/raw-client.js';
import { createScratch, type Scratch } from '../e2e/harness/temp.js';
import { waitFor } from '../e2e/harness/wait.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const cli = fileURLToPath(new URL('../../packages/proxy/src/cli.ts', import.meta.url));

function run(args: string[]) {
  const result = spawnSync(
    process.execPath,
    ['--import', 'tsx', '--conditions=@ftpwire/source', cli, ...args],
    { cwd: root, encoding: 'utf8', timeout: 20_000 },
  );
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('ftpwire-proxy', () => {
  let scratch: Scratch;
  let server: FakeServer;

  beforeAll(async () => {
    scratch = createScratch('cli');
    server = await startFakeServer();
  });

  afterAll(async () => {
    await server.stop();
    scratch.remove();
  });

  it('--help lists every option of the issue and exits 0', () => {
    const { code, stdout } = run(['--help']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^Usage: ftpwire-proxy --upstream HOST:PORT/);
    for (const option of [
      '--listen',
      '--upstream',
      '--public-host',
      '--passive-ports',
      '--passive-mode',
      '--active-mode',
      '--tls-cert',
      '--tls-key',
      '--implicit-tls',
      '--insecure-upstream',
      '--upstream-ca',
      '--allow-verb',
      '--login-timeout',
      '--line-timeout',
      '--data-timeout',
      '--max-per-ip',
      '--config',
      '--metrics',
      '--log-format',
      '--drain-timeout',
    ]) {
      expect(stdout).toContain(`${option} `);
    }
    // Where logs go, what the exit codes are, what the signals do.
    expect(stdout).toContain('on stderr');
    expect(stdout).toMatch(/Exit status: 0 after SIGINT or SIGTERM/);
    expect(stdout).toContain('SIGTERM drains');
    expect(stdout).toContain('SIGHUP re-reads --tls-cert, --tls-key and --upstream-ca');
    expect(stdout).toContain('2 for a bad option or file');
  }, 30_000);

  it('defect 9: an unknown option is explained once, with one hint', () => {
    const unknown = run(['--upstream', '127.0.0.1:21', '--bogus']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toBe(
      `ftpwire-proxy: unknown option "--bogus"\nTry 'ftpwire-proxy --help'.\n`,
    );
  }, 30_000);

  it.each([
    ['255.255.255.255', 'reserved'],
    ['224.0.0.1', 'multicast'],
    ['0.0.0.0', 'unspecified'],
  ])(
    'defect 9: --public-host %s is refused at start, the error naming --public-host',
    (host, kind) => {
      const { code, stderr } = run(['--upstream', '127.0.0.1:21', '--public-host', host]);
      expect(code).toBe(2);
      expect(stderr).toBe(
        `ftpwire-proxy: --public-host must be a unicast address clients can connect to, got ${host} (${kind})\nTry 'ftpwire-proxy --help'.\n`,
      );
    },
    30_000,
  );

  it('defect 9: a garbage --upstream-ca is refused at start (exit 2), not at the first AUTH TLS', () => {
    const garbage = scratch.path('garbage-ca.pem');
    writeFileSync(garbage, 'this is not a certificate\n');
    const { code, stderr } = run(['--upstream', '127.0.0.1:21', '--upstream-ca', garbage]);
    expect(code).toBe(2);
    expect(stderr).toBe(
      `ftpwire-proxy: the upstream CA holds no PEM certificate (--upstream-ca ${garbage})\n`,
    );
    const broken = scratch.path('broken-ca.pem');
    writeFileSync(
      broken,
      '-----BEGIN CERTIFICATE-----\nbm90IGEgY2VydGlmaWNhdGU=\n-----END CERTIFICATE-----\n',
    );
    const parsed = run(['--upstream', '127.0.0.1:21', '--upstream-ca', broken]);
    expect(parsed.code).toBe(2);
    expect(parsed.stderr).toMatch(
      /^ftpwire-proxy: certificate 1 of the upstream CA does not parse: /,
    );
  }, 30_000);

  it('defect 6: a timeout Node cannot count (over 2147483 s) is refused with exit 2', () => {
    const { code, stderr } = run(['--upstream', '127.0.0.1:21', '--idle-timeout', '2200000']);
    expect(code).toBe(2);
    expect(stderr).toBe(
      `ftpwire-proxy: --idle-timeout must be at most 2147483 seconds, got "2200000"\nTry 'ftpwire-proxy --help'.\n`,
    );
    for (const option of [
      '--connect-timeout',
      '--login-timeout',
      '--line-timeout',
      '--data-timeout',
    ]) {
      expect(run(['--upstream', '127.0.0.1:21', option, '2147484']).code, option).toBe(2);
    }
  }, 60_000);

  it('defect 9: the installed command says to build first when nothing is built yet', () => {
    // A copy of the package's bin without dist/ beside it: what a fresh clone has.
    const copy = scratch.path('fresh', 'bin');
    mkdirSync(copy, { recursive: true });
    copyFileSync(
      fileURLToPath(new URL('../../packages/proxy/bin/ftpwire-proxy.js', import.meta.url)),
      `${copy}/ftpwire-proxy.js`,
    );
    writeFileSync(scratch.path('fresh', 'package.json'), '{"type":"module"}\n');
    const result = spawnSync(process.execPath, [`${copy}/ftpwire-proxy.js`, '--help'], {
      encoding: 'utf8',
    });
    expect(result.status).toBe(1);
    expect(result.stderr).toBe(
      'ftpwire-proxy: the proxy is not built yet: run `pnpm build` in the repository first\n',
    );
  }, 30_000);

  it('--config: runs from a JSON file, command-line options on top; a bad key exits 2', async () => {
    const file = scratch.path('proxy.json');
    writeFileSync(
      file,
      JSON.stringify({ upstream: `127.0.0.1:${server.port}`, 'log-format': 'json', quiet: true }),
    );
    const proxy = await startChildProxy(['--config', file, '--log-format', 'text']);
    expect(proxy.log()).toMatch(
      new RegExp(
        `^\\d{4}-[\\d-]+T[\\d:.]+Z listening on .*, upstream 127\\.0\\.0\\.1:${server.port},`,
      ),
    );
    expect(await proxy.stop('SIGINT')).toBe(0);

    writeFileSync(file, JSON.stringify({ upstream: '127.0.0.1:21', 'passive-port': '1-2' }));
    const bad = run(['--config', file]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toBe(
      `ftpwire-proxy: ${file}: unknown key "passive-port"\nTry 'ftpwire-proxy --help'.\n`,
    );
    const missing = run(['--config', scratch.path('missing.json')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain(
      `cannot read the config file ${scratch.path('missing.json')}: ENOENT`,
    );
  }, 30_000);

  it('explains a bad option in one line on stderr and exits 2', () => {
    const bad = run(['--upstream', '127.0.0.1:21', '--passive-ports', '40099-40000']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toBe(
      `ftpwire-proxy: --passive-ports expects MIN-MAX with MIN <= MAX, got "40099-40000"\nTry 'ftpwire-proxy --help'.\n`,
    );
    expect(bad.stdout).toBe('');
    const unknown = run(['--upstream', '127.0.0.1:21', '--tls', 'x']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('unknown option "--tls"');
  }, 30_000);

  it('names a certificate file it cannot read, and exits 2', () => {
    const { code, stderr } = run([
      '--upstream',
      '127.0.0.1:21',
      '--tls-cert',
      scratch.path('missing.crt'),
      '--tls-key',
      scratch.path('missing.key'),
    ]);
    expect(code).toBe(2);
    expect(stderr).toContain(`cannot read the certificate ${scratch.path('missing.crt')}: ENOENT`);
  }, 30_000);

  it('says so when it cannot listen, and exits 1', async () => {
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen({ host: PROXY_HOST, port: 0 }, resolve));
    const { port } = taken.address() as { port: number };
    const { code, stderr } = run([
      '--listen',
      `${PROXY_HOST}:${port}`,
      '--upstream',
      '127.0.0.1:21',
    ]);
    taken.close();
    expect(code).toBe(1);
    expect(stderr).toContain(`cannot listen on ${PROXY_HOST}:${port}: EADDRINUSE`);
  }, 30_000);

  it('SIGTERM drains: an idle session gets 421 at once, the proxy exits 0', async () => {
    const proxy = await startChildProxy(['--upstream', `127.0.0.1:${server.port}`]);
    const client = await RawFtp.connect(PROXY_HOST, proxy.port);
    expect((await client.reply()).code).toBe(220);
    await waitFor(() => /session 1 upstream/.test(proxy.log()), 'the session to start');
    expect(await proxy.stop('SIGTERM')).toBe(0);
    expect((await client.reply()).lines).toEqual([
      '421 Service closing: the proxy is shutting down.',
    ]);
    await client.closed;
    const log = proxy.log();
    expect(log).toContain('SIGTERM: draining, then closing');
    expect(log).toMatch(/draining: 1 session\(s\), for at most 30000 ms/);
    expect(log).toMatch(/session 1 drained: nothing under way, closing with 421/);
    expect(log).toMatch(/session 1 close after [\d.]+ s\n/);
    expect(log).toMatch(/Z closed\n$/);
  }, 30_000);

  for (const signal of ['SIGINT'] as const) {
    it(`shuts down on ${signal}: closes its sessions, logs it, exits 0`, async () => {
      const proxy = await startChildProxy(['--upstream', `127.0.0.1:${server.port}`]);
      const client = await RawFtp.connect(PROXY_HOST, proxy.port);
      expect((await client.reply()).code).toBe(220);
      await waitFor(() => /session 1 upstream/.test(proxy.log()), 'the session to start');
      expect(await proxy.stop(signal)).toBe(0);
      await client.closed;
      const log = proxy.log();
      expect(log).toMatch(
        new RegExp(
          `^\\d{4}-\\d\\d-\\d\\dT[\\d:.]+Z listening on ${PROXY_HOST.replace(/\./g, '\\.')}:\\d+`,
          'm',
        ),
      );
      expect(log).toContain(`${signal}: closing every session`);
      expect(log).toMatch(
        /session 1 close after [\d.]+ s \(ERR_PEER_CLOSED: the proxy is shutting down\)/,
      );
      expect(log).toMatch(/Z closed\n$/);
    }, 30_000);
  }
});
