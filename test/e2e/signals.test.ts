// The real CLI under the signals a service manager sends: SIGHUP re-reads the TLS files for new
// sessions while a transfer of an old one goes on; SIGTERM drains, letting a transfer finish.
import { X509Certificate } from 'node:crypto';
import { copyFileSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import type { TLSSocket } from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeServer, startFakeServer } from './harness/fake-server.js';
import { type ChildProxy, PROXY_HOST, startChildProxy } from './harness/proxy.js';
import { openData, RawFtp, readAll } from './harness/raw-client.js';
import {
  createScratch,
  createTestFiles,
  createTlsFiles,
  MiB,
  type Scratch,
  sha256,
  type TestFile,
  type TlsFiles,
} from './harness/temp.js';
import { startVsftpd, type Vsftpd, vsftpdCases } from './harness/vsftpd.js';
import { waitFor } from './harness/wait.js';

const vsftpd = vsftpdCases();

const fingerprint = (socket: TLSSocket) => socket.getPeerCertificate().fingerprint256;

const fingerprintOf = (files: TlsFiles) => new X509Certificate(files.cert).fingerprint256;

/** A logged-in FTPS session with PROT P; its control socket shows the proxy's certificate. */
async function secureSession(port: number): Promise<{ client: RawFtp; control: TLSSocket }> {
  const client = await RawFtp.connect(PROXY_HOST, port);
  expect((await client.reply()).code).toBe(220);
  const control = await client.secure();
  await client.login();
  expect((await client.command('TYPE I')).code).toBe(200);
  return { client, control };
}

/** PASV, the data connection (TLS resuming the control session), and RETR. */
async function startDownload(client: RawFtp, control: TLSSocket, name: string) {
  const { host, port } = await client.pasv();
  const data = await openData(host, port, { session: control.getSession() });
  data.socket.pause();
  expect((await client.command(`RETR ${name}`)).code).toBe(150);
  return data;
}

function count(log: string, pattern: RegExp): number {
  return (log.match(new RegExp(pattern, 'g')) ?? []).length;
}

