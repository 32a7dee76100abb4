// 50 sessions at once, each moving data both ways (half plain, half FTPS; half EPSV, half PASV),
// through the real CLI in a child process: no failure, and afterwards the proxy holds exactly
// the file descriptors it held before (counted in /proc), with no error logged.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { basicFtp, download, upload } from './harness/clients.js';
import { startFtpSrv } from './harness/ftp-srv.js';
import { freePortRange } from './harness/ports.js';
import { type ChildProxy, PROXY_HOST, proxyArguments, startChildProxy } from './harness/proxy.js';
import type { ServerUnderTest } from './harness/suite.js';
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
} from './harness/temp.js';
import { startVsftpd, vsftpdCases } from './harness/vsftpd.js';
import { waitFor } from './harness/wait.js';

const SESSIONS = 50;

const vsftpd = vsftpdCases();
const servers: {
  name: string;
  skip: boolean;
  start: (scratch: Scratch, tls: TlsFiles) => Promise<ServerUnderTest>;
}[] = [
  {
    name: 'vsftpd',
    skip: vsftpd.skip,
    start: (scratch, tls) => startVsftpd(scratch.dir, { tls, pasvPorts: 200 }),
  },
  {
    name: 'ftp-srv',
    skip: false,
    start: (scratch, tls) => startFtpSrv(scratch.dir, { tls, pasvPorts: 200 }),
  },
];

for (const { name, skip, start } of servers) {
  describe.skipIf(skip)(`${SESSIONS} concurrent sessions through the proxy to ${name}`, () => {
    let scratch: Scratch;
    let server: ServerUnderTest;
    let proxy: ChildProxy;
    let file: TestFile;

    beforeAll(async () => {
      scratch = createScratch(`concurrency-${name}`);
      const tls = createTlsFiles(scratch.dir);
      server = await start(scratch, tls);
      [file] = createTestFiles(server.root, [MiB]) as [TestFile];
      const range = await freePortRange(100, [PROXY_HOST]);
      proxy = await startChildProxy([
        ...proxyArguments(server.port, tls),
        '--passive-ports',
        `${range.min}-${range.max}`,
        '--upstream-ca',
        tls.certFile,
        // Every client of this test comes from 127.0.0.1; the default allows 8 from one address.
        '--max-per-ip',
        '64',
      ]);
    }, 60_000);

    afterAll(async () => {
      expect(await proxy?.stop()).toBe(0);
      await server?.stop();
      scratch?.remove();
    });

    it('all succeed, and the proxy is back to its descriptors afterwards', async () => {
      // A first session opens what Node opens lazily; the count starts after it.
      const warm = await basicFtp(PROXY_HOST, proxy.port, { secure: true });
      expect((await download(warm, file.name)).length).toBe(file.size);
      warm.close();
      await waitFor(() => /session 1 close/.test(proxy.log()), 'the warm-up session to close');
      const before = proxy.fds();

      const runs = Array.from({ length: SESSIONS }, async (_, index) => {
        const secure = index % 2 === 0;
        const client = await basicFtp(PROXY_HOST, proxy.port, {
          secure,
          passive: index % 4 < 2 ? 'epsv' : 'pasv',
        });
        try {
          const bytes = await download(client, file.name);
          expect(sha256(bytes)).toBe(file.sha256);
          const payload = Buffer.alloc(128 * 1024 + index, index);
          await upload(client, payload, `pub/up-${index}.bin`);
          return sha256(payload);
        } finally {
          client.close();
        }
      });
      const uploaded = await Promise.all(runs);
      uploaded.forEach((digest, index) => {
        expect(fileSha256(join(server.uploads, `up-${index}.bin`))).toBe(digest);
      });

      const closes = () => proxy.log().match(/ close after /g)?.length ?? 0;
      await waitFor(
        () => closes() === SESSIONS + 1,
        `${SESSIONS + 1} sessions to close (${closes()})`,
      );
      await waitFor(() => proxy.fds() === before, `${before} descriptors (now ${proxy.fds()})`);
      expect(proxy.fds()).toBe(before);
      expect(proxy.log()).not.toMatch(/ERR_|refused/);
    }, 120_000);
  });
}
