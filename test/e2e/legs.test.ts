// Each leg on its own terms, against vsftpd: FTPS for clients in front of a plain server
// (--upstream-tls off), plain clients in front of a server that requires TLS (--upstream-tls on),
// and active-mode clients in front of a server that never connects out (--upstream-data passive,
// epsv). Each case checks what vsftpd itself received and did (its log: the commands, and its
// OK DOWNLOAD / OK UPLOAD lines), not only what the client was told.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FTPLIB_SESSION, lastJson, python } from './adversarial/python.js';
import { basicFtp, download, upload } from './harness/clients.js';
import { curl, FTPS, TRUST_PASV } from './harness/curl.js';
import { type InProcessProxy, PROXY_HOST, startProxy } from './harness/proxy.js';
import { RawFtp } from './harness/raw-client.js';
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
import { startVsftpd, type Vsftpd, type VsftpdOptions, vsftpdCases } from './harness/vsftpd.js';
import { waitFor } from './harness/wait.js';

const vsftpd = vsftpdCases();

/** Plain curl in active mode: EPRT (curl's first choice) from 127.0.0.1. */
const ACTIVE = ['-P', '127.0.0.1'] as const;

/**
 * CPython's ftplib: one session (`FTPLIB_SESSION`; active mode when `active`),
 * RETR of a file and STOR of a payload; prints the download's sha256 and the bytes stored.
 */
const FTPLIB_TRANSFER = `${FTPLIB_SESSION}
import hashlib, io
active, name, target = sys.argv[4] == 'active', sys.argv[5], sys.argv[6]
ftp = session()
ftp.set_pasv(not active)
digest = hashlib.sha256()
ftp.retrbinary('RETR ' + name, digest.update)
payload = bytes(range(256)) * 1000
ftp.storbinary('STOR ' + target, io.BytesIO(payload))
ftp.quit()
print(json.dumps({'sha256': digest.hexdigest(), 'stored': len(payload)}))
`;

async function ftplibTransfer(
  port: number,
  file: TestFile,
  target: string,
  options: { tls: boolean; active: boolean },
): Promise<{ sha256: string; stored: number }> {
  const result = await python(FTPLIB_TRANSFER, [
    PROXY_HOST,
    String(port),
    options.tls ? 'tls' : 'plain',
    options.active ? 'active' : 'passive',
    file.name,
    target,
  ]);
  return lastJson(result);
}

/** lftp with TLS required on control and data (`ftp:ssl-force`, `ftp:ssl-protect-data`). */
function lftpSecure(port: number, commands: string): Promise<{ code: number; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      'lftp',
      [
        '-d',
        '-e',
        `set ftp:ssl-force yes; set ftp:ssl-protect-data yes; set ssl:verify-certificate no; set net:max-retries 1; set net:timeout 10; ${commands}; quit`,
        `ftp://anonymous:x@${PROXY_HOST}:${port}`,
      ],
      { stdio: ['ignore', 'ignore', 'pipe'], timeout: 60_000 },
    );
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString('latin1');
    });
    child.once('error', reject);
    child.once('close', (code) => resolve({ code: code ?? -1, stderr }));
  });
}

/** The commands vsftpd logged from `from` on (its log is shared by the sessions of a suite). */
function commandsSince(server: Vsftpd, from: number): string[] {
  return server.commands().slice(from);
}

/** vsftpd's own record of a completed transfer of `path` (its log with `xferlog_enable`). */
function transferred(server: Vsftpd, kind: 'DOWNLOAD' | 'UPLOAD', path: string): number {
  const marker = `OK ${kind}: Client "127.0.0.1", "/${path}", `;
  return server
    .log()
    .split('\n')
    .filter((line) => line.includes(marker)).length;
}

interface Setup {
  scratch: Scratch;
  tls: TlsFiles;
  server: Vsftpd;
  file: TestFile;
  proxies: InProcessProxy[];
}

/** A vsftpd with `options(tls)`, a 1 MiB file (plus 7 bytes), and proxies started later. */
function suite(name: string, options: (tls: TlsFiles) => VsftpdOptions): Setup {
  const setup = { proxies: [] } as unknown as Setup;
  beforeAll(async () => {
    setup.scratch = createScratch(name);
    setup.tls = createTlsFiles(setup.scratch.dir);
    setup.server = await startVsftpd(setup.scratch.dir, options(setup.tls));
    [setup.file] = createTestFiles(setup.server.root, [MiB + 7]) as [TestFile];
  }, 60_000);
  afterAll(async () => {
    for (const proxy of setup.proxies) await proxy.stop();
    await setup.server?.stop();
    setup.scratch?.remove();
  });
  return setup;
}

