// Issue 14, "scale out on an existing engine": real HAProxy (TCP mode, send-proxy-v2) in front of
// two ftpwire-proxy instances (the CLI, each with its own disjoint --passive-ports range, both
// advertising HAProxy's address) in front of vsftpd; curl --haproxy-protocol as a second path.
// Distinct loopback addresses stand for distinct clients: 127.0.0.9 and 127.0.0.11 are clients,
// 127.0.0.10 is HAProxy's public address, 127.0.0.20 the address HAProxy connects from.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { curl, FTPS, TRUST_PASV } from './harness/curl.js';
import {
  HAPROXY_SOURCE,
  type Haproxy,
  haproxyUnavailable,
  type Instance,
  startHaproxy,
} from './harness/haproxy.js';
import { freePort, freePortRange } from './harness/ports.js';
import {
  type ChildProxy,
  type InProcessProxy,
  startChildProxy,
  startProxy,
} from './harness/proxy.js';
import { openData, RawFtp, readAll } from './harness/raw-client.js';
import {
  createScratch,
  createTestFiles,
  createTlsFiles,
  KiB,
  type Scratch,
  sha256,
  type TestFile,
  type TlsFiles,
} from './harness/temp.js';
import { startVsftpd, type Vsftpd, vsftpdCases } from './harness/vsftpd.js';
import { waitFor } from './harness/wait.js';

const PUBLIC = '127.0.0.10';
const CLIENT = '127.0.0.9';
const OTHER_CLIENT = '127.0.0.11';
/** curl --haproxy-protocol connects from here, straight to an instance. */
const CURL_BALANCER = '127.0.0.21';
const INSTANCE_HOSTS = ['127.0.0.3', '127.0.0.4'] as const;

const cases = vsftpdCases();
const haproxyMissing = haproxyUnavailable();
if (haproxyMissing && process.env['FTPWIRE_REQUIRE_VSFTPD'] === '1') {
  throw new Error(`FTPWIRE_REQUIRE_VSFTPD=1 but ${haproxyMissing}`);
}
const escaped = (text: string) => text.replaceAll('.', '\\.');
const skip = cases.skip || haproxyMissing !== undefined;

