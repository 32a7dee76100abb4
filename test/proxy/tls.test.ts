import { connect, createServer, type Socket } from 'node:net';
import { connect as connectTlsClient, createServer as createTlsServer } from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { acceptTls, connectTls, createClientContext } from '../../packages/proxy/src/tls.ts';
import { createScratch, createTlsFiles, type Scratch, type TlsFiles } from '../e2e/harness/temp.js';

let scratch: Scratch;
let tls: TlsFiles;
beforeAll(() => {
  scratch = createScratch('tls');
  tls = createTlsFiles(scratch.dir);
});
afterAll(() => scratch.remove());

/** A TLS server on 127.0.0.1 (the test's "FTP server") and a raw TCP connection to it. */
async function tlsServer(): Promise<{ port: number; close(): void }> {
  const server = createTlsServer({ cert: tls.cert, key: tls.key }, (socket) => socket.end());
  await new Promise<void>((resolve) => server.listen({ host: '127.0.0.1', port: 0 }, resolve));
  return { port: (server.address() as { port: number }).port, close: () => server.close() };
}

function tcp(port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.once('connect', () => resolve(socket));
    socket.once('error', reject);
  });
}

describe('connectTls', () => {
  it('verifies the server against the CA it is given, by IP subjectAltName', async () => {
    const server = await tlsServer();
    const upstream = { host: '127.0.0.1', port: server.port };
    const ok = await connectTls(
      await tcp(server.port),
      { upstream, verify: true, ca: tls.cert },
      5000,
    );
    expect(ok.authorized).toBe(true);
    ok.destroy();
    await expect(
      connectTls(await tcp(server.port), { upstream, verify: true }, 5000),
    ).rejects.toMatchObject({
      code: 'ERR_TLS',
      message: expect.stringMatching(/self[- ]signed certificate/),
    });
    const wrongName = { host: '127.0.0.2', port: server.port };
    await expect(
      connectTls(await tcp(server.port), { upstream: wrongName, verify: true, ca: tls.cert }, 5000),
    ).rejects.toMatchObject({
      code: 'ERR_TLS',
      message: expect.stringContaining("IP: 127.0.0.2 is not in the cert's list"),
    });
    const unchecked = await connectTls(await tcp(server.port), { upstream, verify: false }, 5000);
    expect(unchecked.authorized).toBe(false);
    unchecked.destroy();
    server.close();
  });

  it('gives up with ERR_CONNECT_TIMEOUT when the handshake stalls', async () => {
    const silent = createServer(() => {});
    await new Promise<void>((resolve) => silent.listen({ host: '127.0.0.1', port: 0 }, resolve));
    const port = (silent.address() as { port: number }).port;
    await expect(
      connectTls(await tcp(port), { upstream: { host: '127.0.0.1', port }, verify: false }, 100),
    ).rejects.toMatchObject({ code: 'ERR_CONNECT_TIMEOUT' });
    silent.close();
  });
});

describe('acceptTls', () => {
  it('lets a client resume its session on a second connection (what data connections need)', async () => {
    const context = createClientContext({ cert: tls.cert, key: tls.key });
    const server = createServer({ pauseOnConnect: true }, (socket) => {
      void acceptTls(socket, context, 5000).then((secure) => secure.end('x'));
    });
    await new Promise<void>((resolve) => server.listen({ host: '127.0.0.1', port: 0 }, resolve));
    const port = (server.address() as { port: number }).port;
    const handshake = (session?: Buffer) =>
      new Promise<{ reused: boolean; session: Buffer | undefined }>((resolve, reject) => {
        let latest: Buffer | undefined;
        const client = connectTlsClient({
          host: '127.0.0.1',
          port,
          rejectUnauthorized: false,
          ...(session ? { session } : {}),
        });
        client.on('session', (ticket: Buffer) => {
          latest = ticket;
        });
        client.once('error', reject);
        client.on('data', () => {});
        client.once('end', () => resolve({ reused: client.isSessionReused(), session: latest }));
      });
    const first = await handshake();
    expect(first.reused).toBe(false);
    expect(first.session).toBeDefined();
    expect((await handshake(first.session)).reused).toBe(true);
    server.close();
  });
});
