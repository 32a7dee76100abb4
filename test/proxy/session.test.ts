// A session's control relay, against a server the test scripts line by line: what the server
// receives, what the client receives, and what the proxy answers itself.
import { connect, type Socket } from 'node:net';
import { FtpProxy, type ProxyOptions } from '@ftpwire/proxy';
import { afterEach, describe, expect, it } from 'vitest';
import { freePort } from '../e2e/harness/ports.js';
import { RawFtp } from '../e2e/harness/raw-client.js';
import { createScratch, createTlsFiles } from '../e2e/harness/temp.js';
import { waitFor } from '../e2e/harness/wait.js';
import { type ScriptedPeer, type ScriptedServer, startScriptedServer } from './scripted-server.js';

const PROXY_HOST = '127.0.0.3';
const cleanups: (() => unknown)[] = [];

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

interface Setup {
  readonly proxy: FtpProxy;
  readonly server: ScriptedServer;
  readonly peer: ScriptedPeer;
  readonly client: RawFtp;
  readonly log: string[];
}

async function setup(options: Partial<ProxyOptions> = {}): Promise<Setup> {
  const server = await startScriptedServer();
  cleanups.push(() => server.stop());
  const log: string[] = [];
  const proxy = new FtpProxy({
    listen: { host: PROXY_HOST, port: 0 },
    upstream: { host: '127.0.0.1', port: server.port },
    log: (line) => log.push(line),
    ...options,
  });
  const { port } = await proxy.listen();
  cleanups.push(() => proxy.close());
  const client = await RawFtp.connect(PROXY_HOST, port);
  cleanups.push(() => client.close());
  const peer = await server.accept();
  expect((await client.reply()).lines).toEqual(['220 scripted']);
  return { proxy, server, peer, client, log };
}

function dataPort(reply: string): number {
  const n = /\((\d+),(\d+),(\d+),(\d+),(\d+),(\d+)\)/.exec(reply)!.slice(1).map(Number);
  return n[4]! * 256 + n[5]!;
}

