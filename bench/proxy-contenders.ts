/**
 * The gateways the proxy benchmarks compare, each in a process of its own in front of the same
 * vsftpd: the built ftpwire-proxy (and optionally an older build), ProFTPD 1.3.8 mod_proxy 0.9.3
 * where scripts/fetch-proftpd.sh has unpacked it, and a do-nothing TCP relay (bench/relay-floor.mjs)
 * as the bound of any relay written in Node. Each reports the CPU time its processes used, so
 * that a benchmark can state CPU seconds per GB beside the throughput.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort, freePortRange } from '../test/e2e/harness/ports.js';
import { modProxyUnavailable, PROFTPD_DIR, startModProxy } from '../test/e2e/harness/proftpd.js';
import { PROXY_HOST, proxyArguments, startChildProxy } from '../test/e2e/harness/proxy.js';
import type { TlsFiles } from '../test/e2e/harness/temp.js';
import type { Vsftpd } from '../test/e2e/harness/vsftpd.js';

export interface Contender {
  readonly name: string;
  readonly host: string;
  readonly port: number;
  /** Whether FTPS through it is terminated and re-encrypted (false: passed through, or direct). */
  readonly terminatesTls: boolean;
  /** CPU seconds its processes have used so far; undefined for the server itself. */
  cpuSeconds(): number | undefined;
  stop(): Promise<unknown>;
}

/** The built CLI `pnpm build` makes; benchmarks run what ships. */
export const BUILT_CLI = fileURLToPath(new URL('../packages/proxy/dist/cli.js', import.meta.url));
const RELAY_FLOOR = fileURLToPath(new URL('./relay-floor.mjs', import.meta.url));
/** The do-nothing relay's own address (ftpwire-proxy has 127.0.0.3, mod_proxy 127.0.0.4). */
const RELAY_HOST = '127.0.0.5';

/**
 * CPU seconds of a process and all its threads (libuv's pool, V8's helpers), from the
 * nanosecond counters of /proc/PID/task/TID/schedstat.
 */
export function processCpuSeconds(pid: number): number {
  let nanoseconds = 0;
  for (const task of readdirSync(`/proc/${pid}/task`)) {
    try {
      nanoseconds += Number(
        readFileSync(`/proc/${pid}/task/${task}/schedstat`, 'utf8').split(' ')[0],
      );
    } catch {
      // A thread that ended between the listing and the read.
    }
  }
  return nanoseconds / 1e9;
}

/** Resident and proportional set size of a process, in bytes (/proc/PID/smaps_rollup). */
export function processMemory(pid: number): { rss: number; pss: number } {
  const text = readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8');
  const field = (name: string) =>
    Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(text)?.[1] ?? 0) * 1024;
  return { rss: field('Rss'), pss: field('Pss') };
}

/** The direct path: the server itself, no gateway. */
export function direct(server: { port: number }): Contender {
  return {
    name: 'direct (vsftpd)',
    host: '127.0.0.1',
    port: server.port,
    terminatesTls: false,
    cpuSeconds: () => undefined,
    stop: async () => {},
  };
}

/** ftpwire-proxy from `cli` (a `dist/cli.js`), in front of `server`. */
export async function startFtpwire(
  name: string,
  cli: string,
  server: { port: number },
  tls: TlsFiles,
  extra: readonly string[] = [],
): Promise<Contender & { pid: number }> {
  const range = await freePortRange(200, [PROXY_HOST]);
  const proxy = await startChildProxy(
    [
      ...proxyArguments(server.port, tls),
      '--passive-ports',
      `${range.min}-${range.max}`,
      '--upstream-ca',
      tls.certFile,
      '--quiet',
      ...extra,
    ],
    cli,
  );
  const pid = proxy.child.pid!;
  return {
    name,
    host: PROXY_HOST,
    port: proxy.port,
    pid,
    terminatesTls: true,
    cpuSeconds: () => processCpuSeconds(pid),
    stop: () => proxy.stop('SIGINT'),
  };
}

const FETCH_PROFTPD = fileURLToPath(new URL('../scripts/fetch-proftpd.sh', import.meta.url));

/**
 * Why ProFTPD mod_proxy cannot take part, or undefined when it can: when it has not been unpacked
 * yet, scripts/fetch-proftpd.sh is run once (apt-get download, dpkg-deb -x; a few MB), and its
 * failure is the reason (no network, no apt, another architecture).
 */
export function modProxyNotInstallable(): string | undefined {
  if (!existsSync(join(PROFTPD_DIR, 'usr/sbin/proftpd'))) {
    const fetched = spawnSync(FETCH_PROFTPD, [PROFTPD_DIR], { encoding: 'utf8', timeout: 300_000 });
    if (fetched.status !== 0) {
      const why = `${fetched.stderr ?? ''}${fetched.error?.message ?? ''}`.trim().split('\n');
      return `scripts/fetch-proftpd.sh failed (${fetched.status ?? fetched.signal}): ${why.at(-1)}`;
    }
  }
  return modProxyUnavailable();
}

/**
 * ProFTPD mod_proxy in front of `server` (a vsftpd started with `anonymousPassword: true`), or
 * the reason it cannot run here.
 */
export async function startModProxyContender(
  server: Vsftpd,
  tls: TlsFiles,
  dir: string,
  serverTls: 'match-client' | 'on' = 'match-client',
): Promise<(Contender & { pid: number; sessionPids(): number[]; log(): string }) | string> {
  const reason = modProxyNotInstallable();
  if (reason !== undefined) return reason;
  const proxy = await startModProxy(join(dir, serverTls), {
    upstreamPort: server.port,
    tls,
    passivePorts: 200,
    serverTls,
  });
  return {
    name: serverTls === 'on' ? 'mod_proxy (TLS both legs)' : 'ProFTPD mod_proxy',
    pid: proxy.pid,
    host: proxy.host,
    port: proxy.port,
    terminatesTls: true,
    // Sessions are processes of their own, counted once they have exited and been reaped.
    cpuSeconds: () => proxy.cpuSeconds(),
    sessionPids: () => proxy.sessionPids(),
    log: () => proxy.log(),
    stop: () => proxy.stop(),
  };
}

/** The do-nothing relay (bench/relay-floor.mjs) in front of `server`, forwarding its passive range. */
export async function startRelayFloor(server: Vsftpd): Promise<Contender> {
  const port = await freePort(RELAY_HOST);
  const child: ChildProcess = spawn(
    process.execPath,
    [
      RELAY_FLOOR,
      RELAY_HOST,
      String(port),
      String(server.port),
      String(server.pasvPorts.min),
      String(server.pasvPorts.max),
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const kill = () => child.kill('SIGKILL');
  process.once('exit', kill);
  await new Promise<void>((resolve, reject) => {
    child.stdout!.once('data', () => resolve());
    child.once('exit', (code) => reject(new Error(`relay-floor.mjs exited with ${code}`)));
  });
  return {
    name: 'do-nothing relay (bound)',
    host: RELAY_HOST,
    port,
    terminatesTls: false,
    cpuSeconds: () => processCpuSeconds(child.pid!),
    stop: () =>
      new Promise<void>((resolve) => {
        process.off('exit', kill);
        if (child.exitCode !== null) resolve();
        else {
          child.once('exit', () => resolve());
          child.kill('SIGTERM');
        }
      }),
  };
}

/** `load average 3.1 2.9 2.7 (2 cores)`: how busy the shared machine was. */
export function machineLoad(): string {
  const [one, five, fifteen] = loadavg().map((value) => value.toFixed(1));
  return `load average ${one} ${five} ${fifteen}`;
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}
