/**
 * curl CVE-2021-22947 through the proxy: a server (or a man in the middle before TLS) answers
 * AUTH TLS with 234 and pipelines more replies in clear text right behind it; curl read them
 * after the handshake as if they had come protected. The proxy must never pass such bytes to
 * its client, in clear or inside the client's TLS. The NAT-level check of the same rule is
 * `test/nat/session.test.ts` › STARTTLS injection (CVE-2021-22947 class).
 */
import { connect as connectTls } from 'node:tls';
import { FtpProxy } from '@ftpwire/proxy';
import { afterEach, describe, expect, it } from 'vitest';
import { RawFtp } from '../e2e/harness/raw-client.js';
import { createScratch, createTlsFiles } from '../e2e/harness/temp.js';
import { type ScriptedPeer, startScriptedServer } from '../proxy/scripted-server.js';

const PROXY_HOST = '127.0.0.3';
const INJECTED = '227 Entering Passive Mode (6,6,6,6,0,21)\r\n150 injected\r\n';
const cleanups: (() => unknown)[] = [];

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function setup(): Promise<{
  peer: ScriptedPeer;
  client: RawFtp;
  received: () => string;
  log: string[];
}> {
  const scratch = createScratch('cve-2021-22947');
  cleanups.push(() => scratch.remove());
  const tls = createTlsFiles(scratch.dir);
  const log: string[] = [];
  const server = await startScriptedServer();
  cleanups.push(() => server.stop());
  const proxy = new FtpProxy({
    listen: { host: PROXY_HOST, port: 0 },
    upstream: { host: '127.0.0.1', port: server.port },
    tls: { cert: tls.cert, key: tls.key },
    log: (line) => log.push(line),
  });
  const { port } = await proxy.listen();
  cleanups.push(() => proxy.close());
  const client = await RawFtp.connect(PROXY_HOST, port);
  cleanups.push(() => client.close());
  let text = '';
  client.socket.on('data', (chunk: string) => {
    text += chunk;
  });
  const peer = await server.accept();
  expect((await client.reply()).lines).toEqual(['220 scripted']);
  return { peer, client, received: () => text, log };
}

describe('regressions: replies pipelined before the TLS handshake', () => {
  it('curl CVE-2021-22947: replies sent in clear in the same packet as the 234 never reach the client', async () => {
    const { peer, client, received, log } = await setup();
    client.send('AUTH TLS');
    expect(await peer.next()).toBe('AUTH TLS\r\n');
    peer.send(`234 Proceed with negotiation.\r\n${INJECTED}`);
    await client.closed;
    expect(received()).not.toContain('6,6,6,6');
    expect(received()).not.toContain('injected');
    expect(
      log.some((line) =>
        /close after .*ERR_PROTOCOL: the server sent clear text after its 234/.test(line),
      ),
    ).toBe(true);
  }, 15_000);

  it('curl CVE-2021-22947: replies sent in clear after the 234, before the handshake, never reach the client in or out of TLS', async () => {
    const { peer, client, received, log } = await setup();
    client.send('AUTH TLS');
    expect(await peer.next()).toBe('AUTH TLS\r\n');
    peer.send('234 Proceed with negotiation.\r\n');
    expect((await client.reply()).code).toBe(234);
    peer.send(INJECTED);
    // The client now starts TLS with the proxy, and reads whatever comes inside it.
    client.socket.removeAllListeners('data');
    let inside = '';
    const tls = connectTls({ socket: client.socket, rejectUnauthorized: false });
    tls.setEncoding('latin1');
    tls.on('data', (chunk: string) => {
      inside += chunk;
    });
    tls.on('error', () => {});
    await new Promise<void>((resolve) => {
      tls.once('close', () => resolve());
      // If the session survives, ask something so that the injected replies would surface.
      tls.once('secureConnect', () => tls.write('NOOP\r\n'));
    });
    expect(received()).not.toContain('6,6,6,6');
    expect(inside).not.toContain('6,6,6,6');
    expect(inside).not.toContain('injected');
    // The clear bytes reach the proxy's TLS client toward the server, which refuses them.
    expect(log.some((line) => /close after .*ERR_/.test(line))).toBe(true);
  }, 15_000);
});
