// vsftpd 3.0.3 configured as TOOLCHAIN.md describes: listens on 127.0.0.1 and advertises
// 127.0.0.2 in its 227 replies. Its data sockets bind to 127.0.0.1, so 127.0.0.2:port refuses:
// a NATed server whose PASV address its client cannot reach.

import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { freePort, freePortRange } from './ports.js';
import type { TlsFiles } from './temp.js';
import { waitForListening } from './wait.js';

export const VSFTPD = '/usr/sbin/vsftpd';

/** Why vsftpd cases cannot run here, or undefined when they can. */
export function vsftpdUnavailable(): string | undefined {
  if (!existsSync(VSFTPD)) return `${VSFTPD} is not installed (apt-get install vsftpd)`;
  if (process.getuid?.() !== 0) return 'vsftpd must be started as root';
  return undefined;
}

/**
 * Whether to run vsftpd cases: they are skipped with the reason printed when vsftpd cannot
 * run, unless FTPWIRE_REQUIRE_VSFTPD=1 (CI), which turns a missing vsftpd into a failure.
 */
export function vsftpdCases(): { skip: boolean; reason: string } {
  const reason = vsftpdUnavailable();
  if (reason === undefined) return { skip: false, reason: '' };
  if (process.env['FTPWIRE_REQUIRE_VSFTPD'] === '1') {
    throw new Error(`FTPWIRE_REQUIRE_VSFTPD=1 but ${reason}`);
  }
  console.warn(`skipping vsftpd cases: ${reason}`);
  return { skip: true, reason };
}

export interface VsftpdOptions {
  readonly tls?: TlsFiles;
  /**
   * Ask anonymous users for a password (331 to USER, then PASS), as most servers do. Default
   * false: `no_anon_password=YES`, 230 to USER. ProFTPD's mod_proxy needs the PASS step.
   */
  readonly anonymousPassword?: boolean;
  /** Implicit FTPS (TLS from the first byte) instead of explicit AUTH TLS. */
  readonly implicit?: boolean;
  /** The address advertised in 227 replies. Default 127.0.0.2 (unreachable). */
  readonly pasvAddress?: string;
  /** How many passive ports. Default 100. */
  readonly pasvPorts?: number;
  /**
   * With `tls`: require TLS for logins (`force_*_logins_ssl`) and for data connections
   * (`force_*_data_ssl`, PROT P), for anonymous and local users alike. Default neither.
   */
  readonly forceTls?: { readonly logins?: boolean; readonly data?: boolean };
  /** `port_enable`: whether PORT and EPRT are accepted (a server that cannot connect out). Default true. */
  readonly portEnable?: boolean;
}

export interface Vsftpd {
  readonly port: number;
  /** The anonymous root: root-owned, mode 755 (vsftpd refuses a writable one). */
  readonly root: string;
  /** A directory inside the root where anonymous uploads are allowed, as `pub/`. */
  readonly uploads: string;
  readonly pasvPorts: { min: number; max: number };
  log(): string;
  /** The command lines vsftpd logged receiving (log_ftp_protocol), in order. */
  commands(): string[];
  stop(): Promise<void>;
}

function yesNo(value: boolean | undefined): 'YES' | 'NO' {
  return value ? 'YES' : 'NO';
}

