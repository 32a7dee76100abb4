// Issue 12, defects 7 and 8: failures the client must hear as FTP replies, never as a silent
// close or a success that was not one.
import { createServer, type Server, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeServer, startFakeServer } from '../harness/fake-server.js';
import { freePortRange } from '../harness/ports.js';
import { type ChildProxy, PROXY_HOST, proxyArguments, startChildProxy } from '../harness/proxy.js';
import { openData, RawFtp } from '../harness/raw-client.js';
import { createScratch, createTlsFiles, type Scratch, type TlsFiles } from '../harness/temp.js';
import { startVsftpd, type Vsftpd, vsftpdCases } from '../harness/vsftpd.js';
import { quiet } from './upstreams.js';

const vsftpd = vsftpdCases();

describe.skipIf(vsftpd.skip)(
  'defect 7: a failed client handshake under PROT P is never a 226',
  () => {
    let scratch: Scratch;
    let tls: TlsFiles;
    let server: Vsftpd;
    let proxy: ChildProxy;

    beforeAll(async () => {
      scratch = createScratch('false-226');
      tls = createTlsFiles(scratch.dir);
      server = await startVsftpd(scratch.dir, { tls });
      const { writeFileSync } = await import('node:fs');
      writeFileSync(`${server.root}/small.bin`, Buffer.alloc(1000, 0x41));
      const range = await freePortRange(100, [PROXY_HOST]);
      proxy = await startChildProxy([
        ...proxyArguments(server.port, tls),
        '--passive-ports',
        `${range.min}-${range.max}`,
        '--upstream-ca',
        tls.certFile,
      ]);
    }, 60_000);

    afterAll(async () => {
      expect(await proxy?.stop()).toBe(0);
      await server?.stop();
      scratch?.remove();
    });

    it('the client gets 425, and vsftpd logs no completed download', async () => {
      const client = await RawFtp.connect(PROXY_HOST, proxy.port);
      await client.reply();
      await client.secure(true);
      await client.login();
      const { host, port } = await client.pasv();
      const data = await openData(host, port);
      client.send('RETR small.bin');
      expect((await client.reply()).code).toBe(150);
      // No ClientHello: bytes that are not TLS, so the proxy's handshake with the client fails.
      data.socket.write('GET / HTTP/1.0\r\n\r\n');
      const final = await client.reply();
      expect(final.lines).toEqual([
        '425 Cannot open the data connection: its TLS handshake failed.',
      ]);
      client.close();
      await quiet(1000);
      // The server's side was reset before its TLS started: vsftpd ends the session on a failed
      // data handshake, and never logs a completed download nor answers 226.
      const log = server.log();
      const afterRetr = log.slice(log.indexOf('"RETR small.bin"'));
      expect(afterRetr).not.toMatch(/OK DOWNLOAD/);
      expect(afterRetr).not.toMatch(/"226 /);
    }, 30_000);
  },
);

describe('defect 8: the upstream lost or silent', () => {
  let scratch: Scratch;
  let tls: TlsFiles;
  let fake: FakeServer;
  let mute: Server;
  const muted = new Set<Socket>();
  let proxy: ChildProxy;
  let muteProxy: ChildProxy;

  beforeAll(async () => {
    scratch = createScratch('upstream-faults');
    tls = createTlsFiles(scratch.dir);
    fake = await startFakeServer(tls);
    proxy = await startChildProxy([...proxyArguments(fake.port, tls), '--connect-timeout', '1']);
    // A server that accepts and never says a word.
    mute = createServer((socket) => {
      muted.add(socket);
      socket.on('error', () => {});
    });
    await new Promise<void>((resolve) => mute.listen({ host: '127.0.0.1', port: 0 }, resolve));
    const mutePort = (mute.address() as { port: number }).port;
    muteProxy = await startChildProxy([...proxyArguments(mutePort, tls), '--connect-timeout', '1']);
  }, 60_000);

  afterAll(async () => {
    expect(await proxy?.stop()).toBe(0);
    expect(await muteProxy?.stop()).toBe(0);
    await fake?.stop();
    for (const socket of muted) socket.destroy();
    mute?.close();
    scratch?.remove();
  });

  it('the server dies mid-download: the client hears 426 and 421, and its data connection is reset', async () => {
    const client = await RawFtp.connect(PROXY_HOST, proxy.port);
    await client.reply();
    expect((await client.command('USER crash-download')).code).toBe(230);
    const { host, port } = await client.pasv();
    const data = await openData(host, port);
    let received = 0;
    let error: string | undefined;
    data.socket.on('data', (chunk: Buffer) => {
      received += chunk.length;
    });
    data.socket.on('error', (e: NodeJS.ErrnoException) => {
      error = e.code;
    });
    const ended = new Promise<boolean>((resolve) => {
      data.socket.once('end', () => resolve(true));
      data.socket.once('close', () => resolve(false));
    });
    const all = new Promise<void>((resolve) => {
      data.socket.on('data', () => {
        if (received === 65536) resolve();
      });
    });
    client.send('RETR bytes-10000000');
    expect((await client.reply()).code).toBe(150);
    // The server dies once the client has read what it sent: a reset that reaches a Node client
    // while bytes wait unread is reported as an orderly end (libuv reads the last bytes, sees
    // POLLHUP and reports EOF without reading the error), so no client could tell it then.
    await all;
    fake.crash();
    expect((await client.reply()).lines).toEqual(['426 Connection closed; transfer aborted.']);
    expect((await client.reply()).lines).toEqual([
      '421 Service not available, closing control connection.',
    ]);
    await client.closed;
    // Not an orderly end the client could take for a complete file.
    expect(await ended).toBe(false);
    expect(error).toBe('ECONNRESET');
    expect(received).toBe(65536);
  }, 30_000);

  it('the server accepts and never greets: the client gets 421 after --connect-timeout', async () => {
    const client = await RawFtp.connect(PROXY_HOST, muteProxy.port);
    const reply = await client.reply();
    expect(reply.lines).toEqual(['421 Service not available: the FTP server did not greet.']);
    await client.closed;
    await quiet(100);
    expect(muteProxy.log()).toMatch(/ERR_CONNECT_TIMEOUT: no greeting within 1000 ms/);
  }, 30_000);
});
