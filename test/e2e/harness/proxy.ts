// The proxy under test: in this process (FtpProxy) or as the real CLI in a child process, whose
// file descriptors can then be counted from /proc without counting the test's own.
import { type ChildProcess, spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { FtpProxy, type ProxyOptions } from '@ftpwire/proxy';
import type { TlsFiles } from './temp.js';

/** The proxy's address in every test: a loopback address of its own, as a public host would be. */
export const PROXY_HOST = '127.0.0.3';

export interface InProcessProxy {
  readonly proxy: FtpProxy;
  readonly port: number;
  readonly lines: string[];
  url(path?: string): string;
  stop(): Promise<void>;
}

export async function startProxy(
  options: Omit<ProxyOptions, 'listen' | 'publicHost'> & Partial<Pick<ProxyOptions, 'publicHost'>>,
): Promise<InProcessProxy> {
  const lines: string[] = [];
  const proxy = new FtpProxy({
    listen: { host: PROXY_HOST, port: 0 },
    publicHost: PROXY_HOST,
    log: (line) => lines.push(line),
    ...options,
  });
  const { port } = await proxy.listen();
  return {
    proxy,
    port,
    lines,
    url: (path = '') => `ftp://${PROXY_HOST}:${port}/${path}`,
    stop: () => proxy.close(),
  };
}

const root = fileURLToPath(new URL('../../..', import.meta.url));
const cli = fileURLToPath(new URL('../../../packages/proxy/src/cli.ts', import.meta.url));
const watchdog = new URL('./watchdog.mjs', import.meta.url).href;

export interface ChildProxy {
  readonly child: ChildProcess;
  readonly port: number;
  /** Everything the proxy logged so far. */
  log(): string;
  /** Open file descriptors of the proxy process. */
  fds(): number;
  /** Peak resident memory of the proxy process, in bytes (VmHWM). */
  peakMemory(): number;
  /** Sends SIGTERM and resolves with the exit code. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/**
 * The arguments every child-proxy test starts from: the upstream on loopback, the proxy's own
 * address as the public host, and the test certificate for TLS toward clients.
 */
export function proxyArguments(upstreamPort: number, tls: TlsFiles): string[] {
  return [
    '--upstream',
    `127.0.0.1:${upstreamPort}`,
    '--public-host',
    PROXY_HOST,
    '--tls-cert',
    tls.certFile,
    '--tls-key',
    tls.keyFile,
  ];
}

/**
 * Runs `ftpwire-proxy` with the given arguments (without --listen, which is set): from source,
 * or the built CLI at `builtCli` (a `dist/cli.js`, as benchmarks run what ships).
 */
export function startChildProxy(
  args: readonly string[],
  builtCli?: string,
  listen = `${PROXY_HOST}:0`,
): Promise<ChildProxy> {
  // One process (tsx as a loader, not its launcher), so that its descriptors are the proxy's.
  // The watchdog on its stdin stops it if this process dies without stopping it.
  // FTPWIRE_PROXY_CLI=<a dist/cli.js> runs the tests against another build (an older one, to
  // see a regression test fail before its fix).
  builtCli ??= process.env['FTPWIRE_PROXY_CLI'] || undefined;
  const entry =
    builtCli === undefined
      ? ['--import', 'tsx', '--import', watchdog, '--conditions=@ftpwire/source', cli]
      : ['--import', watchdog, builtCli];
  const child = spawn(process.execPath, [...entry, '--listen', listen, ...args], {
    stdio: ['pipe', 'ignore', 'pipe'],
    cwd: root,
  });
  let log = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the proxy did not start:\n${log}`)), 20_000);
    child.stderr!.on('data', (chunk: Buffer) => {
      log += chunk.toString();
      const match = /listening on (?:\[[\da-f:]+\]|[\d.]+):(\d+)/.exec(log);
      if (match && timer) {
        clearTimeout(timer);
        const pid = child.pid!;
        resolve({
          child,
          port: Number(match[1]),
          log: () => log,
          fds: () => readdirSync(`/proc/${pid}/fd`).length,
          peakMemory: () => {
            const status = readFileSync(`/proc/${pid}/status`, 'utf8');
            return Number(/VmHWM:\s+(\d+) kB/.exec(status)?.[1] ?? 0) * 1024;
          },
          stop: (signal = 'SIGTERM') =>
            new Promise((done) => {
              if (child.exitCode !== null) {
                done(child.exitCode);
                return;
              }
              child.once('exit', (code) => done(code));
              child.kill(signal);
            }),
        });
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the proxy exited with ${code}:\n${log}`));
    });
  });
}
