// Faults: a client or server that breaks off mid-transfer, a client that never speaks or stalls
// its TLS handshake, a server that sends a 100 MiB line. Each time the proxy (the real CLI, in a
// child process) stays up, serves the next session, and is back to the file descriptors it had
// before (counted in /proc).
import { writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { curl, FTPS, TRUST_PASV } from './harness/curl.js';
import { type FakeServer, startFakeServer } from './harness/fake-server.js';
import { startFtpSrv } from './harness/ftp-srv.js';
import { type ChildProxy, PROXY_HOST, proxyArguments, startChildProxy } from './harness/proxy.js';
import { openData, RawFtp } from './harness/raw-client.js';
import type { ServerUnderTest } from './harness/suite.js';
import {
  createScratch,
  createTestFiles,
  createTlsFiles,
  MiB,
  type Scratch,
  type TestFile,
  type TlsFiles,
} from './harness/temp.js';
import { startVsftpd, vsftpdCases } from './harness/vsftpd.js';
import { waitFor } from './harness/wait.js';

/** Waits until the proxy holds exactly its idle descriptors again. */
async function expectBaseline(proxy: ChildProxy, baseline: number): Promise<void> {
  await waitFor(
    () => proxy.fds() === baseline,
    `the proxy to return to ${baseline} descriptors (has ${proxy.fds()})`,
  );
  expect(proxy.fds()).toBe(baseline);
}

describe('faults against a scripted server', () => {
  let scratch: Scratch;
  let tls: TlsFiles;
  let server: FakeServer;
  let proxy: ChildProxy;
  let baseline: number;
  const url = (path: string, user = 'anonymous') =>
    `ftp://${user}:x@${PROXY_HOST}:${proxy.port}/${path}`;

  beforeAll(async () => {
    scratch = createScratch('faults');
    tls = createTlsFiles(scratch.dir);
    server = await startFakeServer(tls);
    proxy = await startChildProxy([
      ...proxyArguments(server.port, tls),
      '--idle-timeout',
      '1.5',
      '--connect-timeout',
      '1.5',
    ]);
    // One session first, so that whatever Node opens lazily is open before counting.
    const warm = await curl([...TRUST_PASV, url('bytes-1000')]);
    expect(warm.code, warm.stderr).toBe(0);
    await waitFor(() => /session 1 close/.test(proxy.log()), 'the warm-up session to close');
    baseline = proxy.fds();
  }, 60_000);

  afterAll(async () => {
    expect(await proxy?.stop()).toBe(0);
    await server?.stop();
    scratch?.remove();
  });

  const nextSessionWorks = async () => {
    const result = await curl([...TRUST_PASV, url('bytes-100000')]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout.length).toBe(100_000);
  };

  it('server closes mid-upload: the client fails, the proxy frees everything and serves the next session', async () => {
    const upload = scratch.path('upload.bin');
    writeFileSync(upload, Buffer.alloc(4 * MiB, 0x33));
    const result = await curl([...TRUST_PASV, '-T', upload, url('up.bin', 'crash-upload')]);
    expect(result.code).not.toBe(0);
    expect(server.stored.at(-1)).toBeGreaterThanOrEqual(512 * 1024);
    await expectBaseline(proxy, baseline);
    await nextSessionWorks();
    await expectBaseline(proxy, baseline);
  }, 30_000);

  it('server sends a 100 MiB line: the session ends at 8192 bytes with 421 and nothing of the line, memory stays bounded', async () => {
    const peakBefore = proxy.peakMemory();
    const socket = connect({ host: PROXY_HOST, port: proxy.port });
    let text = '';
    let sent = false;
    socket.setEncoding('latin1');
    socket.on('data', (chunk: string) => {
      text += chunk;
      if (!sent && text.endsWith('\r\n')) {
        sent = true;
        socket.write('USER long-line\r\n');
      }
    });
    await new Promise((resolve) => socket.once('close', resolve));
    // The greeting, then only the proxy's 421: a reply reaches the client once it is parsed
    // whole, so no part of the endless line does.
    const after = text.slice(text.indexOf('\r\n') + 2);
    expect(after).toBe('421 Closing: the control connection broke the protocol.\r\n');
    await waitFor(() => /ERR_LINE_TOO_LONG/.test(proxy.log()), 'the session to close');
    // The line is cut, never buffered whole: far less than its 100 MiB reached the proxy's heap.
    expect(proxy.peakMemory() - peakBefore).toBeLessThan(32 * MiB);
    await expectBaseline(proxy, baseline);
    await nextSessionWorks();
  }, 30_000);

  it('client stops reading mid-download: the proxy stops reading the server, memory stays bounded', async () => {
    const peakBefore = proxy.peakMemory();
    const client = await RawFtp.connect(PROXY_HOST, proxy.port);
    await client.reply();
    await client.login();
    const { host, port } = await client.pasv();
    const data = await openData(host, port);
    data.socket.pause();
    client.send(`RETR bytes-${200 * MiB}`);
    expect((await client.reply()).code).toBe(150);
    // Long enough for an unbounded relay to pull in far more than the bound below.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(proxy.peakMemory() - peakBefore).toBeLessThan(32 * MiB);
    data.reset();
    client.reset();
    await expectBaseline(proxy, baseline);
    await nextSessionWorks();
  }, 30_000);

  it('server stops reading mid-upload: the proxy stops reading the client, memory stays bounded', async () => {
    const peakBefore = proxy.peakMemory();
    const client = await RawFtp.connect(PROXY_HOST, proxy.port);
    await client.reply();
    client.send('USER stall-upload');
    await client.reply();
    const { host, port } = await client.pasv();
    const data = await openData(host, port);
    client.send('STOR stalled.bin');
    expect((await client.reply()).code).toBe(150);
    // Write until the socket pushes back, then wait: the bytes must pile up in no buffer.
    const chunk = Buffer.alloc(MiB, 0x55);
    let written = 0;
    while (written < 200 * MiB && data.socket.write(chunk)) written += chunk.length;
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(written).toBeLessThan(200 * MiB);
    expect(proxy.peakMemory() - peakBefore).toBeLessThan(32 * MiB);
    data.reset();
    client.reset();
    await expectBaseline(proxy, baseline);
    await nextSessionWorks();
  }, 30_000);

  it('client never sends after connect: the idle timeout closes it with 421', async () => {
    const client = await RawFtp.connect(PROXY_HOST, proxy.port);
    expect((await client.reply()).code).toBe(220);
    expect((await client.reply()).code).toBe(421);
    await client.closed;
    await waitFor(() => /ERR_IDLE_TIMEOUT/.test(proxy.log()), 'the session to close');
    await expectBaseline(proxy, baseline);
    await nextSessionWorks();
  }, 30_000);

  it('client stalls its TLS handshake after AUTH TLS: the connect timeout closes it', async () => {
    const client = await RawFtp.connect(PROXY_HOST, proxy.port);
    expect((await client.reply()).code).toBe(220);
    expect((await client.command('AUTH TLS')).code).toBe(234);
    // No ClientHello follows.
    await client.closed;
    await waitFor(() => /ERR_CONNECT_TIMEOUT/.test(proxy.log()), 'the session to close');
    await expectBaseline(proxy, baseline);
    await nextSessionWorks();
  }, 30_000);

  it('client opens the data port but never sends RETR: the data connection is dropped on idle', async () => {
    const client = await RawFtp.connect(PROXY_HOST, proxy.port);
    await client.reply();
    await client.login();
    const { host, port } = await client.pasv();
    const data = await openData(host, port);
    data.socket.on('error', () => {});
    await client.closed;
    data.socket.destroy();
    await expectBaseline(proxy, baseline);
    await nextSessionWorks();
  }, 30_000);
});

const vsftpd = vsftpdCases();
const servers: {
  name: string;
  skip: boolean;
  start: (scratch: Scratch, tls: TlsFiles) => Promise<ServerUnderTest>;
}[] = [
  { name: 'vsftpd', skip: vsftpd.skip, start: (scratch, tls) => startVsftpd(scratch.dir, { tls }) },
  { name: 'ftp-srv', skip: false, start: (scratch, tls) => startFtpSrv(scratch.dir, { tls }) },
];

for (const { name, skip, start } of servers) {
  describe.skipIf(skip)(`faults against ${name}`, () => {
    let scratch: Scratch;
    let tls: TlsFiles;
    let server: ServerUnderTest;
    let proxy: ChildProxy;
    let baseline: number;
    let big: TestFile;
    let small: TestFile;

    beforeAll(async () => {
      scratch = createScratch(`faults-${name}`);
      tls = createTlsFiles(scratch.dir);
      server = await start(scratch, tls);
      [small, big] = createTestFiles(server.root, [10_000, 64 * MiB]) as [TestFile, TestFile];
      proxy = await startChildProxy([
        ...proxyArguments(server.port, tls),
        '--upstream-ca',
        tls.certFile,
        '--idle-timeout',
        '5',
      ]);
      const warm = await curl([
        ...FTPS,
        ...TRUST_PASV,
        `ftp://${PROXY_HOST}:${proxy.port}/${small.name}`,
      ]);
      expect(warm.code, warm.stderr).toBe(0);
      await waitFor(() => /session 1 close/.test(proxy.log()), 'the warm-up session to close');
      baseline = proxy.fds();
    }, 60_000);

    afterAll(async () => {
      expect(await proxy?.stop()).toBe(0);
      await server?.stop();
      scratch?.remove();
    });

    for (const secure of [false, true]) {
      it(`client resets mid-download (${secure ? 'FTPS PROT P' : 'plain'}): the proxy frees everything and serves the next session`, async () => {
        const client = await RawFtp.connect(PROXY_HOST, proxy.port);
        await client.reply();
        const control = secure ? await client.secure() : undefined;
        await client.login();
        await client.command('TYPE I');
        const { host, port } = await client.pasv();
        const data = await openData(
          host,
          port,
          secure ? { session: control?.getSession() } : undefined,
        );
        client.send(`RETR ${big.name}`);
        let received = 0;
        await new Promise<void>((resolve) => {
          data.socket.on('data', (chunk: Buffer) => {
            received += chunk.length;
            if (received >= 2 * MiB) resolve();
          });
        });
        data.reset();
        client.reset();
        expect(received).toBeLessThan(big.size);
        await expectBaseline(proxy, baseline);
        const next = await curl([
          ...FTPS,
          ...TRUST_PASV,
          `ftp://${PROXY_HOST}:${proxy.port}/${small.name}`,
        ]);
        expect(next.code, next.stderr).toBe(0);
        expect(next.stdout.length).toBe(small.size);
        await expectBaseline(proxy, baseline);
      }, 60_000);
    }
  });
}
