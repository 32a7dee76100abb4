// Per-test-file scratch space: a private directory under the system temp dir (whose own mode is
// never touched), a TLS identity made for the run, and test files of chosen sizes.
import { execFileSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface Scratch {
  readonly dir: string;
  path(...parts: string[]): string;
  remove(): void;
}

export function createScratch(name: string): Scratch {
  const dir = mkdtempSync(join(tmpdir(), `ftpwire-${name}-`));
  // vsftpd drops to the ftp user inside its root; the root's parents must be traversable.
  chmodSync(dir, 0o755);
  return {
    dir,
    path: (...parts) => join(dir, ...parts),
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}

export interface TlsFiles {
  readonly certFile: string;
  readonly keyFile: string;
  readonly cert: Buffer;
  readonly key: Buffer;
}

/**
 * A self-signed certificate for 127.0.0.1 (CN and an IP subjectAltName, so that a verifying
 * client accepts it when told to trust it). Made at test start, never committed.
 */
export function createTlsFiles(dir: string, name = 'server'): TlsFiles {
  const certFile = join(dir, `${name}.crt`);
  const keyFile = join(dir, `${name}.key`);
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-days',
      '2',
      '-subj',
      '/CN=127.0.0.1',
      '-addext',
      'subjectAltName=IP:127.0.0.1',
      '-keyout',
      keyFile,
      '-out',
      certFile,
    ],
    { stdio: 'ignore' },
  );
  return { certFile, keyFile, cert: readFileSync(certFile), key: readFileSync(keyFile) };
}

export interface TestFile {
  readonly name: string;
  readonly size: number;
  readonly sha256: string;
}

export function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** Writes random files of the given sizes into `dir`, named `file-<size>.bin`. */
export function createTestFiles(dir: string, sizes: readonly number[]): TestFile[] {
  mkdirSync(dir, { recursive: true });
  return sizes.map((size) => {
    const bytes = randomBytes(size);
    const name = `file-${size}.bin`;
    writeFileSync(join(dir, name), bytes);
    return { name, size, sha256: sha256(bytes) };
  });
}

export function fileSha256(path: string): string {
  return sha256(readFileSync(path));
}

export const KiB = 1024;
export const MiB = 1024 * 1024;