describe.skipIf(skip)(
  'HAProxy (send-proxy-v2) in front of two ftpwire-proxy instances in front of vsftpd',
  () => {
    let scratch: Scratch;
    let tls: TlsFiles;
    let server: Vsftpd;
    let file: TestFile;
    let haproxy: Haproxy;
    let control: number;
    let firstOnly: number;
    const instances: { proxy: ChildProxy; instance: Instance }[] = [];

    beforeAll(async () => {
      scratch = createScratch('haproxy');
      tls = createTlsFiles(scratch.dir);
      server = await startVsftpd(scratch.dir, { tls });
      [file] = createTestFiles(server.root, [300 * KiB]) as [TestFile];
      control = await freePort(PUBLIC);
      firstOnly = await freePort(PUBLIC);
      let taken: { min: number; max: number } | undefined;
      for (const host of INSTANCE_HOSTS) {
        // Disjoint ranges: the port a data connection reaches says which instance it is for.
        let passive = await freePortRange(10, [host, PUBLIC]);
        while (taken && passive.min <= taken.max && taken.min <= passive.max) {
          passive = await freePortRange(10, [host, PUBLIC]);
        }
        taken = passive;
        const proxy = await startChildProxy(
          [
            '--upstream',
            `127.0.0.1:${server.port}`,
            '--public-host',
            PUBLIC,
            '--passive-ports',
            `${passive.min}-${passive.max}`,
            '--tls-cert',
            tls.certFile,
            '--tls-key',
            tls.keyFile,
            '--upstream-ca',
            tls.certFile,
            '--proxy-protocol-from',
            `${HAPROXY_SOURCE}/32,${CURL_BALANCER}`,
            '--max-per-ip',
            '2',
          ],
          undefined,
          `${host}:0`,
        );
        instances.push({ proxy, instance: { host, port: proxy.port, passive } });
      }
      haproxy = await startHaproxy(
        scratch.dir,
        { host: PUBLIC, control, firstOnly },
        instances.map(({ instance }) => instance),
      );
    }, 60_000);

    afterAll(async () => {
      await haproxy?.stop();
      for (const { proxy } of instances) await proxy.stop();
      await server?.stop();
      scratch?.remove();
    });

    const opened = (index: number, client: string) =>
      instances[index]!.proxy.log()
        .split('\n')
        .filter(
          (line) => line.includes(`open from ${client}:`) && line.includes(`via ${HAPROXY_SOURCE}`),
        ).length;

    it('transfers work through both instances, plain (227 naming HAProxy) and PROT P (EPSV)', async () => {
      const url = `ftp://${PUBLIC}:${control}/${file.name}`;
      for (let i = 0; i < 4; i++) {
        const plain = await curl(['--interface', CLIENT, ...TRUST_PASV, url]);
        expect(plain.stderr).toBe('');
        expect(sha256(plain.stdout)).toBe(file.sha256);
        const secure = await curl(['--interface', CLIENT, ...FTPS, url]);
        expect(secure.stderr).toBe('');
        expect(sha256(secure.stdout)).toBe(file.sha256);
      }
      // HAProxy's round robin sent sessions to both, and each saw the client's own address.
      expect(opened(0, CLIENT)).toBeGreaterThanOrEqual(2);
      expect(opened(1, CLIENT)).toBeGreaterThanOrEqual(2);
      for (const { proxy, instance } of instances) {
        const log = proxy.log();
        expect(log).toContain(`-> ${PUBLIC}:`);
        // Data connections relayed came in through HAProxy on this instance's own range.
        const ports = [...log.matchAll(/data passive [\d.]+:(\d+) <->/g)].map((match) =>
          Number(match[1]),
        );
        expect(ports.length).toBeGreaterThan(0);
        for (const port of ports) {
          expect(port).toBeGreaterThanOrEqual(instance.passive.min);
          expect(port).toBeLessThanOrEqual(instance.passive.max);
        }
      }
    }, 120_000);

    it('the data connection check uses the real client: another client through HAProxy is refused', async () => {
      const ftp = await RawFtp.connect(PUBLIC, firstOnly, CLIENT);
      try {
        await ftp.reply();
        await ftp.login();
        const pasv = await ftp.command('PASV');
        const numbers = /\((\d+),(\d+),(\d+),(\d+),(\d+),(\d+)\)/
          .exec(pasv.lines[0]!)!
          .slice(1)
          .map(Number);
        expect(numbers.slice(0, 4).join('.')).toBe(PUBLIC);
        const port = numbers[4]! * 256 + numbers[5]!;
        const log = instances[0]!.proxy;
        // Another client reaches the same port through HAProxy: its header names it, refused.
        const intruder = await openData(PUBLIC, port, undefined, OTHER_CLIENT);
        let intruderGot = '';
        intruder.socket.on('data', (chunk: Buffer) => {
          intruderGot += chunk.toString();
        });
        await waitFor(
          () => log.log().includes(`refused a connection from ${OTHER_CLIENT}:`),
          'the intruder refused',
        );
        intruder.socket.destroy();
        expect(intruderGot).toBe('');
        expect(log.log()).toMatch(
          new RegExp(
            `refused a connection from ${escaped(OTHER_CLIENT)}:\\d+ via ${escaped(HAPROXY_SOURCE)} \\(not ${escaped(CLIENT)}\\)`,
          ),
        );
        // The client itself, through HAProxy, gets its file.
        const data = openData(PUBLIC, port, undefined, CLIENT);
        const retr = ftp.command(`RETR ${file.name}`);
        const bytes = await readAll((await data).socket);
        expect((await retr).code).toBe(150);
        expect((await ftp.reply()).code).toBe(226);
        expect(sha256(bytes)).toBe(file.sha256);
      } finally {
        ftp.close();
      }
    }, 15_000);

    it('--max-per-ip counts real clients, not HAProxy', async () => {
      const held: RawFtp[] = [];
      try {
        for (let i = 0; i < 2; i++) {
          const ftp = await RawFtp.connect(PUBLIC, firstOnly, CLIENT);
          held.push(ftp);
          expect((await ftp.reply()).code).toBe(220);
        }
        const third = await RawFtp.connect(PUBLIC, firstOnly, CLIENT);
        held.push(third);
        expect((await third.reply()).lines[0]).toBe(
          '421 Too many connections from your address, try again later.',
        );
        // Another client through the same HAProxy address is not counted with the first.
        const other = await RawFtp.connect(PUBLIC, firstOnly, OTHER_CLIENT);
        held.push(other);
        expect((await other.reply()).code).toBe(220);
      } finally {
        for (const ftp of held) ftp.close();
      }
    }, 30_000);

    it('curl --haproxy-protocol (v1, control and data connections) from a trusted address works, from any other it is refused', async () => {
      const { instance, proxy } = instances[1]!;
      const url = `ftp://${instance.host}:${instance.port}/${file.name}`;
      for (const extra of [[], [...FTPS]]) {
        const result = await curl([
          '--interface',
          CURL_BALANCER,
          '--haproxy-protocol',
          ...extra,
          url,
        ]);
        expect(result.stderr).toBe('');
        expect(sha256(result.stdout)).toBe(file.sha256);
      }
      expect(proxy.log()).toContain(`open from ${CURL_BALANCER}:`);
      const refused = await curl(['--interface', CLIENT, '--haproxy-protocol', url], 20);
      expect(refused.code).not.toBe(0);
      await waitFor(
        () => proxy.log().includes('refused: a PROXY header from a peer not trusted to send one'),
        'the refusal',
      );
    }, 60_000);
  },
);

