// The real servers the adversarial battery runs against, each behind the real CLI in a child
// process: vsftpd 3.0.3 (reads lines its own way, strips Telnet, answers nothing to an empty
// line) and ftp-srv 4.6.3 (splits each TCP chunk on CRLF, drops `"`, trims the verb). A test asks
// each what it actually received and did, never only what the client was told.
import { createServer, type Server, type Socket } from 'node:net';
import { startFtpSrv } from '../harness/ftp-srv.js';
import { freePortRange } from '../harness/ports.js';
import { type ChildProxy, PROXY_HOST, proxyArguments, startChildProxy } from '../harness/proxy.js';
import type { ServerUnderTest } from '../harness/suite.js';
import {
  createScratch,
  createTestFiles,
  createTlsFiles,
  type Scratch,
  type TestFile,
  type TlsFiles,
} from '../harness/temp.js';
import { startVsftpd, vsftpdCases } from '../harness/vsftpd.js';

export interface Upstream {
  readonly name: string;
  readonly skip: boolean;
  start(scratch: Scratch, tls: TlsFiles): Promise<ServerUnderTest>;
}

const vsftpd = vsftpdCases();

export const UPSTREAMS: readonly Upstream[] = [
  {
    name: 'vsftpd',
    skip: vsftpd.skip,
    start: (scratch, tls) => startVsftpd(scratch.dir, { tls }),
  },
  {
    name: 'ftp-srv',
    skip: false,
    start: (scratch, tls) => startFtpSrv(scratch.dir, { tls }),
  },
];

export interface Battery {
  readonly scratch: Scratch;
  readonly tls: TlsFiles;
  readonly server: ServerUnderTest;
  readonly proxy: ChildProxy;
  /** A 1000-byte and an empty file in the server's root. */
  readonly file: TestFile;
  readonly empty: TestFile;
  stop(): Promise<number | null>;
}

/** One server, and the proxy in front of it with `extra` arguments. */
export async function startBattery(
  upstream: Upstream,
  name: string,
  extra: readonly string[] = [],
  listen?: string,
): Promise<Battery> {
  const scratch = createScratch(`adversarial-${name}-${upstream.name}`);
  const tls = createTlsFiles(scratch.dir);
  const server = await upstream.start(scratch, tls);
  const [file, empty] = createTestFiles(server.root, [1000, 0]) as [TestFile, TestFile];
  const range = await freePortRange(100, [PROXY_HOST]);
  const proxy = await startChildProxy(
    [
      ...proxyArguments(server.port, tls),
      '--passive-ports',
      `${range.min}-${range.max}`,
      '--upstream-ca',
      tls.certFile,
      ...extra,
    ],
    undefined,
    listen,
  );
  let stopped: Promise<number | null> | undefined;
  return {
    scratch,
    tls,
    server,
    proxy,
    file,
    empty,
    // Idempotent: a test may stop its battery and the afterAll hook stop it again.
    stop: () => {
      stopped ??= (async () => {
        const code = await proxy.stop();
        await server.stop();
        scratch.remove();
        return code;
      })();
      return stopped;
    },
  };
}

/** An FTP bounce target: a listener on another loopback host that records every connection. */
export interface Listener {
  readonly host: string;
  readonly port: number;
  readonly connections: number;
  close(): Promise<void>;
}

export async function startListener(host: string, port = 0): Promise<Listener> {
  let connections = 0;
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    connections++;
    sockets.add(socket);
    socket.on('error', () => {});
    socket.resume();
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host, port }, () => resolve());
  });
  return {
    host,
    port: (server.address() as { port: number }).port,
    get connections() {
      return connections;
    },
    close: () =>
      new Promise((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

/** Resolves after `ms`, for waits where nothing must happen. */
export const quiet = (ms: number): Promise<void> =>
  new Promise((resolve) => setTimeout(resolve, ms));
