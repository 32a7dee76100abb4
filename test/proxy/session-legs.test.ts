// The I/O side of upstreamData passive, against a server the test scripts: the proxy connects to
// the server's passive port and to the client's active one once the transfer command has gone,
// each from the address of its own control connection, and a client it cannot reach gets 425
// while the server's transfer is reset, never completed.
import { createServer, type Server, type Socket } from 'node:net';
import { FtpProxy } from '@ftpwire/proxy';
import { afterEach, describe, expect, it } from 'vitest';
import { freePort } from '../e2e/harness/ports.js';
import { RawFtp, readAll } from '../e2e/harness/raw-client.js';
import { startScriptedServer } from './scripted-server.js';

const PROXY_HOST = '127.0.0.3';
const cleanups: (() => unknown)[] = [];

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** A listener on 127.0.0.1 that hands over its first connection. */
async function listener(): Promise<{ server: Server; port: number; accepted: Promise<Socket> }> {
  let resolve!: (socket: Socket) => void;
  const accepted = new Promise<Socket>((done) => {
    resolve = done;
  });
  const server = createServer((socket) => resolve(socket));
  await new Promise<void>((done) => server.listen({ host: '127.0.0.1', port: 0 }, done));
  cleanups.push(() => server.close());
  return { server, port: (server.address() as { port: number }).port, accepted };
}

async function setup() {
  const upstream = await startScriptedServer();
  cleanups.push(() => upstream.stop());
  const log: string[] = [];
  const proxy = new FtpProxy({
    listen: { host: PROXY_HOST, port: 0 },
    upstream: { host: '127.0.0.1', port: upstream.port },
    upstreamData: 'passive',
    log: (line) => log.push(line),
  });
  const { port } = await proxy.listen();
  cleanups.push(() => proxy.close());
  const client = await RawFtp.connect(PROXY_HOST, port);
  cleanups.push(() => client.close());
  const peer = await upstream.accept();
  await client.reply();
  return { proxy, peer, client, log };
}

const portArgument = (port: number) => `127,0,0,1,${port >> 8},${port & 255}`;

describe('upstreamData passive: the proxy connects to both sides', () => {
  it('relays a RETR from the server’s passive port to the client’s active one', async () => {
    const { peer, client } = await setup();
    const clientData = await listener();
    const serverData = await listener();
    client.send(`PORT ${portArgument(clientData.port)}`);
    expect(await peer.next()).toBe('PASV\r\n');
    peer.send(
      `227 Entering Passive Mode (10,9,8,7,${serverData.port >> 8},${serverData.port & 255}).\r\n`,
    );
    expect((await client.reply()).lines).toEqual(['200 PORT command successful.']);
    client.send('RETR file');
    expect(await peer.next()).toBe('RETR file\r\n');
    // The proxy dials the server where its control connection goes, whatever the 227 named.
    const fromProxy = await serverData.accepted;
    expect(fromProxy.remoteAddress).toBe('127.0.0.1');
    peer.send('150 Here it comes.\r\n');
    fromProxy.end('the bytes of the file');
    const toClient = await clientData.accepted;
    // ... and the client from the address the client reached it at.
    expect(toClient.remoteAddress).toBe(PROXY_HOST);
    // The end of the file reaches the client once the server's 226 says it is whole.
    const file = readAll(toClient);
    peer.send('226 Done.\r\n');
    expect((await file).toString()).toBe('the bytes of the file');
    expect((await client.reply()).lines).toEqual(['150 Here it comes.']);
    expect((await client.reply()).lines).toEqual(['226 Done.']);
  });

  it('a client port nobody listens on: the server’s connection is reset and the client gets 425', async () => {
    const { peer, client, log } = await setup();
    const closedPort = await freePort();
    const serverData = await listener();
    client.send(`PORT ${portArgument(closedPort)}`);
    expect(await peer.next()).toBe('PASV\r\n');
    peer.send(`227 ok (127,0,0,1,${serverData.port >> 8},${serverData.port & 255})\r\n`);
    await client.reply();
    client.send('RETR file');
    await peer.next();
    const fromProxy = await serverData.accepted;
    const reset = new Promise<string | undefined>((resolve) => {
      fromProxy.once('error', (error: NodeJS.ErrnoException) => resolve(error.code));
      fromProxy.once('close', () => resolve(undefined));
    });
    fromProxy.resume();
    expect(await reset).toBe('ECONNRESET');
    // The server took its transfer for complete: the client must not be told so.
    peer.send('150 Here it comes.\r\n226 Done.\r\n');
    expect((await client.reply()).lines).toEqual(['150 Here it comes.']);
    expect((await client.reply()).lines).toEqual([
      '425 Cannot open the data connection to the client.',
    ]);
    expect(
      log.some((line) =>
        / data active-passive to client port \d+: cannot connect to 127\.0\.0\.1:/.test(line),
      ),
    ).toBe(true);
  });
});