describe.skipIf(vsftpd.skip)('SIGHUP: the TLS files re-read for new sessions', () => {
  let scratch: Scratch;
  let server: Vsftpd;
  let proxy: ChildProxy;
  let big: TestFile;
  let small: TestFile;
  let first: TlsFiles;
  let second: TlsFiles;
  let upstreamTls: TlsFiles;
  let certFile: string;
  let keyFile: string;
  let caFile: string;

  beforeAll(async () => {
    scratch = createScratch('sighup');
    upstreamTls = createTlsFiles(scratch.dir, 'server');
    first = createTlsFiles(scratch.dir, 'first');
    second = createTlsFiles(scratch.dir, 'second');
    server = await startVsftpd(scratch.dir, { tls: upstreamTls });
    [big, small] = createTestFiles(server.root, [32 * MiB, 100_000]) as [TestFile, TestFile];
    certFile = scratch.path('proxy.crt');
    keyFile = scratch.path('proxy.key');
    caFile = scratch.path('upstream-ca.pem');
    copyFileSync(first.certFile, certFile);
    copyFileSync(first.keyFile, keyFile);
    copyFileSync(upstreamTls.certFile, caFile);
    proxy = await startChildProxy([
      '--upstream',
      `127.0.0.1:${server.port}`,
      '--public-host',
      PROXY_HOST,
      '--tls-cert',
      certFile,
      '--tls-key',
      keyFile,
      '--upstream-ca',
      caFile,
    ]);
  }, 60_000);

  afterAll(async () => {
    // SIGINT: whatever a failed test left open is closed at once, not drained.
    await proxy?.stop('SIGINT');
    await server?.stop();
    scratch?.remove();
  }, 30_000);

  it('a transfer running across the reload finishes; new sessions get the new certificate', async () => {
    const old = await secureSession(proxy.port);
    expect(fingerprint(old.control)).toBe(fingerprintOf(first));
    const data = await startDownload(old.client, old.control, big.name);

    copyFileSync(second.certFile, certFile);
    copyFileSync(second.keyFile, keyFile);
    proxy.child.kill('SIGHUP');
    await waitFor(
      () => /TLS reloaded: certificate and key and upstream CA/.test(proxy.log()),
      'the reload',
    );

    const fresh = await secureSession(proxy.port);
    expect(fingerprint(fresh.control)).toBe(fingerprintOf(second));
    fresh.client.close();

    // The old session's transfer was held by the client all along; it completes whole.
    const bytes = await readAll(data.socket);
    expect(bytes.length).toBe(big.size);
    expect(sha256(bytes)).toBe(big.sha256);
    expect((await old.client.reply()).code).toBe(226);

    // Its next data connection resumes the control session's TLS session, which only the
    // context the session began with can do (a new context has new ticket keys).
    const next = await startDownload(old.client, old.control, small.name);
    expect((next.socket as TLSSocket).isSessionReused()).toBe(true);
    expect(sha256(await readAll(next.socket))).toBe(small.sha256);
    expect((await old.client.reply()).code).toBe(226);
    old.client.close();
    expect(proxy.log()).not.toMatch(/ERR_/);
  }, 60_000);

  it('a file that does not load keeps the previous certificate, and says why', async () => {
    writeFileSync(certFile, 'half a certificate, mid-rotation\n');
    const before = count(proxy.log(), /TLS reload failed/);
    proxy.child.kill('SIGHUP');
    await waitFor(() => count(proxy.log(), /TLS reload failed/) > before, 'the failed reload');
    expect(proxy.log()).toMatch(
      /TLS reload failed, keeping the previous material: the TLS certificate or key does not load: /,
    );
    const session = await secureSession(proxy.port);
    expect(fingerprint(session.control)).toBe(fingerprintOf(second));
    session.client.close();
    // A file that is gone is a failed reload too, not a crash.
    copyFileSync(second.certFile, certFile);
    writeFileSync(keyFile, '');
    proxy.child.kill('SIGHUP');
    await waitFor(() => count(proxy.log(), /TLS reload failed/) > before + 1, 'the second failure');
    copyFileSync(second.keyFile, keyFile);
    expect(proxy.child.exitCode).toBe(null);
  }, 60_000);

  it('reloads --upstream-ca: new sessions verify the server against the new CAs', async () => {
    const old = await secureSession(proxy.port);
    // A valid CA file that does not sign vsftpd's certificate.
    copyFileSync(second.certFile, caFile);
    const reloads = count(proxy.log(), /TLS reloaded/);
    proxy.child.kill('SIGHUP');
    await waitFor(() => count(proxy.log(), /TLS reloaded/) > reloads, 'the reload');
    const refused = await RawFtp.connect(PROXY_HOST, proxy.port);
    expect((await refused.reply()).code).toBe(220);
    await expect(refused.secure()).rejects.toThrow();
    await waitFor(
      () =>
        /close after [\d.]+ s \(ERR_TLS: the TLS handshake with the server failed/.test(
          proxy.log(),
        ),
      'the refusal',
    );
    // The session that began before goes on verifying with the CAs it began with.
    const data = await startDownload(old.client, old.control, small.name);
    expect(sha256(await readAll(data.socket))).toBe(small.sha256);
    expect((await old.client.reply()).code).toBe(226);
    old.client.close();
    copyFileSync(upstreamTls.certFile, caFile);
  }, 60_000);
});

describe('SIGTERM: a drain that lets transfers finish', () => {
  let server: FakeServer;

  beforeAll(async () => {
    server = await startFakeServer();
  });

  afterAll(async () => {
    await server.stop();
  });

  async function download(port: number, size: number) {
    const client = await RawFtp.connect(PROXY_HOST, port);
    expect((await client.reply()).code).toBe(220);
    await client.login();
    const { host, port: dataPort } = await client.pasv();
    const data = await openData(host, dataPort);
    data.socket.pause();
    expect((await client.command(`RETR bytes-${size}`)).code).toBe(150);
    return { client, data };
  }

  it('finishes a running transfer, closes idle sessions at once, stops accepting, exits 0', async () => {
    const proxy = await startChildProxy([
      '--upstream',
      `127.0.0.1:${server.port}`,
      '--drain-timeout',
      '20',
    ]);
    const size = 64 * MiB;
    const busy = await download(proxy.port, size);
    const idle = await RawFtp.connect(PROXY_HOST, proxy.port);
    expect((await idle.reply()).code).toBe(220);
    await idle.login();

    const exited = proxy.stop('SIGTERM');
    // The idle session hears the 421 at once.
    expect((await idle.reply()).lines).toEqual([
      '421 Service closing: the proxy is shutting down.',
    ]);
    await idle.closed;
    // New clients are not accepted any more.
    await waitFor(() => /draining: 2 session\(s\)/.test(proxy.log()), 'the drain to start');
    const refused = await new Promise<string>((resolve) => {
      const socket = connect({ host: PROXY_HOST, port: proxy.port });
      socket.once('connect', () => {
        socket.destroy();
        resolve('connected');
      });
      socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? 'error'));
    });
    expect(refused).toBe('ECONNREFUSED');

    // The transfer, held by its client until now, completes whole; then its 226 and the 421.
    const bytes = await readAll(busy.data.socket);
    expect(bytes.length).toBe(size);
    expect((await busy.client.reply()).code).toBe(226);
    expect((await busy.client.reply()).code).toBe(421);
    await busy.client.closed;
    expect(await exited).toBe(0);
    const log = proxy.log();
    expect(log).toContain('SIGTERM: draining, then closing');
    expect(log).toMatch(/session 2 drained: nothing under way, closing with 421/);
    expect(log).toMatch(/session 1 drained: nothing under way, closing with 421/);
    expect(log).toMatch(/data passive done: 67108864 bytes to client, 0 to server\n/);
    expect(log).not.toMatch(/drain timeout/);
    expect(log).toMatch(/Z closed\n$/);
  }, 60_000);

  it('closes what is left with 421 once --drain-timeout has passed', async () => {
    const proxy = await startChildProxy([
      '--upstream',
      `127.0.0.1:${server.port}`,
      '--drain-timeout',
      '1',
    ]);
    const stuck = await download(proxy.port, 64 * MiB);
    const started = Date.now();
    const exited = proxy.stop('SIGTERM');
    // The client never reads its data: the drain waits a second, then cuts the session.
    expect((await stuck.client.reply()).code).toBe(421);
    expect(await exited).toBe(0);
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    const log = proxy.log();
    expect(log).toMatch(/drain timeout: closing 1 session\(s\) still open/);
    expect(log).toMatch(
      /session 1 close after [\d.]+ s \(ERR_PEER_CLOSED: the proxy is shutting down\)/,
    );
    stuck.client.close();
  }, 60_000);
});
