// The end of a download reaches the client as the transfer's final reply says, not as soon as
// the server's data connection ends: a server that dies mid-transfer has its kernel close the
// data connection in order (a FIN) before the proxy hears, on the control connection, that it
// died. Driven step by step with a scripted server: every event waited for, no sleep.
import { createServer, type Server, type Socket } from 'node:net';
import { FtpProxy } from '@ftpwire/proxy';
import { afterEach, describe, expect, it } from 'vitest';
import { openData, RawFtp } from '../e2e/harness/raw-client.js';
import { type ScriptedPeer, startScriptedServer } from './scripted-server.js';

const PROXY_HOST = '127.0.0.3';
const FILE = 100_000;
const cleanups: (() => unknown)[] = [];

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** How the client's data connection went: its bytes, and whether it ended or was reset. */
interface ClientData {
  readonly socket: Socket;
  received: number;
  /** Resolves with 'end' (an orderly end) or the error code (a reset) when the connection closes. */
  readonly outcome: Promise<string>;
  /** Resolves once `bytes` have arrived. */
  receivedAll(bytes: number): Promise<void>;
}

function watch(socket: Socket): ClientData {
  let notify: (() => void) | undefined;
  let wanted = Number.POSITIVE_INFINITY;
  const data: ClientData = {
    socket,
    received: 0,
    outcome: new Promise((resolve) => {
      let how = 'close';
      socket.once('end', () => {
        how = 'end';
      });
      socket.once('error', (error: NodeJS.ErrnoException) => {
        how = error.code ?? 'error';
      });
      socket.once('close', () => resolve(how));
    }),
    receivedAll: (bytes) =>
      new Promise((resolve) => {
        wanted = bytes;
        notify = resolve;
        if (data.received >= wanted) resolve();
      }),
  };
  socket.on('data', (chunk: Buffer) => {
    data.received += chunk.length;
    if (data.received >= wanted) notify?.();
  });
  return data;
}

interface Transfer {
  readonly client: RawFtp;
  readonly peer: ScriptedPeer;
  /** The server's side of the data connection. */
  readonly serverData: Socket;
  readonly clientData: ClientData;
}

/** A session through the proxy, PASV, the data connection made, and `command` sent and 150'd. */
async function transfer(command: string): Promise<Transfer> {
  const server = await startScriptedServer();
  cleanups.push(() => server.stop());
  const proxy = new FtpProxy({
    listen: { host: PROXY_HOST, port: 0 },
    upstream: { host: '127.0.0.1', port: server.port },
    log: () => {},
  });
  const { port } = await proxy.listen();
  cleanups.push(() => proxy.close());
  const client = await RawFtp.connect(PROXY_HOST, port);
  cleanups.push(() => client.close());
  const peer = await server.accept();
  await client.reply();
  const listener: Server = createServer();
  cleanups.push(() => listener.close());
  await new Promise<void>((resolve) => listener.listen({ host: '127.0.0.1', port: 0 }, resolve));
  const dataPort = (listener.address() as { port: number }).port;
  const accepted = new Promise<Socket>((resolve) => listener.once('connection', resolve));
  const pasv = client.pasv();
  expect(await peer.next()).toBe('PASV\r\n');
  peer.send(`227 Entering Passive Mode (127,0,0,1,${dataPort >> 8},${dataPort & 255}).\r\n`);
  const { host, port: proxyPort } = await pasv;
  const data = await openData(host, proxyPort);
  cleanups.push(() => data.socket.destroy());
  const clientData = watch(data.socket);
  // The proxy dials the server's data port once the client has connected to its own.
  const serverData = await accepted;
  serverData.on('error', () => {});
  cleanups.push(() => serverData.destroy());
  client.send(command);
  expect(await peer.next()).toBe(`${command}\r\n`);
  peer.send('150 here it comes\r\n');
  expect((await client.reply()).code).toBe(150);
  return { client, peer, serverData, clientData };
}

/**
 * The server sends the file and ends its data connection; resolves once the proxy has read that
 * end (it ends its own side toward the server in the same turn) and the client has every byte.
 */
async function serverSendsAndEnds({ serverData, clientData }: Transfer): Promise<void> {
  const proxyEnded = new Promise((resolve) => serverData.once('end', resolve));
  serverData.resume();
  serverData.end(Buffer.alloc(FILE, 0x42));
  await Promise.all([proxyEnded, clientData.receivedAll(FILE)]);
}

describe('the end of a download waits for the final reply', () => {
  it('defect 8: the server dies after ending its data connection: the client gets a reset, never an orderly end', async () => {
    const t = await transfer('RETR file');
    await serverSendsAndEnds(t);
    // The server's process dies: its control connection goes too.
    t.peer.socket.resetAndDestroy();
    expect((await t.client.reply()).code).toBe(426);
    expect((await t.client.reply()).code).toBe(421);
    expect(await t.clientData.outcome).toBe('ECONNRESET');
    expect(t.clientData.received).toBe(FILE);
  });

  it('a 226 after the server’s end passes the end on, every byte before it', async () => {
    const t = await transfer('RETR file');
    await serverSendsAndEnds(t);
    t.peer.send('226 Transfer complete.\r\n');
    expect((await t.client.reply()).code).toBe(226);
    expect(await t.clientData.outcome).toBe('end');
    expect(t.clientData.received).toBe(FILE);
  });

  it('a 226 before the server’s end: the end passes on at once, with no wait for a timer', async () => {
    const t = await transfer('RETR file');
    t.peer.send('226 Transfer complete.\r\n');
    expect((await t.client.reply()).code).toBe(226);
    await serverSendsAndEnds(t);
    // The hold (5 s) is longer than this test's timeout: an end that waited for it would fail.
    expect(await t.clientData.outcome).toBe('end');
  }, 2_000);

  it('a 451 after the server’s end resets the client’s data connection', async () => {
    const t = await transfer('RETR file');
    await serverSendsAndEnds(t);
    t.peer.send('451 Local error in processing.\r\n');
    expect((await t.client.reply()).code).toBe(451);
    expect(await t.clientData.outcome).toBe('ECONNRESET');
  });

  it('ABOR while the server’s end is held resets the client’s data connection', async () => {
    const t = await transfer('RETR file');
    await serverSendsAndEnds(t);
    t.client.send('ABOR');
    expect(await t.clientData.outcome).toBe('ECONNRESET');
    expect(await t.peer.next()).toBe('ABOR\r\n');
    t.peer.send('426 Transfer aborted.\r\n225 ABOR command successful.\r\n');
    expect((await t.client.reply()).code).toBe(426);
    expect((await t.client.reply()).code).toBe(225);
  });

  it('an upload’s end reaches the server at once, before any reply', async () => {
    const t = await transfer('STOR file');
    const stored = new Promise<number>((resolve) => {
      let bytes = 0;
      t.serverData.on('data', (chunk: Buffer) => {
        bytes += chunk.length;
      });
      t.serverData.once('end', () => resolve(bytes));
    });
    t.clientData.socket.end(Buffer.alloc(FILE, 0x43));
    expect(await stored).toBe(FILE);
    t.peer.send('226 Transfer complete.\r\n');
    expect((await t.client.reply()).code).toBe(226);
    expect(await t.clientData.outcome).toBe('end');
  });
});
