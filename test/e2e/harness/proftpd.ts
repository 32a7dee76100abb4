// ProFTPD 1.3.8 with mod_proxy 0.9.3 as a reverse proxy: the gateway operators compare
// ftpwire-proxy with (issue 15). Debian refuses to install ProFTPD beside vsftpd (both provide
// ftp-server), so it runs from packages unpacked by scripts/fetch-proftpd.sh into .tools/proftpd
// (or FTPWIRE_PROFTPD_DIR), nothing installed system-wide.
//
// Two things of mod_proxy's decide the configuration (TOOLCHAIN.md): it refuses an upstream 227
// that names another address than the server's (vsftpd here advertises 127.0.0.2), so it talks
// EPSV to the server (`ProxyDataTransferPolicy EPSV`); and after vsftpd's `no_anon_password=YES`
// 230 to USER it answers 530 to everything, so its vsftpd must ask for a password
// (`startVsftpd(..., { anonymousPassword: true })`). `ProxyTLSEngine MatchClient` by default (its
// default, `auto`, would encrypt the server's leg of a plain session); in practice it then spoke
// to vsftpd in the clear even for FTPS clients, so comparisons of FTPS take `serverTls: 'on'`.

import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort, freePortRange } from './ports.js';
import type { TlsFiles } from './temp.js';
import { waitForListening } from './wait.js';

const repository = fileURLToPath(new URL('../../..', import.meta.url));
/** Where scripts/fetch-proftpd.sh unpacked the packages. */
export const PROFTPD_DIR = process.env['FTPWIRE_PROFTPD_DIR'] || join(repository, '.tools/proftpd');
const binary = join(PROFTPD_DIR, 'usr/sbin/proftpd');
const modules = join(PROFTPD_DIR, 'usr/lib/proftpd');
const libraries = join(PROFTPD_DIR, 'usr/lib/x86_64-linux-gnu');

/** The address mod_proxy listens on: a loopback address of its own, as ftpwire-proxy has. */
export const MOD_PROXY_HOST = '127.0.0.4';

let availability: string | undefined | null = null;

/** Why mod_proxy cannot run here, or undefined when it can. */
export function modProxyUnavailable(): string | undefined {
  if (availability !== null) return availability;
  availability = (() => {
    const fetch = 'run scripts/fetch-proftpd.sh';
    if (!existsSync(binary)) return `${binary} is missing (${fetch})`;
    for (const module of ['mod_proxy.so', 'mod_tls.so']) {
      if (!existsSync(join(modules, module)))
        return `${join(modules, module)} is missing (${fetch})`;
    }
    if (process.getuid?.() !== 0) return 'proftpd must be started as root (it drops to nobody)';
    try {
      execFileSync(binary, ['--version'], {
        env: { ...process.env, LD_LIBRARY_PATH: libraries },
        stdio: ['ignore', 'ignore', 'pipe'],
      });
    } catch (error) {
      const stderr = String((error as { stderr?: Buffer }).stderr ?? '').trim();
      return `${binary} does not run: ${stderr.split('\n')[0] ?? (error as Error).message} (${fetch})`;
    }
    return undefined;
  })();
  return availability;
}

export interface ModProxyOptions {
  /** vsftpd's port on 127.0.0.1 (started with `anonymousPassword: true`). */
  readonly upstreamPort: number;
  /** mod_tls toward clients, and TLS toward the server as `serverTls` says. */
  readonly tls?: TlsFiles;
  /** Passive ports toward clients. Default 100. */
  readonly passivePorts?: number;
  /**
   * TLS toward the server: `match-client` (default, `ProxyTLSEngine MatchClient`) or `on`
   * (`ProxyTLSEngine on` with `ProxyTLSTransferProtectionPolicy required`). Measured with
   * vsftpd's command log: under MatchClient, mod_proxy 0.9.3 sent neither AUTH TLS nor PROT P to
   * the server even for a client that used both, so its PROT P transfers were encrypted on the
   * client's leg only and vsftpd sent them in the clear (with sendfile); `on` encrypts both legs,
   * as ftpwire-proxy does.
   */
  readonly serverTls?: 'match-client' | 'on';
  /** `ProxyLog` and `TLSLog` into the scratch directory (off for benchmarks). */
  readonly log?: boolean;
}

export interface ModProxy {
  readonly host: string;
  readonly port: number;
  /** The master process (sessions are its children, one process each). */
  readonly pid: number;
  /** The session processes alive now. */
  sessionPids(): number[];
  /**
   * CPU seconds the master and its finished sessions have used (utime, stime and the children's
   * cutime, cstime from /proc, in clock ticks): sessions count once they have exited.
   */
  cpuSeconds(): number;
  log(): string;
  stop(): Promise<void>;
}

const TICKS_PER_SECOND = 100;

/** Fields 14-17 of /proc/PID/stat: utime, stime, cutime, cstime. */
function processTicks(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return [11, 12, 13, 14].reduce((sum, index) => sum + Number(fields[index]), 0);
}

