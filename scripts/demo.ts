// `pnpm demo`: the problem ftpwire comes from, and its proxy solving it, on one machine.
//
// A real FTP server listens on 127.0.0.1 and advertises 127.0.0.2 in its PASV replies, where
// nothing listens: a server behind NAT that names an address its clients cannot reach. A
// client that trusts the reply (curl --disable-epsv --no-ftp-skip-pasv-ip) fails. The same
// transfer over explicit FTPS, where no NAT helper can read the reply, then goes through
// ftpwire-proxy, which terminates TLS, rewrites the 227 on the clear stream and relays the data.
//
// The server is vsftpd where it is installed (installed with apt-get when running as root and
// missing), else ftp-srv from npm in this process. FTPWIRE_DEMO_SERVER=ftp-srv forces the latter.
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { FtpProxy } from '@ftpwire/proxy';
import { startFtpSrv } from '../test/e2e/harness/ftp-srv.js';
import { freePortRange } from '../test/e2e/harness/ports.js';
import { createScratch, createTlsFiles, sha256 } from '../test/e2e/harness/temp.js';
import { startVsftpd, VSFTPD, vsftpdUnavailable } from '../test/e2e/harness/vsftpd.js';
import { runClient } from './demo/client.js';

const SERVER_HOST = '127.0.0.1';
const ADVERTISED = '127.0.0.2';
const PROXY_HOST = '127.0.0.3';
const FILE = 'hello.txt';
const CONTENT = 'Hello from an FTP server behind NAT, fetched over FTPS through ftpwire-proxy.\n';

const say = (text = '') => process.stdout.write(`${text}\n`);
const indent = (lines: readonly string[]) => {
  for (const line of lines) say(`    ${line}`);
};

/** vsftpd if it can run here; installs it with apt-get when root and missing. */
function chooseServer(): { kind: 'vsftpd' | 'ftp-srv'; why: string } {
  if (process.env['FTPWIRE_DEMO_SERVER'] === 'ftp-srv') {
    return { kind: 'ftp-srv', why: 'FTPWIRE_DEMO_SERVER=ftp-srv' };
  }
  let reason = vsftpdUnavailable();
  if (reason?.includes('not installed') && process.getuid?.() === 0) {
    say('vsftpd is not installed and this runs as root: installing it with apt-get...');
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
    const install = () =>
      spawnSync('apt-get', ['install', '-y', '--no-install-recommends', 'vsftpd'], {
        env,
        stdio: 'ignore',
      }).status === 0;
    if (!install()) {
      spawnSync('apt-get', ['update'], { env, stdio: 'ignore' });
      install();
    }
    reason = vsftpdUnavailable();
    if (reason) reason = `apt-get could not install it (${reason})`;
  }
  if (reason === undefined) return { kind: 'vsftpd', why: VSFTPD };
  return { kind: 'ftp-srv', why: `vsftpd unavailable: ${reason}` };
}

function hasCurl(): boolean {
  return spawnSync('curl', ['--version'], { stdio: 'ignore' }).status === 0;
}

function hasOpenssl(): boolean {
  return spawnSync('openssl', ['version'], { stdio: 'ignore' }).status === 0;
}

