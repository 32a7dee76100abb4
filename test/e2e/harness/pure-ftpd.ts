// Pure-FTPd 1.0.50, for the one thing vsftpd and ftp-srv cannot show: MLSD. Debian refuses to
// install it beside vsftpd (both provide ftp-server), so it runs from an extracted package
// (TOOLCHAIN.md): `apt-get download pure-ftpd && dpkg-deb -x pure-ftpd_*.deb DIR`, then
// FTPWIRE_PURE_FTPD=DIR/usr/sbin/pure-ftpd. Its anonymous root is the ftp user's home,
// /srv/ftp: the server runs in a mount namespace of its own where the test's directory is
// bind-mounted there, so nothing outside the test changes. Needs root (unshare, mount).

import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { freePort, freePortRange } from './ports.js';
import { waitForListening } from './wait.js';

export const PURE_FTPD = process.env['FTPWIRE_PURE_FTPD'];
const ANONYMOUS_ROOT = '/srv/ftp';

/** Why Pure-FTPd cases cannot run here, or undefined when they can. */
export function pureFtpdUnavailable(): string | undefined {
  if (PURE_FTPD === undefined)
    return 'FTPWIRE_PURE_FTPD does not name an extracted pure-ftpd binary';
  if (!existsSync(PURE_FTPD)) return `${PURE_FTPD} does not exist`;
  if (!existsSync(ANONYMOUS_ROOT)) return `${ANONYMOUS_ROOT}, the anonymous root, does not exist`;
  if (process.getuid?.() !== 0) return 'pure-ftpd must be started as root';
  return undefined;
}

export interface PureFtpd {
  readonly port: number;
  stop(): Promise<void>;
}

/** Pure-FTPd serving `root` to anonymous users on 127.0.0.1 (passive data on 127.0.0.1). */
export async function startPureFtpd(root: string): Promise<PureFtpd> {
  const port = await freePort();
  const passive = await freePortRange(20);
  const child = spawn(
    'unshare',
    [
      '-m',
      'sh',
      '-c',
      'mount --bind "$1" "$2" && exec "$3" -S "127.0.0.1,$4" -e -p "$5" -P 127.0.0.1',
      'pure-ftpd',
      root,
      ANONYMOUS_ROOT,
      PURE_FTPD!,
      String(port),
      `${passive.min}:${passive.max}`,
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const kill = () => child.kill('SIGTERM');
  process.once('exit', kill);
  try {
    await waitForListening('pure-ftpd', '127.0.0.1', port, child, 5000);
  } catch (error) {
    child.kill('SIGKILL');
    throw new Error(`${(error as Error).message}: ${stderr}`);
  }
  return {
    port,
    stop: () =>
      new Promise<void>((resolve) => {
        process.off('exit', kill);
        if (child.exitCode !== null) {
          resolve();
          return;
        }
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}
