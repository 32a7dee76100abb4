// Issue 12, defects found by real clients (CPython's ftplib, lftp, wget, curl) through the proxy,
// each checked with the client that found it, against vsftpd and ftp-srv.
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { curl, FTPS } from '../harness/curl.js';
import { startFtpSrv } from '../harness/ftp-srv.js';
import { PROXY_HOST } from '../harness/proxy.js';
import { RawFtp } from '../harness/raw-client.js';
import { createScratch, createTestFiles, MiB, type TestFile } from '../harness/temp.js';
import { waitFor } from '../harness/wait.js';
import { ABORT, EMPTY_TRANSFERS, lastJson, python, SHORT_TRANSFERS } from './python.js';
import { type Battery, startBattery, UPSTREAMS } from './upstreams.js';

function run(
  command: string,
  args: readonly string[],
  timeoutSeconds = 60,
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: timeoutSeconds * 1000,
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString('latin1');
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString('latin1');
    });
    child.once('error', reject);
    child.once('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

/**
 * The codes of ftplib's replies, in order: 225 and 226 both answer ABOR (RFC 959 §4.1.3), the
 * one when the server has no transfer left to abort, the other when it had.
 */
const codes = (replies: string[]) =>
  replies.map((reply) => reply.slice(0, 3).replace('225', '226'));

for (const upstream of UPSTREAMS) {
  describe.skipIf(upstream.skip)(`real clients through the proxy to ${upstream.name}`, () => {
    let battery: Battery;
    let big: TestFile;
    const emptyDirectory = 'empty-dir';

    beforeAll(async () => {
      // One session at a time: a session that leaked would lock every later client out.
      battery = await startBattery(upstream, 'clients', ['--max-sessions', '1']);
      [big] = createTestFiles(battery.server.root, [16 * MiB]) as [TestFile];
      mkdirSync(join(battery.server.root, emptyDirectory));
    }, 60_000);

    afterAll(async () => {
      expect(await battery?.stop()).toBe(0);
    });

    const opened = () => (battery.proxy.log().match(/ open from /g) ?? []).length;
    const closed = () => (battery.proxy.log().match(/ close after /g) ?? []).length;

    it('defect 11: empty transfers under PROT P (ftplib, curl, wget) leak no session', async () => {
      const ftplib = lastJson<{ ok: number; errors: string[] }>(
        await python(EMPTY_TRANSFERS, [
          PROXY_HOST,
          String(battery.proxy.port),
          'tls',
          battery.empty.name,
          emptyDirectory,
          '10',
        ]),
      );
      expect(ftplib).toEqual({ ok: 10, errors: [] });
      for (let i = 0; i < 10; i++) {
        const result = await curl([
          ...FTPS,
          `ftp://anonymous:x@${PROXY_HOST}:${battery.proxy.port}/${battery.empty.name}`,
        ]);
        expect(result.code, result.stderr).toBe(0);
        expect(result.stdout.length).toBe(0);
      }
      for (let i = 0; i < 5; i++) {
        const result = await run('wget', [
          '-q',
          '-O',
          '-',
          '--no-check-certificate',
          `ftps://anonymous:x@${PROXY_HOST}:${battery.proxy.port}/${battery.empty.name}`,
        ]);
        expect(result.code, result.stderr).toBe(0);
      }
      // With --max-sessions 1 each of these 25 sessions got in only because the one before
      // it was gone; and every session the proxy opened, it closed.
      await waitFor(() => closed() === opened(), 'every session to be closed');
      expect(opened()).toBeGreaterThanOrEqual(25);
    }, 120_000);

    it('defect 12: 40 short PROT P transfers in one ftplib session, TLS 1.3: every one ends with close_notify', async () => {
      const result = lastJson<{ ok: number; errors: string[] }>(
        await python(SHORT_TRANSFERS, [
          PROXY_HOST,
          String(battery.proxy.port),
          'tls',
          battery.file.name,
          emptyDirectory,
          '40',
        ]),
      );
      expect(result).toEqual({ ok: 40, errors: [] });
    }, 120_000);

    it('defect 13: ftplib abort() (ABOR as urgent data) gets the replies it gets direct, and the session goes on', async () => {
      const through = lastJson<{ replies: string[] }>(
        await python(ABORT, [PROXY_HOST, String(battery.proxy.port), 'plain', big.name]),
      );
      const direct = lastJson<{ replies: string[] }>(
        await python(ABORT, ['127.0.0.1', String(battery.server.port), 'plain', big.name]),
      );
      expect(codes(through.replies)).toEqual(codes(direct.replies));
      // The RETR's final reply, the ABOR's, then the NOOP's and the PWD's: each command its own.
      expect(through.replies[0]).toMatch(/^(426|226|551) /);
      expect(codes(through.replies).slice(1)).toEqual(['226', '200', '257']);
      // The server read a clean ABOR, not a line merged with the next command.
      expect(battery.server.commands()).toContain('ABOR');
      expect(battery.server.commands().filter((line) => /ABOR./.test(line))).toEqual([]);
    }, 60_000);
  });
}

const vsftpdUpstream = UPSTREAMS[0]!;

describe.skipIf(vsftpdUpstream.skip)('lftp through the proxy to vsftpd', () => {
  let battery: Battery;
  let big: TestFile;

  beforeAll(async () => {
    // Listening on ::1 too, for lftp over IPv6.
    battery = await startBattery(vsftpdUpstream, 'lftp', [], '[::1]:0');
    [big] = createTestFiles(battery.server.root, [16 * MiB]) as [TestFile];
  }, 60_000);

  afterAll(async () => {
    expect(await battery?.stop()).toBe(0);
  });

  const lftp = (commands: string) =>
    run('lftp', [
      '-d',
      '-e',
      `set ftp:ssl-allow no; set net:max-retries 1; set net:timeout 10; ${commands}; quit`,
      `ftp://anonymous:x@[::1]:${battery.proxy.port}`,
    ]);

  it('defect 14: EPRT |2|::|port| (lftp, active mode over IPv6) means the client: the download works', async () => {
    const out = join(battery.scratch.dir, 'lftp-active.bin');
    const result = await lftp(`set ftp:passive-mode off; get ${battery.file.name} -o ${out}`);
    expect(result.stderr).toMatch(/---> EPRT \|2\|::\|\d+\|/);
    expect(result.code, result.stderr).toBe(0);
    expect(readFileSync(out).length).toBe(1000);
    // The server was told the proxy's own address, canonical.
    expect(
      battery.server
        .commands()
        .some((line) => /^(PORT 127,0,0,1,|EPRT \|1\|127\.0\.0\.1\|)/.test(line)),
    ).toBe(true);
  }, 60_000);

  it('defect 13: lftp interrupts a download with IAC IP, IAC DM (urgent) and ABOR: the server reads ABOR', async () => {
    // `get1 -o /dev/null` fails on the existing file mid-transfer, and lftp aborts the RETR.
    const result = await lftp(
      `set ftp:passive-mode on; get1 -o /dev/null ${big.name} & sleep 1; kill all; sleep 1; ls`,
    );
    expect(result.code, result.stderr).toBe(0);
    const afterAbort = result.stderr.slice(result.stderr.indexOf('---> ABOR'));
    expect(afterAbort).toMatch(/^---> ABOR[\s\S]*<--- 426 [\s\S]*<--- 22[56] /);
    expect(afterAbort).not.toMatch(/<--- 500 /);
    // The listing after it works: the replies are still paired with their commands.
    expect(afterAbort).toMatch(/<--- 226 Directory send OK\./);
    expect(battery.server.commands()).toContain('ABOR');
  }, 60_000);
});

// Why the ftplib ABOR script above reads the ABOR's reply before its NOOP: a client one reply
// behind sends its next command before the one before it is answered, and ftp-srv 4.6.3 does not
// answer pipelined commands in order. It splits each TCP read on CRLF and runs the commands of
// one read in series, but the reads side by side (connection.js `_handleData`): a command that
// waits (ABOR waits for the data connection) holds back those read with it, not those read
// after. Through the proxy the ABOR and the NOOP could reach ftp-srv in one read (the client's
// ABOR ends its own read at the urgent mark), and the PWD read after it was answered first:
// ftplib got [551, 225, 257] through the proxy and [551, 200, 225] direct (CI, 1 run in 2).
describe('ftp-srv 4.6.3, direct: pipelined commands answered out of order', () => {
  it('ABOR and NOOP in one read, PWD in the next: the PWD is answered first', async () => {
    const scratch = createScratch('ftp-srv-order');
    const server = await startFtpSrv(scratch.dir);
    try {
      const client = await RawFtp.connect('127.0.0.1', server.port);
      await client.reply();
      await client.login();
      // ftp-srv advertises 127.0.0.2 and listens on 127.0.0.1: nobody connects yet, so its
      // ABOR waits for the data connection (it polls every 50 ms for up to 5 s).
      const { port } = await client.pasv();
      client.socket.write('ABOR\r\nNOOP\r\n');
      await waitFor(() => server.commands().includes('ABOR'), 'ftp-srv to start the ABOR');
      client.send('PWD');
      const first = await client.reply();
      // The data connection ends the ABOR's wait: 426 on it, 226 on the control connection.
      const data = connect({ host: '127.0.0.1', port });
      data.on('error', () => {});
      data.resume();
      const rest = [await client.reply(), await client.reply()];
      data.destroy();
      client.close();
      // RFC 959 wants them in the order sent: 226 (ABOR), 200 (NOOP), 257 (PWD).
      expect([first, ...rest].map((reply) => reply.code)).toEqual([257, 226, 200]);
      expect(server.commands().slice(-3)).toEqual(['ABOR', 'PWD', 'NOOP']);
    } finally {
      await server.stop();
      scratch.remove();
    }
  }, 30_000);
});