async function proxyFor(
  setup: Setup,
  options: Omit<Parameters<typeof startProxy>[0], 'upstream'>,
): Promise<InProcessProxy> {
  const proxy = await startProxy({
    upstream: { host: '127.0.0.1', port: setup.server.port },
    ...options,
  });
  setup.proxies.push(proxy);
  return proxy;
}

/** curl downloads `file` and uploads a copy as `pub/<target>`; both checked by sha256. */
async function curlRoundTrip(
  proxy: InProcessProxy,
  setup: Setup,
  args: readonly string[],
  target: string,
): Promise<void> {
  const down = await curl([...args, proxy.url(setup.file.name)]);
  expect(down.code, down.stderr).toBe(0);
  expect(sha256(down.stdout)).toBe(setup.file.sha256);
  const local = join(setup.server.root, setup.file.name);
  const up = await curl([...args, '-T', local, proxy.url(`pub/${target}`)]);
  expect(up.code, up.stderr).toBe(0);
  expect(fileSha256(join(setup.server.uploads, target))).toBe(setup.file.sha256);
  const list = await curl([...args, proxy.url()]);
  expect(list.code, list.stderr).toBe(0);
  expect(list.stdout.toString()).toContain(setup.file.name);
}

const SECURITY = /^(AUTH|PBSZ|PROT|CCC)\b/;

describe.skipIf(vsftpd.skip)(
  '--upstream-tls off: FTPS clients, a vsftpd without TLS (ssl_enable=NO)',
  () => {
    const setup = suite('legs-off', () => ({}));
    let off: InProcessProxy;

    beforeAll(async () => {
      off = await proxyFor(setup, {
        tls: { cert: setup.tls.cert, key: setup.tls.key },
        upstreamTls: { mode: 'off' },
      });
    });

    it('the problem: with match-client the AUTH reaches vsftpd, which refuses it, and curl fails', async () => {
      const matching = await proxyFor(setup, { tls: { cert: setup.tls.cert, key: setup.tls.key } });
      const from = setup.server.commands().length;
      const down = await curl([...FTPS, matching.url(setup.file.name)]);
      expect(down.code).not.toBe(0);
      expect(commandsSince(setup.server, from)).toContain('AUTH TLS');
    }, 30_000);

    for (const [mode, args] of [
      ['227 trusted', TRUST_PASV],
      ['EPSV', []],
    ] as const) {
      it(`curl FTPS with PROT P (${mode}): download, upload, list; vsftpd never hears of TLS`, async () => {
        const from = setup.server.commands().length;
        const downloads = transferred(setup.server, 'DOWNLOAD', setup.file.name);
        const target = `curl-off-${mode.replace(/\W+/g, '-')}.bin`;
        await curlRoundTrip(off, setup, [...FTPS, ...args], target);
        const commands = commandsSince(setup.server, from);
        expect(commands.filter((command) => SECURITY.test(command))).toEqual([]);
        expect(commands).toContain(`RETR ${setup.file.name}`);
        expect(transferred(setup.server, 'DOWNLOAD', setup.file.name)).toBe(downloads + 1);
        expect(transferred(setup.server, 'UPLOAD', `pub/${target}`)).toBe(1);
        // The client's leg was TLS on control and data; the server's was not.
        expect(off.lines.some((line) => /\btls client TLSv1\.[23] \S+$/.test(line))).toBe(true);
        expect(off.lines.some((line) => / tls to client$/.test(line))).toBe(true);
      }, 60_000);
    }

    it('basic-ftp with explicit FTPS: list, download, upload', async () => {
      const from = setup.server.commands().length;
      const client = await basicFtp(PROXY_HOST, off.port, { secure: true });
      try {
        expect((await client.list()).map((entry) => entry.name)).toContain(setup.file.name);
        const bytes = await download(client, setup.file.name);
        expect(sha256(bytes)).toBe(setup.file.sha256);
        const payload = Buffer.alloc(100_003, 0x5a);
        await upload(client, payload, 'pub/basic-off.bin');
        expect(fileSha256(join(setup.server.uploads, 'basic-off.bin'))).toBe(sha256(payload));
      } finally {
        client.close();
      }
      expect(commandsSince(setup.server, from).filter((command) => SECURITY.test(command))).toEqual(
        [],
      );
      expect(transferred(setup.server, 'UPLOAD', 'pub/basic-off.bin')).toBe(1);
    }, 60_000);

    it('ftplib FTP_TLS with prot_p(): download and upload', async () => {
      const result = await ftplibTransfer(off.port, setup.file, 'pub/ftplib-off.bin', {
        tls: true,
        active: false,
      });
      expect(result.sha256).toBe(setup.file.sha256);
      expect(transferred(setup.server, 'UPLOAD', 'pub/ftplib-off.bin')).toBe(1);
    }, 60_000);

    it('lftp with ssl-force and ssl-protect-data: download over TLS', async () => {
      const out = join(setup.scratch.dir, 'lftp-off.bin');
      const result = await lftpSecure(off.port, `get ${setup.file.name} -o ${out}`);
      expect(result.code, result.stderr).toBe(0);
      expect(result.stderr).toMatch(/---> AUTH TLS/);
      expect(result.stderr).toMatch(/---> PROT P/);
      expect(sha256(readFileSync(out))).toBe(setup.file.sha256);
    }, 60_000);

    it('FEAT offers the proxy’s AUTH TLS, PBSZ and PROT, which vsftpd without TLS lists not', async () => {
      const client = await RawFtp.connect(PROXY_HOST, off.port);
      try {
        await client.reply();
        const feat = await client.command('FEAT');
        expect(feat.code).toBe(211);
        expect(feat.lines).toEqual(expect.arrayContaining([' AUTH TLS', ' PBSZ', ' PROT']));
      } finally {
        client.close();
      }
    }, 30_000);

    it('with --implicit-tls: TLS from the first byte toward curl, plain FTP toward vsftpd', async () => {
      const implicit = await proxyFor(setup, {
        tls: { cert: setup.tls.cert, key: setup.tls.key },
        implicitTls: true,
        upstreamTls: { mode: 'off' },
      });
      const from = setup.server.commands().length;
      const url = `ftps://${PROXY_HOST}:${implicit.port}/${setup.file.name}`;
      const down = await curl(['-k', url]);
      expect(down.code, down.stderr).toBe(0);
      expect(sha256(down.stdout)).toBe(setup.file.sha256);
      expect(commandsSince(setup.server, from).filter((command) => SECURITY.test(command))).toEqual(
        [],
      );
      expect(implicit.lines.some((line) => / \(implicit TLS\)$/.test(line))).toBe(false);
    }, 30_000);
  },
);

