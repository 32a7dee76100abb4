// The modes beyond the transfer matrix: active mode (relayed, plain and FTPS), implicit FTPS,
// rewrite-only passive mode behind a port forward, and the check of the server's certificate.
import { connect, createServer, type Server, type Socket } from 'node:net';
import { connect as connectTls } from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { curl, FTPS, TRUST_PASV } from './harness/curl.js';
import { startFtpSrv } from './harness/ftp-srv.js';
import { type InProcessProxy, PROXY_HOST, startProxy } from './harness/proxy.js';
import { RawFtp, readAll } from './harness/raw-client.js';
import type { ServerUnderTest } from './harness/suite.js';
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
type Start = (scratch: Scratch, tls: TlsFiles, implicit: boolean) => Promise<ServerUnderTest>;
const servers: { name: string; skip: boolean; start: Start }[] = [
  {
    name: 'vsftpd',
    skip: vsftpd.skip,
    start: (scratch, tls, implicit) => startVsftpd(scratch.dir, { tls, implicit }),
  },
  {
    name: 'ftp-srv',
    skip: false,
    start: (scratch, tls, implicit) => startFtpSrv(scratch.dir, { tls, implicit }),
  },
];

/** RETR in active mode with the raw client: the proxy connects back to `listener`. */
async function activeDownload(proxyPort: number, name: string, secure: boolean): Promise<Buffer> {
  const client = await RawFtp.connect(PROXY_HOST, proxyPort);
  try {
    await client.reply();
    const control = secure ? await client.secure() : undefined;
    await client.login();
    await client.command('TYPE I');
    const { server, eprt } = await RawFtp.activeListener();
    try {
      const accepted = new Promise<Socket>((resolve) => server.once('connection', resolve));
      expect((await client.command(eprt)).code).toBe(200);
      client.send(`RETR ${name}`);
      const socket = await accepted;
      // RFC 4217 §7: the client is the TLS client on data connections, active mode too.
      const data = secure
        ? connectTls({ socket, rejectUnauthorized: false, session: control!.getSession()! })
        : socket;
      socket.resume();
      const [bytes, reply] = await Promise.all([readAll(data), client.reply()]);
      expect(reply.code).toBe(150);
      expect((await client.reply()).code).toBe(226);
      return bytes;
    } finally {
      server.close();
    }
  } finally {
    client.close();
  }
}

for (const { name, skip, start } of servers) {
  describe.skipIf(skip)(`${name}: active mode through the proxy`, () => {
    let scratch: Scratch;
    let server: ServerUnderTest;
    let proxy: InProcessProxy;
    let file: TestFile;

    beforeAll(async () => {
      scratch = createScratch(`active-${name}`);
      const tls = createTlsFiles(scratch.dir);
      server = await start(scratch, tls, false);
      [file] = createTestFiles(server.root, [3 * MiB + 7]) as [TestFile];
      proxy = await startProxy({
        upstream: { host: '127.0.0.1', port: server.port },
        tls: { cert: tls.cert, key: tls.key },
        upstreamTls: { ca: tls.cert },
      });
    }, 60_000);

    afterAll(async () => {
      await proxy?.stop();
      await server?.stop();
      scratch?.remove();
    });

    it('curl with PORT (-P): download and upload', async () => {
      const down = await curl(['-P', '127.0.0.1', proxy.url(file.name)]);
      expect(down.code, down.stderr).toBe(0);
      expect(sha256(down.stdout)).toBe(file.sha256);
      expect(
        proxy.lines.some((line) =>
          /rewrite EPRT 127\.0\.0\.1:\d+ -> EPRT \|1\|127\.0\.0\.1\|\d+\|/.test(line),
        ),
      ).toBe(true);
    }, 30_000);

    for (const secure of [false, true]) {
      it(`a client doing EPRT ${secure ? 'over FTPS with PROT P' : 'in plain FTP'}: the data arrives whole`, async () => {
        const bytes = await activeDownload(proxy.port, file.name, secure);
        expect(bytes.length).toBe(file.size);
        expect(sha256(bytes)).toBe(file.sha256);
      }, 30_000);
    }
  });

  describe.skipIf(skip)(`${name}: implicit FTPS through the proxy`, () => {
    let scratch: Scratch;
    let server: ServerUnderTest;
    let proxy: InProcessProxy;
    let file: TestFile;

    beforeAll(async () => {
      scratch = createScratch(`implicit-${name}`);
      const tls = createTlsFiles(scratch.dir);
      server = await start(scratch, tls, true);
      [file] = createTestFiles(server.root, [MiB + 3]) as [TestFile];
      proxy = await startProxy({
        upstream: { host: '127.0.0.1', port: server.port },
        tls: { cert: tls.cert, key: tls.key },
        implicitTls: true,
        upstreamTls: { ca: tls.cert },
      });
    }, 60_000);

    afterAll(async () => {
      await proxy?.stop();
      await server?.stop();
      scratch?.remove();
    });

    it('curl ftps:// trusting the 227: download and list', async () => {
      const url = `ftps://${PROXY_HOST}:${proxy.port}/`;
      const down = await curl(['-k', ...TRUST_PASV, `${url}${file.name}`]);
      expect(down.code, down.stderr).toBe(0);
      expect(sha256(down.stdout)).toBe(file.sha256);
      const list = await curl(['-k', url]);
      expect(list.stdout.toString()).toContain(file.name);
      expect(proxy.lines.some((line) => / \(implicit TLS\)$/.test(line))).toBe(true);
    }, 30_000);
  });
}