/** ProFTPD with mod_proxy in front of the vsftpd on `upstreamPort`, on {@link MOD_PROXY_HOST}. */
export async function startModProxy(dir: string, options: ModProxyOptions): Promise<ModProxy> {
  const reason = modProxyUnavailable();
  if (reason !== undefined) throw new Error(`mod_proxy cannot run: ${reason}`);
  const home = join(dir, 'mod_proxy');
  mkdirSync(join(home, 'tables'), { recursive: true });
  const port = await freePort(MOD_PROXY_HOST);
  const passive = await freePortRange(options.passivePorts ?? 100, [MOD_PROXY_HOST]);
  const tls = options.tls;
  const config = [
    'ServerName "mod_proxy in front of vsftpd"',
    'ServerType standalone',
    'DefaultServer on',
    `Port ${port}`,
    `DefaultAddress ${MOD_PROXY_HOST}`,
    'SocketBindTight on',
    'UseIPv6 off',
    'User nobody',
    'Group nogroup',
    `PidFile ${home}/proftpd.pid`,
    `ScoreboardFile ${home}/proftpd.scoreboard`,
    // mod_delay would add its own delays to logins; sessions are not limited here.
    'DelayEngine off',
    'DelayTable none',
    'WtmpLog off',
    'UseFtpUsers off',
    'RequireValidShell off',
    'MaxInstances none',
    // ProFTPD listens with a backlog of 5 (255 at most): a burst of connections (the scale benchmark opens 32
    // at once) overflowed it, and the dropped SYNs came back after seconds of retransmission.
    'TCPBackLog 255',
    'MaxClients none',
    'MaxClientsPerHost none',
    'TransferLog none',
    `SystemLog ${home}/proftpd.log`,
    `PassivePorts ${passive.min} ${passive.max}`,
    `ModulePath ${modules}`,
    'LoadModule mod_proxy.c',
    ...(tls ? ['LoadModule mod_tls.c'] : []),
    'ProxyEngine on',
    'ProxyRole reverse',
    `ProxyTables ${home}/tables`,
    ...(options.log ? [`ProxyLog ${home}/proxy.log`] : []),
    `ProxyReverseServers ftp://127.0.0.1:${options.upstreamPort}`,
    'ProxyDataTransferPolicy EPSV',
    ...(tls
      ? [
          `ProxyTLSEngine ${options.serverTls === 'on' ? 'on' : 'MatchClient'}`,
          'ProxyTLSVerifyServer off',
          ...(options.serverTls === 'on' ? ['ProxyTLSTransferProtectionPolicy required'] : []),
          'TLSEngine on',
          `TLSRSACertificateFile ${tls.certFile}`,
          `TLSRSACertificateKeyFile ${tls.keyFile}`,
          'TLSProtocol TLSv1.2 TLSv1.3',
          ...(options.log ? [`TLSLog ${home}/tls.log`] : []),
        ]
      : ['ProxyTLSEngine off']),
  ];
  const configFile = join(home, 'proftpd.conf');
  writeFileSync(configFile, `${config.join('\n')}\n`);
  // In a process group of its own (sessions are forked children), ended with the group; the
  // shell kills proftpd when its stdin closes, so it never outlives this process.
  const child = spawn(
    '/bin/sh',
    [
      '-c',
      '"$0" -n -c "$1" & pid=$!; read -r _; kill "$pid" 2>/dev/null; wait "$pid"',
      binary,
      configFile,
    ],
    {
      stdio: ['pipe', 'ignore', 'pipe'],
      detached: true,
      env: { ...process.env, LD_LIBRARY_PATH: libraries },
    },
  );
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const killGroup = () => {
    try {
      process.kill(-child.pid!, 'SIGTERM');
    } catch {}
  };
  process.once('exit', killGroup);
  child.once('exit', () => process.off('exit', killGroup));
  try {
    await waitForListening('proftpd', MOD_PROXY_HOST, port, child, 10_000);
  } catch (error) {
    killGroup();
    throw new Error(`${(error as Error).message}: ${stderr}`);
  }
  const pid = Number(readFileSync(join(home, 'proftpd.pid'), 'utf8').trim());
  const read = (file: string) => (existsSync(file) ? readFileSync(file, 'utf8') : '');
  return {
    host: MOD_PROXY_HOST,
    port,
    pid,
    sessionPids: () =>
      readdirSync('/proc')
        .filter((entry) => /^\d+$/.test(entry))
        .map(Number)
        .filter((candidate) => {
          try {
            const stat = readFileSync(`/proc/${candidate}/stat`, 'utf8');
            return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === pid;
          } catch {
            return false;
          }
        }),
    cpuSeconds: () => processTicks(pid) / TICKS_PER_SECOND,
    log: () => `${stderr}${read(join(home, 'proftpd.log'))}${read(join(home, 'proxy.log'))}`,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) {
          resolve();
          return;
        }
        child.once('exit', () => resolve());
        killGroup();
      }),
  };
}
