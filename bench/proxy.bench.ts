/**
 * Data throughput through ftpwire-proxy against a direct transfer, same file, same run, plain
 * FTP and explicit FTPS with PROT P: curl downloads a 32 MiB file from the server, straight or
 * through the proxy (the real CLI, in a child process, so that it has a process of its own as in
 * production). The server is vsftpd where it runs, else ftp-srv in this process. The report
 * prints `ftpwire-proxy vs direct`: the aim is at least 0.8x.
 *
 * Every path is checked once at module load (bytes received), so a broken relay cannot post a
 * fast number. On a 2-core machine, the proxied run has three busy processes (server, proxy,
 * curl) where the direct one has two: that is part of the cost being measured.
 */
import { spawnSync } from 'node:child_process';
import { bench, describe } from 'vitest';
import { startFtpSrv } from '../test/e2e/harness/ftp-srv.js';
import { freePortRange } from '../test/e2e/harness/ports.js';
import {
  type ChildProxy,
  PROXY_HOST,
  proxyArguments,
  startChildProxy,
} from '../test/e2e/harness/proxy.js';
import type { ServerUnderTest } from '../test/e2e/harness/suite.js';
import {
  createScratch,
  createTestFiles,
  createTlsFiles,
  MiB,
  type TestFile,
} from '../test/e2e/harness/temp.js';
import { startVsftpd, vsftpdUnavailable } from '../test/e2e/harness/vsftpd.js';

const SIZE = 32 * MiB;
const options = { time: 2000, warmupTime: 300, iterations: 4 };

const scratch = createScratch('bench');
const tls = createTlsFiles(scratch.dir);
const useVsftpd = vsftpdUnavailable() === undefined;
const stops: (() => Promise<unknown>)[] = [];
/** Stops what was started, in reverse order, and removes the scratch directory. */
async function teardown(): Promise<void> {
  for (const stop of stops.reverse()) await stop().catch(() => {});
  scratch.remove();
}

let server: ServerUnderTest;
let proxy: ChildProxy;
let file: TestFile;
try {
  server = useVsftpd
    ? await startVsftpd(scratch.dir, { tls })
    : await startFtpSrv(scratch.dir, { tls });
  stops.push(() => server.stop());
  [file] = createTestFiles(server.root, [SIZE]) as [TestFile];
  const range = await freePortRange(100, [PROXY_HOST]);
  proxy = await startChildProxy([
    ...proxyArguments(server.port, tls),
    '--passive-ports',
    `${range.min}-${range.max}`,
    '--upstream-ca',
    tls.certFile,
    '--quiet',
  ]);
  stops.push(() => proxy.stop());
} catch (error) {
  // A failed setup must not leave a vsftpd running.
  await teardown();
  throw error;
}

/** Downloads with curl (EPSV, its default, so that the direct path works too); returns bytes. */
function download(host: string, port: number, secure: boolean): number {
  const result = spawnSync(
    'curl',
    [
      '--silent',
      '--show-error',
      '--max-time',
      '60',
      ...(secure ? ['--ssl-reqd', '-k'] : []),
      '-o',
      '/dev/null',
      '-w',
      '%{size_download}',
      `ftp://${host}:${port}/${file.name}`,
    ],
    { encoding: 'utf8' },
  );
  const bytes = Number(result.stdout);
  if (result.status !== 0 || bytes !== SIZE) {
    throw new Error(
      `curl ${host}:${port} failed (${result.status}, ${bytes} bytes): ${result.stderr}`,
    );
  }
  return bytes;
}

try {
  for (const secure of [false, true]) {
    download(PROXY_HOST, proxy.port, secure);
    download('127.0.0.1', server.port, secure);
  }
} catch (error) {
  await teardown();
  throw error;
}

const serverName = useVsftpd ? 'vsftpd' : 'ftp-srv';
for (const secure of [false, true]) {
  describe(`proxy throughput, ${secure ? 'FTPS PROT P' : 'plain FTP'} download from ${serverName} [bytes=${SIZE}]`, () => {
    bench(
      'ftpwire-proxy',
      () => {
        download(PROXY_HOST, proxy.port, secure);
      },
      options,
    );
    bench(
      'direct',
      () => {
        download('127.0.0.1', server.port, secure);
      },
      {
        ...options,
        // vitest runs no afterAll in bench mode: the last bench's last cycle stops everything.
        ...(secure
          ? {
              // tinybench does not wait for this hook: each stop sends its signal at once,
              // and the scratch directory goes synchronously.
              teardown: (_task: unknown, mode: 'warmup' | 'run') => {
                if (mode !== 'run') return;
                for (const stop of stops.reverse()) void stop().catch(() => {});
                scratch.remove();
              },
            }
          : {}),
      },
    );
  });
}