export async function startVsftpd(dir: string, options: VsftpdOptions = {}): Promise<Vsftpd> {
  const root = join(dir, 'root');
  const uploads = join(root, 'pub');
  mkdirSync(uploads, { recursive: true });
  const { execFileSync } = await import('node:child_process');
  execFileSync('chown', ['root:root', root]);
  execFileSync('chmod', ['755', root]);
  // Anonymous sessions run as the ftp user; uploads need a directory it owns.
  execFileSync('chown', ['ftp', uploads]);
  const port = await freePort();
  const pasvPorts = await freePortRange(options.pasvPorts ?? 100);
  const logFile = join(dir, 'vsftpd.log');
  const tls = options.tls;
  const config = [
    'listen=YES',
    'listen_ipv6=NO',
    'listen_address=127.0.0.1',
    `listen_port=${port}`,
    'background=NO',
    'anonymous_enable=YES',
    'local_enable=NO',
    `no_anon_password=${options.anonymousPassword ? 'NO' : 'YES'}`,
    `anon_root=${root}`,
    'write_enable=YES',
    'anon_upload_enable=YES',
    'anon_mkdir_write_enable=YES',
    'anon_other_write_enable=YES',
    'anon_umask=022',
    `pasv_min_port=${pasvPorts.min}`,
    `pasv_max_port=${pasvPorts.max}`,
    `pasv_address=${options.pasvAddress ?? '127.0.0.2'}`,
    'pasv_addr_resolve=NO',
    `port_enable=${options.portEnable === false ? 'NO' : 'YES'}`,
    'seccomp_sandbox=NO',
    'isolate=NO',
    'isolate_network=NO',
    'max_clients=0',
    'max_per_ip=0',
    'xferlog_enable=YES',
    'log_ftp_protocol=YES',
    `vsftpd_log_file=${logFile}`,
    ...(tls
      ? [
          'ssl_enable=YES',
          'allow_anon_ssl=YES',
          `force_local_data_ssl=${yesNo(options.forceTls?.data)}`,
          `force_local_logins_ssl=${yesNo(options.forceTls?.logins)}`,
          `force_anon_data_ssl=${yesNo(options.forceTls?.data)}`,
          `force_anon_logins_ssl=${yesNo(options.forceTls?.logins)}`,
          'require_ssl_reuse=YES',
          `rsa_cert_file=${tls.certFile}`,
          `rsa_private_key_file=${tls.keyFile}`,
          ...(options.implicit ? ['implicit_ssl=YES'] : []),
        ]
      : ['ssl_enable=NO']),
  ];
  const configFile = join(dir, `vsftpd-${port}.conf`);
  writeFileSync(configFile, `${config.join('\n')}\n`);
  // In a shell of its own process group, so that stop() also ends the per-session children;
  // the shell kills vsftpd when its stdin closes, so vsftpd never outlives this process.
  const child = spawn(
    '/bin/sh',
    [
      '-c',
      '"$0" "$1" & pid=$!; read -r _; kill "$pid" 2>/dev/null; wait "$pid"',
      VSFTPD,
      configFile,
    ],
    { stdio: ['pipe', 'ignore', 'pipe'], detached: true },
  );
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  // If this process ends without stop() (a crashed worker, a bench run without hooks), vsftpd
  // must not outlive it.
  const killGroup = () => {
    try {
      process.kill(-child.pid!, 'SIGTERM');
    } catch {}
  };
  process.once('exit', killGroup);
  child.once('exit', () => process.off('exit', killGroup));
  try {
    await waitForListening('vsftpd', '127.0.0.1', port, child, 5000);
  } catch (error) {
    child.kill('SIGKILL');
    throw new Error(`${(error as Error).message}: ${stderr}`);
  }
  const log = () => (existsSync(logFile) ? readFileSync(logFile, 'latin1') : '');
  return {
    port,
    root,
    uploads,
    pasvPorts,
    log,
    commands: () => {
      // `... FTP command: Client "127.0.0.1", "PORT 127,0,0,1,4,1"` (vsftpd escapes nothing).
      const marker = 'FTP command: Client "';
      return log()
        .split('\n')
        .filter((line) => line.includes(marker))
        .map((line) => {
          const rest = line.slice(line.indexOf(marker) + marker.length);
          const open = rest.indexOf('", "');
          return rest.slice(open + 4, rest.endsWith('"') ? -1 : undefined);
        });
    },
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) {
          resolve();
          return;
        }
        child.once('exit', () => resolve());
        try {
          process.kill(-child.pid!, 'SIGTERM');
        } catch {
          resolve();
        }
      }),
  };
}
