// curl 7.88 as a client. `--disable-epsv --no-ftp-skip-pasv-ip` makes it dial the address of the
// 227 reply (by default it ignores it), so only a correct rewrite lets a transfer through.
import { spawn } from 'node:child_process';

export const TRUST_PASV = ['--disable-epsv', '--no-ftp-skip-pasv-ip'] as const;
/** Explicit FTPS with PROT P; the test certificates are self-signed, hence -k. */
export const FTPS = ['--ssl-reqd', '-k'] as const;

export interface CurlResult {
  /** curl's exit status: 0 success, 7 could not connect, 28 timeout, ... */
  readonly code: number;
  readonly stdout: Buffer;
  readonly stderr: string;
}

export function curl(args: readonly string[], timeoutSeconds = 60): Promise<CurlResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      'curl',
      ['--silent', '--show-error', '--max-time', String(timeoutSeconds), ...args],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    const out: Buffer[] = [];
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.once('error', reject);
    child.once('close', (code) =>
      resolve({ code: code ?? -1, stdout: Buffer.concat(out), stderr }),
    );
  });
}
