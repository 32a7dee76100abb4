// The descriptors a session holds, counted in /proc for the real CLI: what the `descriptors` log
// event and the README's session count stand on (DESCRIPTORS_PER_SESSION and _IDLE_SESSION).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DESCRIPTORS_PER_IDLE_SESSION,
  DESCRIPTORS_PER_SESSION,
} from '../../packages/proxy/src/descriptor-limit.ts';
import { type ChildProxy, PROXY_HOST, proxyArguments, startChildProxy } from './harness/proxy.js';
import { openData, RawFtp } from './harness/raw-client.js';
import {
  createScratch,
  createTestFiles,
  createTlsFiles,
  MiB,
  type Scratch,
  type TestFile,
} from './harness/temp.js';
import { startVsftpd, type Vsftpd, vsftpdCases } from './harness/vsftpd.js';
import { waitFor } from './harness/wait.js';

const cases = vsftpdCases();

describe.skipIf(cases.skip)('descriptors per session (vsftpd, child proxy)', () => {
  let scratch: Scratch;
  let server: Vsftpd;
  let proxy: ChildProxy;
  let big: TestFile;

  beforeAll(async () => {
    scratch = createScratch('descriptors');
    const tls = createTlsFiles(scratch.dir);
    server = await startVsftpd(scratch.dir, { tls });
    [big] = createTestFiles(server.root, [64 * MiB]) as [TestFile];
    proxy = await startChildProxy(proxyArguments(server.port, tls));
  }, 30_000);

  afterAll(async () => {
    await proxy?.stop('SIGINT');
    await server?.stop();
    scratch?.remove();
  });

  it('idle: two each; transferring with a PASV sent meanwhile: five', async () => {
    const before = proxy.fds();
    const sessions: RawFtp[] = [];
    for (let i = 0; i < 4; i++) {
      const ftp = await RawFtp.connect(PROXY_HOST, proxy.port);
      await ftp.reply();
      await ftp.login();
      sessions.push(ftp);
    }
    const idle = before + sessions.length * DESCRIPTORS_PER_IDLE_SESSION;
    await waitFor(() => proxy.fds() === idle, `${idle} descriptors (${proxy.fds()})`);

    // One session starts a 64 MiB download and does not read it: the transfer stays under way.
    const ftp = sessions[0]!;
    const first = await ftp.pasv();
    const data = await openData(PROXY_HOST, first.port);
    data.socket.pause();
    const started = await ftp.command(`RETR ${big.name}`);
    expect(started.code).toBe(150);
    await waitFor(
      () => proxy.fds() === idle + 2,
      `the transfer's two connections (${proxy.fds() - idle})`,
    );
    // A PASV meanwhile opens the listener of the next transfer beside it (vsftpd answers it
    // once the transfer is over; the proxy listens first, then asks).
    ftp.send('PASV');
    const most = idle - DESCRIPTORS_PER_IDLE_SESSION + DESCRIPTORS_PER_SESSION;
    await waitFor(() => proxy.fds() === most, `${most} descriptors (${proxy.fds()})`);

    data.reset();
    for (const session of sessions) session.close();
    await waitFor(() => proxy.fds() === before, `${before} descriptors again (${proxy.fds()})`);
  }, 60_000);
});