describe.skipIf(vsftpd.skip)(
  '--upstream-tls on: plain clients, a vsftpd that requires TLS for logins and data',
  () => {
    const setup = suite('legs-on', (tls) => ({ tls, forceTls: { logins: true, data: true } }));
    let on: InProcessProxy;

    beforeAll(async () => {
      on = await proxyFor(setup, {
        tls: { cert: setup.tls.cert, key: setup.tls.key },
        // The server's certificate is verified on control and data connections.
        upstreamTls: { mode: 'on', ca: setup.tls.cert },
      });
    });

    it('the problem: plain curl straight to vsftpd is refused at login', async () => {
      const down = await curl([`ftp://127.0.0.1:${setup.server.port}/${setup.file.name}`]);
      expect(down.code).not.toBe(0);
      expect(setup.server.log()).toContain('530 Anonymous sessions must use encryption.');
    }, 30_000);

    it('plain curl: the proxy logs in over TLS with PROT P; download, upload and list work', async () => {
      const from = setup.server.commands().length;
      const downloads = transferred(setup.server, 'DOWNLOAD', setup.file.name);
      await curlRoundTrip(on, setup, [...TRUST_PASV], 'curl-on.bin');
      const commands = commandsSince(setup.server, from);
      // Each of curl's three sessions began with the proxy's own exchanges, before USER.
      const sessions = commands.filter((command) => command === 'AUTH TLS').length;
      expect(sessions).toBe(3);
      expect(commands.slice(0, 4)).toEqual(['AUTH TLS', 'PBSZ 0', 'PROT P', 'USER anonymous']);
      expect(transferred(setup.server, 'DOWNLOAD', setup.file.name)).toBe(downloads + 1);
      expect(transferred(setup.server, 'UPLOAD', 'pub/curl-on.bin')).toBe(1);
      expect(on.lines.some((line) => / tls to server \(session reused\)$/.test(line))).toBe(true);
    }, 60_000);

    it('basic-ftp and ftplib in plain FTP: download and upload', async () => {
      const client = await basicFtp(PROXY_HOST, on.port, { passive: 'pasv' });
      try {
        expect(sha256(await download(client, setup.file.name))).toBe(setup.file.sha256);
        await upload(client, Buffer.alloc(70_001, 0x33), 'pub/basic-on.bin');
      } finally {
        client.close();
      }
      expect(transferred(setup.server, 'UPLOAD', 'pub/basic-on.bin')).toBe(1);
      const result = await ftplibTransfer(on.port, setup.file, 'pub/ftplib-on.bin', {
        tls: false,
        active: false,
      });
      expect(result.sha256).toBe(setup.file.sha256);
      expect(transferred(setup.server, 'UPLOAD', 'pub/ftplib-on.bin')).toBe(1);
    }, 60_000);

    it('an FTPS client gets TLS on its own leg: vsftpd sees one AUTH per session, the proxy’s', async () => {
      const from = setup.server.commands().length;
      const down = await curl([...FTPS, on.url(setup.file.name)]);
      expect(down.code, down.stderr).toBe(0);
      expect(sha256(down.stdout)).toBe(setup.file.sha256);
      const commands = commandsSince(setup.server, from);
      expect(commands.filter((command) => command.startsWith('AUTH'))).toEqual(['AUTH TLS']);
      expect(commands.filter((command) => command.startsWith('PROT'))).toEqual(['PROT P']);
    }, 30_000);

    it('with --implicit-tls: TLS from the first byte toward curl, AUTH TLS toward vsftpd', async () => {
      const implicit = await proxyFor(setup, {
        tls: { cert: setup.tls.cert, key: setup.tls.key },
        implicitTls: true,
        upstreamTls: { mode: 'on', ca: setup.tls.cert },
      });
      const from = setup.server.commands().length;
      const down = await curl(['-k', `ftps://${PROXY_HOST}:${implicit.port}/${setup.file.name}`]);
      expect(down.code, down.stderr).toBe(0);
      expect(sha256(down.stdout)).toBe(setup.file.sha256);
      expect(commandsSince(setup.server, from).slice(0, 3)).toEqual([
        'AUTH TLS',
        'PBSZ 0',
        'PROT P',
      ]);
    }, 30_000);

    it('the server’s certificate is verified: against another CA the client gets 421, nothing else', async () => {
      const stranger = createTlsFiles(setup.scratch.dir, 'stranger');
      const wary = await proxyFor(setup, { upstreamTls: { mode: 'on', ca: stranger.cert } });
      const from = setup.server.commands().length;
      const down = await curl([wary.url(setup.file.name)]);
      expect(down.code).not.toBe(0);
      expect(commandsSince(setup.server, from)).toEqual(['AUTH TLS']);
      await waitFor(
        () =>
          wary.lines.some((line) => /ERR_TLS: the TLS handshake with the server failed/.test(line)),
        'the proxy to log the refused certificate',
      );
    }, 30_000);
  },
);