async function main(): Promise<number> {
  say(
    'ftpwire demo: a NATed FTP server, a client that fails, and ftpwire-proxy fixing it over FTPS',
  );
  say('Everything runs on this machine, on loopback addresses only.\n');
  if (!hasOpenssl()) {
    say('openssl is needed to make the demo certificates; please install it.');
    return 1;
  }
  const scratch = createScratch('demo');
  const stops: (() => Promise<void>)[] = [];
  try {
    const serverTls = createTlsFiles(scratch.dir, 'server');
    const proxyTls = createTlsFiles(scratch.dir, 'proxy');
    const choice = chooseServer();
    const server =
      choice.kind === 'vsftpd'
        ? await startVsftpd(scratch.dir, { tls: serverTls, pasvAddress: ADVERTISED, pasvPorts: 20 })
        : await startFtpSrv(scratch.dir, {
            tls: serverTls,
            pasvAddress: ADVERTISED,
            pasvPorts: 20,
          });
    stops.push(() => server.stop());
    writeFileSync(join(server.root, FILE), CONTENT);
    say(
      `Server: ${choice.kind === 'vsftpd' ? 'vsftpd' : 'ftp-srv (npm, in this process)'} [${choice.why}]`,
    );
    say(
      `  listens on ${SERVER_HOST}:${server.port}, FTPS by AUTH TLS, and advertises ${ADVERTISED} in`,
    );
    say(`  its 227 replies, where nothing listens: the address a server behind NAT would name.\n`);

    const client = hasCurl() ? 'curl' : 'basic-ftp';
    if (client !== 'curl')
      say('(curl is not installed: basic-ftp, forced to PASV, plays the client.)\n');

    // 1. Straight to the server: the client dials the advertised address and fails.
    const direct = await runClient(client, {
      host: SERVER_HOST,
      port: server.port,
      path: FILE,
      tls: false,
    });
    say('1. A client that trusts the PASV reply, straight to the server (plain FTP):');
    say(`  $ ${direct.command}`);
    indent(direct.transcript);
    say(
      direct.ok
        ? '  Unexpected: the transfer worked, so this machine reaches 127.0.0.2 after all.'
        : `  => FAILED (${direct.failure}): the client dialled ${ADVERTISED}, which nobody can reach.\n`,
    );

    // 2. Through the proxy, over explicit FTPS.
    const range = await freePortRange(20, [PROXY_HOST]);
    const proxyLog: string[] = [];
    const proxy = new FtpProxy({
      listen: { host: PROXY_HOST, port: 0 },
      upstream: { host: SERVER_HOST, port: server.port },
      publicHost: PROXY_HOST,
      passivePorts: range,
      tls: { cert: proxyTls.cert, key: proxyTls.key },
      // The proxy checks the server's certificate (here against the demo's own CA).
      upstreamTls: { ca: serverTls.cert },
      log: (line) => proxyLog.push(line),
    });
    const { port } = await proxy.listen();
    stops.push(() => proxy.close());
    say('2. The same transfer over explicit FTPS (AUTH TLS, PROT P), through ftpwire-proxy:');
    say(
      `  $ ftpwire-proxy --listen ${PROXY_HOST}:${port} --upstream ${SERVER_HOST}:${server.port} \\`,
    );
    say(
      `      --public-host ${PROXY_HOST} --passive-ports ${range.min}-${range.max} --tls-cert proxy.crt --tls-key proxy.key \\`,
    );
    say('      --upstream-ca server.crt');
    const proxied = await runClient(client, { host: PROXY_HOST, port, path: FILE, tls: true });
    say(`  $ ${proxied.command}`);
    indent(proxied.transcript);
    const body = proxied.body ?? Buffer.alloc(0);
    const intact = sha256(body) === sha256(Buffer.from(CONTENT));
    if (proxied.ok && intact) {
      say(`  => OK: received ${body.length} bytes, sha256 identical to the server's file:`);
      say(`     ${JSON.stringify(body.toString())}\n`);
    } else {
      say(`  => FAILED: ${proxied.failure ?? 'the file arrived damaged'}\n`);
    }

    await proxy.close();
    stops.pop();
    say('What the proxy logged (one line per session event and per rewrite):');
    indent(proxyLog.filter((line) => line.startsWith('session ')));
    const rewrite = proxyLog.find((line) => line.includes(': "227 '));
    const quoted = rewrite ? [...rewrite.matchAll(/"(227 [^"]*)"/g)].map((m) => m[1]!) : [];
    if (quoted.length === 2) {
      say('\nThe 227 reply, before and after:');
      say(`  the server said: ${quoted[0]}   (${ADVERTISED}: unreachable)`);
      say(`  the client saw:  ${quoted[1]}   (${PROXY_HOST}: the proxy's data port)`);
    }
    say('\nA NAT helper could not have done this: after AUTH TLS the 227 is encrypted. The proxy');
    say(
      'terminates TLS on both sides (its own certificate toward the client, a verified one toward',
    );
    say(
      'the server), reads the reply on the clear stream with @ftpwire/reply and @ftpwire/address,',
    );
    say('writes its own 227 naming its data port, and relays the data');
    say(
      choice.kind === 'vsftpd'
        ? "connection as TLS on both sides, resuming the control session's TLS as vsftpd requires."
        : 'connection as TLS on both sides.',
    );
    return proxied.ok && intact && !direct.ok ? 0 : 1;
  } finally {
    for (const stop of stops.reverse()) await stop().catch(() => {});
    scratch.remove();
  }
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`demo failed: ${(error as Error).stack ?? String(error)}\n`);
    process.exitCode = 1;
  },
);