describe('control relay', () => {
  it('rewrites the 227 answering PASV to the public host and a port the proxy listens on', async () => {
    const { proxy, peer, client, log } = await setup();
    client.send('PASV');
    expect(await peer.next()).toBe('PASV\r\n');
    peer.send('227 Entering Passive Mode (127,0,0,2,117,51).\r\n');
    const reply = (await client.reply()).lines[0]!;
    expect(reply).toMatch(/^227 Entering Passive Mode \(127,0,0,3,\d+,\d+\)\.$/);
    expect(proxy.stats()).toMatchObject({ dataChannels: 1, passivePorts: 1 });
    // The port accepts at once: the listener was open before the server was even asked. The
    // proxy then resets the connection, since nothing listens at the server's port 30003: a
    // reset, unlike a refusal, says the listener took it.
    const socket = connect({ host: PROXY_HOST, port: dataPort(reply) });
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', resolve);
      socket.once('error', (error: NodeJS.ErrnoException) =>
        error.code === 'ECONNRESET' ? resolve() : reject(error),
      );
    });
    socket.destroy();
    expect(log.some((line) => /rewrite 127\.0\.0\.2:30003 -> 127\.0\.0\.3:\d+/.test(line))).toBe(
      true,
    );
  });

  it('sends EPSV without the client’s protocol argument and rewrites the 229 port', async () => {
    const { peer, client } = await setup();
    client.send('EPSV 2');
    expect(await peer.next()).toBe('EPSV\r\n');
    peer.send('229 Entering Extended Passive Mode (|||30004|)\r\n');
    const reply = (await client.reply()).lines[0]!;
    const port = Number(/\(\|\|\|(\d+)\|\)/.exec(reply)?.[1]);
    expect(port).not.toBe(30004);
    expect(reply).toBe(`229 Entering Extended Passive Mode (|||${port}|)`);
  });

  it('passes EPSV ALL; withholds a 227 that answers no PASV (it names the server’s side)', async () => {
    const { peer, client, log } = await setup();
    client.send('EPSV ALL');
    expect(await peer.next()).toBe('EPSV ALL\r\n');
    peer.send('200 EPSV ALL ok\r\n227 Entering Passive Mode (10,0,0,1,1,1).\r\n');
    expect((await client.reply()).lines).toEqual(['200 EPSV ALL ok']);
    expect((await client.reply()).lines).toEqual([
      '502 The server answered with a data address nobody asked for; the proxy withheld it.',
    ]);
    expect(log.some((line) => line.includes('withheld an unsolicited 227'))).toBe(true);
  });

  it('with passiveMode rewrite, changes the 227 host only and opens no port', async () => {
    const { proxy, peer, client } = await setup({ passiveMode: 'rewrite' });
    client.send('PASV');
    await peer.next();
    peer.send('227 Entering Passive Mode (127,0,0,2,117,51).\r\n');
    expect((await client.reply()).lines).toEqual(['227 Entering Passive Mode (127,0,0,3,117,51).']);
    expect(proxy.stats()).toMatchObject({ dataChannels: 0, passivePorts: 0 });
  });

  it('frees the passive port when the server refuses PASV', async () => {
    const { proxy, peer, client } = await setup();
    client.send('PASV');
    await peer.next();
    expect(proxy.stats().passivePorts).toBe(1);
    peer.send('425 no passive ports left\r\n');
    expect((await client.reply()).code).toBe(425);
    await waitFor(() => proxy.stats().passivePorts === 0, 'the port to be freed');
  });

  it('answers AUTH itself with 502 when it has no certificate; the server never sees it', async () => {
    const { peer, client } = await setup();
    expect((await client.command('AUTH TLS')).lines).toEqual([
      '502 AUTH is not available: this proxy has no TLS certificate.',
    ]);
    client.send('NOOP');
    expect(await peer.next()).toBe('NOOP\r\n');
  });

  it.each([
    ['CCC', 534],
    ['REIN', 502],
    ['LPSV', 502],
    ['LPRT 4,4,127,0,0,1,2,1,1', 502],
  ])('answers %s itself with %i', async (command, code) => {
    const { peer, client } = await setup();
    expect((await client.command(command)).code).toBe(code);
    client.send('NOOP');
    expect(await peer.next()).toBe('NOOP\r\n');
  });

  it('keeps its own answers in order among the server’s to pipelined commands', async () => {
    const { peer, client } = await setup();
    client.socket.write('NOOP first\r\nCCC\r\nNOOP second\r\n');
    expect(await peer.next()).toBe('NOOP first\r\n');
    expect(await peer.next()).toBe('NOOP second\r\n');
    peer.send('200 first\r\n200 second\r\n');
    expect((await client.reply()).lines).toEqual(['200 first']);
    expect((await client.reply()).code).toBe(534);
    expect((await client.reply()).lines).toEqual(['200 second']);
  });

  it('refuses PORT and EPRT with 502 when active mode is refused', async () => {
    const { peer, client } = await setup({ activeMode: 'refuse' });
    expect((await client.command('PORT 127,0,0,1,4,1')).code).toBe(502);
    expect((await client.command('EPRT |1|127.0.0.1|1025|')).code).toBe(502);
    client.send('NOOP');
    expect(await peer.next()).toBe('NOOP\r\n');
  });

  it('RFC 2577 FTP bounce: PORT naming another host than the client is refused with 501', async () => {
    const { peer, client, log } = await setup();
    expect((await client.command('PORT 127,0,0,9,4,1')).code).toBe(501);
    expect((await client.command('PORT 1,2,3')).code).toBe(501);
    client.send('NOOP');
    expect(await peer.next()).toBe('NOOP\r\n');
    expect(
      log.some((line) => line.includes('refused PORT naming 127.0.0.9 (not the client)')),
    ).toBe(true);
  });

  it('RFC 2577: PORT and EPRT naming a port below 1024 are refused with 501, even the client', async () => {
    const { peer, client, log } = await setup();
    expect((await client.command('PORT 127,0,0,1,0,25')).code).toBe(501);
    expect((await client.command('EPRT |1|127.0.0.1|1023|')).code).toBe(501);
    // 1024 itself is a user port.
    client.send('PORT 127,0,0,1,4,0');
    expect(await peer.next()).toMatch(/^PORT 127,0,0,1,\d+,\d+\r\n$/);
    expect(
      log.some((line) =>
        line.includes('answered PORT here: 501 The data address may not name a port below 1024.'),
      ),
    ).toBe(true);
  });

  it('relays PORT by listening toward the server and naming its own address', async () => {
    const { proxy, peer, client } = await setup();
    client.send('PORT 127,0,0,1,200,1');
    const sent = (await peer.next())!;
    expect(sent).toMatch(/^PORT 127,0,0,1,\d+,\d+\r\n$/);
    expect(sent).not.toBe('PORT 127,0,0,1,200,1\r\n');
    peer.send('200 PORT ok\r\n');
    expect((await client.reply()).code).toBe(200);
    expect(proxy.stats().dataChannels).toBe(1);
  });

  it('CVE-2011-0411: clear text pipelined after AUTH TLS is refused, never read as protected', async () => {
    const scratch = createScratch('starttls');
    cleanups.push(() => scratch.remove());
    const tls = createTlsFiles(scratch.dir);
    const { peer, client, log } = await setup({ tls: { cert: tls.cert, key: tls.key } });
    client.socket.write('AUTH TLS\r\nUSER injected\r\n');
    expect(await peer.next()).toBe('AUTH TLS\r\n');
    await client.closed;
    // The server never received the injected command, and the session is gone.
    expect(await peer.next()).toBeUndefined();
    expect(log.some((line) => /close after .*ERR_PROTOCOL/.test(line))).toBe(true);
  });

  it('tells the client 421 when the server cannot be reached', async () => {
    const port = await freePort();
    const proxy = new FtpProxy({
      listen: { host: PROXY_HOST, port: 0 },
      upstream: { host: '127.0.0.1', port },
    });
    const address = await proxy.listen();
    cleanups.push(() => proxy.close());
    const client = await RawFtp.connect(PROXY_HOST, address.port);
    const reply = await client.reply();
    expect(reply.lines).toEqual(['421 Service not available: the FTP server cannot be reached.']);
    await client.closed;
  });

  it('turns away clients beyond maxSessions with 421', async () => {
    const { proxy } = await setup({ maxSessions: 1 });
    const second = await RawFtp.connect(PROXY_HOST, proxy.address()!.port);
    expect((await second.reply()).lines).toEqual(['421 Too many connections, try again later.']);
    await second.closed;
  });

  it('refuses a data connection from another address than the client’s', async () => {
    const { peer, client, log } = await setup();
    client.send('PASV');
    await peer.next();
    peer.send('227 Entering Passive Mode (127,0,0,2,117,51).\r\n');
    const port = dataPort((await client.reply()).lines[0]!);
    const stranger: Socket = connect({ host: PROXY_HOST, port, localAddress: '127.0.0.9' });
    stranger.on('error', () => {});
    await new Promise((resolve) => stranger.once('close', resolve));
    expect(
      log.some((line) =>
        /refused a connection from 127\.0\.0\.9:\d+ \(not 127\.0\.0\.1\)/.test(line),
      ),
    ).toBe(true);
  });

  it('answers 425 when every passive port is taken', async () => {
    const port = await freePort(PROXY_HOST);
    const first = await setup({ passivePorts: { min: port, max: port } });
    first.client.send('PASV');
    await first.peer.next();
    expect(first.proxy.stats().passivePorts).toBe(1);
    const second = await RawFtp.connect(PROXY_HOST, first.proxy.address()!.port);
    cleanups.push(() => second.close());
    const peer = await first.server.accept();
    await second.reply();
    expect((await second.command('PASV')).lines).toEqual(['425 Cannot open a passive data port.']);
    second.send('NOOP');
    expect(await peer.next()).toBe('NOOP\r\n');
  });
});