describe.skipIf(vsftpd.skip)('--upstream-tls on against a vsftpd without TLS', () => {
  const setup = suite('legs-on-plain', () => ({}));

  it('the server refuses AUTH TLS: the client gets 421, never a session in clear text', async () => {
    const on = await proxyFor(setup, { upstreamTls: { mode: 'on' } });
    const client = await RawFtp.connect(PROXY_HOST, on.port);
    try {
      expect((await client.reply()).code).toBe(220);
      client.send('USER anonymous');
      const refused = await client.reply();
      expect(refused.code).toBe(421);
      expect(refused.lines[0]).toBe('421 Service not available: the FTP server refused TLS.');
    } finally {
      client.close();
    }
    expect(setup.server.commands()).toEqual(['AUTH TLS']);
  }, 30_000);
});

describe.skipIf(vsftpd.skip)(
  '--upstream-data passive and epsv: active-mode clients, a vsftpd with port_enable=NO',
  () => {
    const setup = suite('legs-passive', (tls) => ({ tls, portEnable: false }));
    let passive: InProcessProxy;

    beforeAll(async () => {
      passive = await proxyFor(setup, {
        tls: { cert: setup.tls.cert, key: setup.tls.key },
        upstreamTls: { ca: setup.tls.cert },
        upstreamData: 'passive',
      });
    });

    it('the problem: curl -P fails straight to vsftpd and through the proxy following the client', async () => {
      const direct = await curl([
        ...ACTIVE,
        `ftp://127.0.0.1:${setup.server.port}/${setup.file.name}`,
      ]);
      expect(direct.code).not.toBe(0);
      const following = await proxyFor(setup, {
        tls: { cert: setup.tls.cert, key: setup.tls.key },
      });
      const through = await curl([...ACTIVE, following.url(setup.file.name)]);
      expect(through.code).not.toBe(0);
      expect(setup.server.log()).toContain('550 Permission denied.');
    }, 30_000);

    // Active mode over FTPS is ftplib's below: curl 7.88 makes no TLS handshake on an active
    // data connection (curl/curl#10666, a 7.87 regression), straight to vsftpd as well.
    for (const [mode, args, sent] of [
      ['EPRT', [...ACTIVE], 'EPSV'],
      ['PORT', [...ACTIVE, '--disable-eprt'], 'PASV'],
    ] as const) {
      it(`curl -P (${mode}): download, upload, list; vsftpd is sent ${sent}, never PORT or EPRT`, async () => {
        const from = setup.server.commands().length;
        const downloads = transferred(setup.server, 'DOWNLOAD', setup.file.name);
        const target = `curl-active-${mode.replace(/\W+/g, '-')}.bin`;
        await curlRoundTrip(passive, setup, args, target);
        const commands = commandsSince(setup.server, from);
        expect(commands.filter((command) => /^(PORT|EPRT)\b/.test(command))).toEqual([]);
        expect(commands.filter((command) => command === sent)).toHaveLength(3);
        expect(transferred(setup.server, 'DOWNLOAD', setup.file.name)).toBe(downloads + 1);
        expect(transferred(setup.server, 'UPLOAD', `pub/${target}`)).toBe(1);
        expect(
          passive.lines.some((line) => / data active-passive 127\.0\.0\.1:\d+ <-> /.test(line)),
        ).toBe(true);
      }, 60_000);
    }

    for (const tls of [false, true]) {
      it(`ftplib in active mode${tls ? ' over FTPS with PROT P' : ''}: PORT answered 200, download and upload`, async () => {
        const target = `pub/ftplib-active-${tls ? 'tls' : 'plain'}.bin`;
        const from = setup.server.commands().length;
        const result = await ftplibTransfer(passive.port, setup.file, target, {
          tls,
          active: true,
        });
        expect(result.sha256).toBe(setup.file.sha256);
        expect(transferred(setup.server, 'UPLOAD', target)).toBe(1);
        // ftplib sends PORT (IPv4): vsftpd got PASV for each of its two transfers.
        const commands = commandsSince(setup.server, from);
        expect(commands.filter((command) => command === 'PASV')).toHaveLength(2);
        expect(commands.filter((command) => /^(PORT|EPRT)\b/.test(command))).toEqual([]);
      }, 60_000);
    }

    it('the rules stay: PORT naming another host or a port below 1024 is refused, never sent', async () => {
      const client = await RawFtp.connect(PROXY_HOST, passive.port);
      try {
        await client.reply();
        await client.login();
        const from = setup.server.commands().length;
        expect((await client.command('PORT 127,0,0,5,200,1')).code).toBe(501);
        expect((await client.command('PORT 127,0,0,1,0,21')).code).toBe(501);
        expect((await client.command('NOOP')).code).toBe(200);
        expect(commandsSince(setup.server, from)).toEqual(['NOOP']);
      } finally {
        client.close();
      }
    }, 30_000);

    it('--upstream-data epsv: a PASV client gets a 227 naming the proxy; vsftpd sees only EPSV', async () => {
      const epsv = await proxyFor(setup, {
        tls: { cert: setup.tls.cert, key: setup.tls.key },
        upstreamTls: { ca: setup.tls.cert },
        upstreamData: 'epsv',
      });
      const from = setup.server.commands().length;
      await curlRoundTrip(epsv, setup, [...TRUST_PASV], 'curl-epsv.bin');
      const commands = commandsSince(setup.server, from);
      expect(commands).not.toContain('PASV');
      expect(commands.filter((command) => command === 'EPSV')).toHaveLength(3);
      expect(epsv.lines.some((line) => /"227 Entering Passive Mode \(127,0,0,3,/.test(line))).toBe(
        true,
      );
    }, 60_000);
  },
);