describe.skipIf(cases.skip)('--balance by-user against vsftpd', () => {
  let scratch: Scratch;
  let server: Vsftpd;
  let file: TestFile;
  let proxy: InProcessProxy;
  let tls: TlsFiles;

  beforeAll(async () => {
    scratch = createScratch('by-user');
    tls = createTlsFiles(scratch.dir);
    server = await startVsftpd(scratch.dir, { tls });
    [file] = createTestFiles(server.root, [64 * KiB]) as [TestFile];
    proxy = await startProxy({
      upstream: [
        { host: '127.0.0.1', port: server.port },
        { host: '127.0.0.1', port: await freePort() },
      ],
      balance: 'by-user',
      tls: { cert: tls.cert, key: tls.key },
      upstreamTls: { ca: readFileSync(tls.certFile) },
    });
  }, 30_000);

  afterAll(async () => {
    await proxy?.stop();
    await server?.stop();
    scratch?.remove();
  });

  it('AUTH TLS, PBSZ and PROT before USER are replayed to the server chosen (curl, PROT P)', async () => {
    // Whichever server the user hashes to first, the dead one is taken out and vsftpd serves.
    for (let i = 0; i < 2; i++) {
      const result = await curl([...FTPS, proxy.url(file.name)]);
      expect(result.stderr).toBe('');
      expect(sha256(result.stdout)).toBe(file.sha256);
    }
    const log = proxy.lines.join('\n');
    expect(log).toContain('USER held: choosing a server by user');
    expect(log).toMatch(/data passive .* tls \(session reused\)/);
    // curl asks AUTH SSL first (then TLS): the server got it replayed, right before the USER.
    const commands = server.commands();
    expect(commands.filter((line) => line === 'AUTH SSL')).toHaveLength(2);
    expect(commands[commands.indexOf('AUTH SSL') + 1]).toBe('USER anonymous');
  }, 60_000);

  // The legs' policies apply to the replay: what the chosen server is sent before the held USER
  // is what its own leg needs, not what the client did.
  const byUser = (upstreamTls: 'on' | 'off') =>
    startProxy({
      upstream: [{ host: '127.0.0.1', port: server.port }],
      balance: 'by-user',
      tls: { cert: tls.cert, key: tls.key },
      upstreamTls: { mode: upstreamTls, ...(upstreamTls === 'on' ? { ca: tls.cert } : {}) },
    });

  it('--upstream-tls off: the client’s AUTH, PBSZ and PROT are answered here, none reaches the server', async () => {
    const off = await byUser('off');
    try {
      const before = server.commands().length;
      const result = await curl([...FTPS, off.url(file.name)]);
      expect(result.stderr).toBe('');
      expect(sha256(result.stdout)).toBe(file.sha256);
      const commands = server.commands().slice(before);
      expect(commands[0]).toBe('USER anonymous');
      expect(commands.filter((line) => /^(AUTH|PBSZ|PROT)/.test(line))).toEqual([]);
      expect(off.lines.join('\n')).toMatch(/data passive .* tls to client/);
    } finally {
      await off.stop();
    }
  }, 60_000);

  it('--upstream-tls on: a plain client, and the server gets AUTH TLS, PBSZ 0, PROT P before the USER', async () => {
    const on = await byUser('on');
    try {
      const before = server.commands().length;
      const result = await curl([on.url(file.name)]);
      expect(result.stderr).toBe('');
      expect(sha256(result.stdout)).toBe(file.sha256);
      expect(server.commands().slice(before, before + 4)).toEqual([
        'AUTH TLS',
        'PBSZ 0',
        'PROT P',
        'USER anonymous',
      ]);
      expect(on.lines.join('\n')).toMatch(/data passive .* tls to server/);
    } finally {
      await on.stop();
    }
  }, 60_000);
});
