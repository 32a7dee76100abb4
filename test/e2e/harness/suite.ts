// The transfer matrix every server goes through: curl trusting the 227 (only a correct rewrite
// works), curl with EPSV, basic-ftp with EPSV and PASV; plain FTP and explicit FTPS with PROT P;
// list, download and upload from 0 bytes to 64 MiB, each checked by sha256.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { basicFtp, download, upload } from './clients.js';
import { curl, FTPS, TRUST_PASV } from './curl.js';
import { type InProcessProxy, PROXY_HOST, startProxy } from './proxy.js';
import {
  createScratch,
  createTestFiles,
  createTlsFiles,
  fileSha256,
  MiB,
  type Scratch,
  sha256,
  type TestFile,
  type TlsFiles,
} from './temp.js';
import { waitFor } from './wait.js';

export interface ServerUnderTest {
  readonly port: number;
  /** Where the server serves files from. */
  readonly root: string;
  /** Where uploads to `pub/` land. */
  readonly uploads: string;
  /** Every command line the server has received so far, as it read it (without CRLF). */
  commands(): string[];
  stop(): Promise<void>;
}

export type StartServer = (scratch: Scratch, tls: TlsFiles) => Promise<ServerUnderTest>;

/** Sizes served: empty, one byte, one past a 64 KiB buffer, 1 MiB; 64 MiB only where named. */
const SIZES = [0, 1, 65_537, MiB];
const BIG = 64 * MiB;

export function transferSuite(name: string, start: StartServer, skip = false): void {
  describe.skipIf(skip)(`${name} through the proxy`, () => {
    let scratch: Scratch;
    let tls: TlsFiles;
    let server: ServerUnderTest;
    let proxy: InProcessProxy;
    let files: TestFile[];
    let big: TestFile;
    let uploadSource: { path: string; sha256: string };

    beforeAll(async () => {
      scratch = createScratch(name.replace(/\W/g, ''));
      tls = createTlsFiles(scratch.dir);
      server = await start(scratch, tls);
      files = createTestFiles(server.root, SIZES);
      [big] = createTestFiles(server.root, [BIG]) as [TestFile];
      const local = createTestFiles(scratch.path('local'), [300_001])[0]!;
      uploadSource = { path: join(scratch.path('local'), local.name), sha256: local.sha256 };
      proxy = await startProxy({
        upstream: { host: '127.0.0.1', port: server.port },
        tls: { cert: tls.cert, key: tls.key },
        // The server's certificate is verified, against the test CA (itself).
        upstreamTls: { ca: tls.cert },
      });
    }, 60_000);

    afterAll(async () => {
      await proxy?.stop();
      await server?.stop();
      scratch?.remove();
    });

    const direct = (path = '') => `ftp://127.0.0.1:${server.port}/${path}`;

    it('a client that trusts the 227 cannot reach the server directly (the problem)', async () => {
      const result = await curl([...TRUST_PASV, direct(files[1]!.name)], 20);
      // 7: couldn't connect (to 127.0.0.2, which refuses).
      expect(result.code).toBe(7);
      expect(result.stderr).toMatch(/connect/i);
    });

    const curlMatrix = [
      { mode: 'plain FTP, 227 trusted', args: [...TRUST_PASV] },
      { mode: 'plain FTP, EPSV', args: [] },
      { mode: 'FTPS PROT P, 227 trusted', args: [...FTPS, ...TRUST_PASV] },
      { mode: 'FTPS PROT P, EPSV', args: [...FTPS] },
    ];

    for (const { mode, args } of curlMatrix) {
      it(`curl, ${mode}: list, download 0 B to 1 MiB, upload`, async () => {
        const listing = await curl([...args, proxy.url()]);
        expect(listing.stderr).toBe('');
        expect(listing.code).toBe(0);
        for (const file of files) expect(listing.stdout.toString()).toContain(file.name);
        for (const file of files) {
          const result = await curl([...args, proxy.url(file.name)]);
          expect(result.code, result.stderr).toBe(0);
          expect(result.stdout.length).toBe(file.size);
          expect(sha256(result.stdout)).toBe(file.sha256);
        }
        const target = `curl-${mode.replace(/\W+/g, '-')}.bin`;
        const sent = await curl([...args, '-T', uploadSource.path, proxy.url(`pub/${target}`)]);
        expect(sent.code, sent.stderr).toBe(0);
        expect(fileSha256(join(server.uploads, target))).toBe(uploadSource.sha256);
      }, 60_000);
    }

    for (const secure of [false, true]) {
      for (const passive of ['epsv', 'pasv'] as const) {
        it(`basic-ftp, ${secure ? 'FTPS PROT P' : 'plain FTP'}, ${passive.toUpperCase()}: list, download, upload`, async () => {
          const client = await basicFtp(PROXY_HOST, proxy.port, { secure, passive });
          try {
            const names = (await client.list()).map((entry) => entry.name);
            for (const file of files) expect(names).toContain(file.name);
            for (const file of files) {
              const bytes = await download(client, file.name);
              expect(bytes.length).toBe(file.size);
              expect(sha256(bytes)).toBe(file.sha256);
            }
            const payload = Buffer.alloc(200_003, secure ? 0x5a : 0xa5);
            const target = `basic-${secure ? 'ftps' : 'ftp'}-${passive}.bin`;
            await upload(client, payload, `pub/${target}`);
            expect(fileSha256(join(server.uploads, target))).toBe(sha256(payload));
            const back = await download(client, `pub/${target}`);
            expect(sha256(back)).toBe(sha256(payload));
          } finally {
            client.close();
          }
        }, 60_000);
      }
    }

    it('64 MiB over FTPS (227 trusted) and plain FTP (EPSV): download and upload, sha256', async () => {
      const down = await curl([...FTPS, ...TRUST_PASV, proxy.url(big.name)], 120);
      expect(down.code, down.stderr).toBe(0);
      expect(down.stdout.length).toBe(BIG);
      expect(sha256(down.stdout)).toBe(big.sha256);
      const plain = await curl([proxy.url(big.name)], 120);
      expect(sha256(plain.stdout)).toBe(big.sha256);
      const bigLocal = join(server.root, big.name);
      const up = await curl(
        [...FTPS, ...TRUST_PASV, '-T', bigLocal, proxy.url('pub/big-up.bin')],
        120,
      );
      expect(up.code, up.stderr).toBe(0);
      expect(fileSha256(join(server.uploads, 'big-up.bin'))).toBe(big.sha256);
    }, 180_000);

    it('logs a line per session and per rewrite', async () => {
      const before = proxy.lines.length;
      const result = await curl([...TRUST_PASV, proxy.url(files[1]!.name)]);
      expect(result.code).toBe(0);
      // curl exits on the 221; the proxy logs the close once both sockets have ended, a moment later.
      const closed = / close after [\d.]+ s$/;
      await waitFor(
        () => proxy.lines.slice(before).some((line) => closed.test(line)),
        'the session close log line',
      ).catch(() => undefined);
      const lines = proxy.lines.slice(before);
      expect(lines.some((line) => / open from 127\.0\.0\.1:\d+$/.test(line))).toBe(true);
      expect(
        lines.some((line) =>
          /rewrite 127\.0\.0\.2:\d+ -> 127\.0\.0\.3:\d+: "227 .*\(127,0,0,2,/.test(line),
        ),
      ).toBe(true);
      expect(lines.some((line) => closed.test(line))).toBe(true);
      expect(proxy.proxy.stats()).toMatchObject({ dataChannels: 0, passivePorts: 0 });
    }, 30_000);
  });
}