describe.skipIf(vsftpd.skip)('vsftpd: rewrite-only passive mode behind a port forward', () => {
  let scratch: Scratch;
  let server: Vsftpd;
  let proxy: InProcessProxy;
  let file: TestFile;
  const forwarders: Server[] = [];

  beforeAll(async () => {
    scratch = createScratch('rewrite');
    const tls = createTlsFiles(scratch.dir);
    server = await startVsftpd(scratch.dir, { tls, pasvPorts: 10 });
    [file] = createTestFiles(server.root, [MiB]) as [TestFile];
    // The NAT's port forward: the public host's passive range leads to the server's.
    for (let port = server.pasvPorts.min; port <= server.pasvPorts.max; port++) {
      const forwarder = createServer((inside) => {
        const outside = connect({ host: '127.0.0.1', port });
        inside.pipe(outside).pipe(inside);
        inside.on('error', () => outside.destroy());
        outside.on('error', () => inside.destroy());
      });
      await new Promise<void>((resolve) => forwarder.listen({ host: PROXY_HOST, port }, resolve));
      forwarders.push(forwarder);
    }
    proxy = await startProxy({
      upstream: { host: '127.0.0.1', port: server.port },
      passiveMode: 'rewrite',
      tls: { cert: tls.cert, key: tls.key },
      upstreamTls: { ca: tls.cert },
    });
  }, 60_000);

  afterAll(async () => {
    await proxy?.stop();
    for (const forwarder of forwarders) forwarder.close();
    await server?.stop();
    scratch?.remove();
  });

  it('plain FTP: the 227 names the public host and the server’s own port, and the transfer works', async () => {
    const down = await curl([...TRUST_PASV, proxy.url(file.name)]);
    expect(down.code, down.stderr).toBe(0);
    expect(sha256(down.stdout)).toBe(file.sha256);
    expect(
      proxy.lines.some((line) => /rewrite 127\.0\.0\.2:(\d+) -> 127\.0\.0\.3:\1: /.test(line)),
    ).toBe(true);
  }, 30_000);

  it('FTPS: refused by vsftpd, whose data TLS must resume the control session the proxy holds', async () => {
    const down = await curl([...FTPS, ...TRUST_PASV, proxy.url(file.name)]);
    expect(down.code).not.toBe(0);
    // The documented limit of rewrite mode (see PassiveMode's TSDoc).
    await waitFor(
      () => server.log().includes('No SSL session reuse on data channel.'),
      'vsftpd to refuse',
    );
  }, 30_000);
});

describe('the server’s certificate', () => {
  let scratch: Scratch;
  let server: ServerUnderTest;
  let file: TestFile;

  beforeAll(async () => {
    scratch = createScratch('verify');
    const tls = createTlsFiles(scratch.dir);
    server = await startFtpSrv(scratch.dir, { tls });
    [file] = createTestFiles(server.root, [1000]) as [TestFile];
  }, 60_000);

  afterAll(async () => {
    await server?.stop();
    scratch?.remove();
  });

  it('is verified by default: a self-signed server is refused, and the client is told', async () => {
    const proxyTls = createTlsFiles(scratch.dir, 'proxy');
    const proxy = await startProxy({
      upstream: { host: '127.0.0.1', port: server.port },
      tls: { cert: proxyTls.cert, key: proxyTls.key },
    });
    try {
      const down = await curl([...FTPS, proxy.url(file.name)]);
      expect(down.code).not.toBe(0);
      expect(
        proxy.lines.some((line) =>
          /ERR_TLS: the TLS handshake with the server failed: self[- ]signed certificate/.test(
            line,
          ),
        ),
      ).toBe(true);
    } finally {
      await proxy.stop();
    }
  }, 30_000);

  it('is accepted unchecked with upstreamTls.verify false (--insecure-upstream)', async () => {
    const proxyTls = createTlsFiles(scratch.dir, 'proxy2');
    const proxy = await startProxy({
      upstream: { host: '127.0.0.1', port: server.port },
      tls: { cert: proxyTls.cert, key: proxyTls.key },
      upstreamTls: { verify: false },
    });
    try {
      const down = await curl([...FTPS, proxy.url(file.name)]);
      expect(down.code, down.stderr).toBe(0);
      expect(sha256(down.stdout)).toBe(file.sha256);
    } finally {
      await proxy.stop();
    }
  }, 30_000);
});
