// The benchmark's contender, ProFTPD mod_proxy, checked to carry the same files as ftpwire-proxy in
// front of the same vsftpd: a benchmark of a contender that fails or corrupts would measure
// nothing. Skipped with the reason printed when mod_proxy cannot run (scripts/fetch-proftpd.sh
// not run, not root); FTPWIRE_REQUIRE_MOD_PROXY=1 turns that into a failure.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { curl, FTPS } from './harness/curl.js';
import { type ModProxy, modProxyUnavailable, startModProxy } from './harness/proftpd.js';
import { type ChildProxy, PROXY_HOST, proxyArguments, startChildProxy } from './harness/proxy.js';
import {
  createScratch,
  createTestFiles,
  createTlsFiles,
  KiB,
  MiB,
  type Scratch,
  sha256,
  type TestFile,
  type TlsFiles,
} from './harness/temp.js';
import { startVsftpd, type Vsftpd, vsftpdUnavailable } from './harness/vsftpd.js';

const reason = modProxyUnavailable() ?? vsftpdUnavailable();
if (reason !== undefined) {
  if (process.env['FTPWIRE_REQUIRE_MOD_PROXY'] === '1') {
    throw new Error(`FTPWIRE_REQUIRE_MOD_PROXY=1 but ${reason}`);
  }
  console.warn(`skipping mod_proxy cases: ${reason}`);
}

describe.skipIf(reason !== undefined)(
  'ProFTPD mod_proxy beside ftpwire-proxy (bench contenders)',
  () => {
    let scratch: Scratch;
    let tls: TlsFiles;
    let server: Vsftpd;
    let modProxy: ModProxy;
    let proxy: ChildProxy;
    let files: TestFile[];

    beforeAll(async () => {
      scratch = createScratch('mod-proxy');
      tls = createTlsFiles(scratch.dir);
      server = await startVsftpd(scratch.dir, { tls, anonymousPassword: true });
      files = createTestFiles(server.root, [0, KiB, 3 * MiB + 1]);
      modProxy = await startModProxy(scratch.dir, { upstreamPort: server.port, tls });
      proxy = await startChildProxy([
        ...proxyArguments(server.port, tls),
        '--upstream-ca',
        tls.certFile,
      ]);
    }, 30_000);

    afterAll(async () => {
      await proxy?.stop();
      await modProxy?.stop();
      await server?.stop();
      scratch?.remove();
    });

    for (const secure of [false, true]) {
      it(`${secure ? 'FTPS PROT P' : 'plain'}: the same bytes through both, and the server's banner`, async () => {
        for (const file of files) {
          for (const [host, port] of [
            [modProxy.host, modProxy.port],
            [PROXY_HOST, proxy.port],
          ] as const) {
            const result = await curl([
              ...(secure ? FTPS : []),
              `ftp://${host}:${port}/${file.name}`,
            ]);
            expect(result.stderr).toBe('');
            expect(result.code).toBe(0);
            expect(sha256(result.stdout)).toBe(file.sha256);
          }
        }
        // Each curl was one session, one process of mod_proxy's, ended with it.
        const banner = await curl([
          '-v',
          '--list-only',
          ...(secure ? FTPS : []),
          `ftp://${modProxy.host}:${modProxy.port}/`,
        ]);
        expect(banner.stderr).toContain('220 (vsFTPd 3.0.3)');
        expect(modProxy.cpuSeconds()).toBeGreaterThan(0);
      }, 60_000);
    }
  },
);
