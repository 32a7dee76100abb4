import { connect, createServer, type Server, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { DataRelay } from '../../packages/proxy/src/data-relay.ts';

const servers: Server[] = [];
afterEach(() => {
  for (const server of servers.splice(0)) server.close();
});

/** A connected pair of sockets: [the end the test drives, the end given to the relay]. */
async function pair(): Promise<[Socket, Socket]> {
  const server = createServer({ pauseOnConnect: true });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen({ host: '127.0.0.1', port: 0 }, resolve));
  const accepted = new Promise<Socket>((resolve) => server.once('connection', resolve));
  const outer = connect({ host: '127.0.0.1', port: (server.address() as { port: number }).port });
  outer.on('error', () => {});
  const inner = await accepted;
  return [outer, inner];
}

function readAll(socket: Socket): Promise<Buffer> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.once('end', () => resolve(Buffer.concat(chunks)));
  });
}

describe('DataRelay', () => {
  it('carries a file one way and passes its end on, counting the bytes', async () => {
    const [client, clientInner] = await pair();
    const [server, serverInner] = await pair();
    const relay = new DataRelay(clientInner, serverInner, { idleTimeout: 10_000 });
    const received = readAll(client);
    const file = Buffer.alloc(3 * 1024 * 1024 + 1, 7);
    server.end(file);
    expect((await received).equals(file)).toBe(true);
    client.end();
    const result = await relay.done;
    expect(result).toEqual({ toUpstream: 0, toClient: file.length, error: undefined });
  });

  it('holds the server’s end for endHold ms at most without a final reply, then passes it on', async () => {
    const [client, clientInner] = await pair();
    const [server, serverInner] = await pair();
    let released = 0;
    const relay = new DataRelay(clientInner, serverInner, {
      idleTimeout: 10_000,
      endHold: 20,
      released: () => released++,
    });
    const received = readAll(client);
    server.end(Buffer.alloc(1000, 7));
    expect((await received).length).toBe(1000);
    expect(released).toBe(1);
    client.end();
    expect((await relay.done).error).toBeUndefined();
  });

  it('settle(true) after the server’s end passes the end on without waiting for endHold', async () => {
    const [client, clientInner] = await pair();
    const [server, serverInner] = await pair();
    let released = 0;
    const relay = new DataRelay(clientInner, serverInner, {
      idleTimeout: 10_000,
      endHold: 60_000,
      released: () => released++,
    });
    const received = readAll(client);
    // The relay ends its side toward the server in the turn it reads the server's end.
    const read = new Promise((resolve) => server.once('end', resolve));
    server.resume();
    server.end(Buffer.alloc(1000, 7));
    await read;
    relay.settle(true);
    expect((await received).length).toBe(1000);
    expect(released).toBe(0);
  });

  it('passes a reset on as an abort: the partner is destroyed at once', async () => {
    const [client, clientInner] = await pair();
    const [server, serverInner] = await pair();
    const relay = new DataRelay(clientInner, serverInner, { idleTimeout: 10_000 });
    client.write('partial upload');
    await new Promise((resolve) => server.once('data', resolve));
    client.resetAndDestroy();
    await new Promise((resolve) => server.once('close', resolve));
    const result = await relay.done;
    expect(result.toUpstream).toBe(14);
    expect(result.error?.code).toBe('ERR_PEER_CLOSED');
  });

  it('closes a transfer that moves nothing for idleTimeout', async () => {
    const [client, clientInner] = await pair();
    const [server, serverInner] = await pair();
    const relay = new DataRelay(clientInner, serverInner, { idleTimeout: 100 });
    const result = await relay.done;
    expect(result.error?.code).toBe('ERR_IDLE_TIMEOUT');
    client.destroy();
    server.destroy();
  });
});
