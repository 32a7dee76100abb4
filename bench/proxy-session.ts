/**
 * ftpwire-proxy on whole sessions, the contenders taking turns round by round so that a slow
 * spell of the shared machine falls on all of them alike; medians of the rounds decide.
 *
 * - control round trips: NOOPs one after another in one logged-in session (each waits for its
 *   200), what every command of a client pays;
 * - small files: 50 sequential 1 KiB downloads in one session (basic-ftp, EPSV then RETR), plain
 *   and FTPS PROT P: per-file latency, where a delayed ACK on the control socket shows at once;
 * - 64 MiB download with curl (EPSV), plain and PROT P: the data path.
 *
 * Each is run direct to the server and through the built CLI (`packages/proxy/dist/cli.js`, in a
 * process of its own as in production), and, where HAProxy is installed, through HAProxy (TCP
 * mode, send-proxy-v2) in front of two such instances with disjoint passive ranges, as issue 14
 * deploys it: the price of scaling out behind a balancer, PROXY headers included. With
 * FTPWIRE_BASELINE_CLI=<path to another dist/cli.js> a second proxy (an older build) takes its
 * turn too, for before/after figures in one run. On plain sessions `control-relay-floor.mjs`
 * takes its turn as the bound: a Node relay that only pipes and rewrites 229, so what remains
 * between it and direct is the cost of any relay here.
 * Run: `pnpm build && tsx bench/proxy-session.ts` (BENCH_ROUNDS, default 5; BENCH_ONLY=downloads
 * and the like for the workloads whose name contains it).
 */
import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { basicFtp, download } from '../test/e2e/harness/clients.js';
import { startFtpSrv } from '../test/e2e/harness/ftp-srv.js';
import {
  HAPROXY_SOURCE,
  haproxyUnavailable,
  type Instance,
  startHaproxy,
} from '../test/e2e/harness/haproxy.js';
import { freePort, freePortRange } from '../test/e2e/harness/ports.js';
import {
  type ChildProxy,
  PROXY_HOST,
  proxyArguments,
  startChildProxy,
} from '../test/e2e/harness/proxy.js';
import { RawFtp } from '../test/e2e/harness/raw-client.js';
import type { ServerUnderTest } from '../test/e2e/harness/suite.js';
import {
  createScratch,
  createTestFiles,
  createTlsFiles,
  KiB,
  MiB,
  type TestFile,
} from '../test/e2e/harness/temp.js';
import { startVsftpd, vsftpdUnavailable } from '../test/e2e/harness/vsftpd.js';

const ROUNDS = Number(process.env['BENCH_ROUNDS'] ?? 5);
/** BENCH_ONLY=<text>: only the workloads whose name contains it (e.g. `downloads`). */
const ONLY = process.env['BENCH_ONLY'];
const NOOPS = 1000;
const SMALL_FILES = 50;
const BIG = 64 * MiB;
/** Issue 15: 50 small files through the proxy take at most this many times the direct time. */
const SMALL_FILES_TARGET = 1.5;

/** HAProxy's public address in the scaled-out deployment. */
const BALANCED_HOST = '127.0.0.10';
const builtCli = fileURLToPath(new URL('../packages/proxy/dist/cli.js', import.meta.url));
const baselineCli = process.env['FTPWIRE_BASELINE_CLI'];

interface Endpoint {
  readonly name: string;
  readonly host: string;
  readonly port: number;
  /** The bound (`control-relay-floor.mjs`): plain EPSV sessions only. */
  readonly plainOnly?: boolean;
}

const FLOOR_NAME = 'bare Node relay (bound)';

/** Starts `control-relay-floor.mjs` in a process of its own, in front of `upstreamPort`. */
async function startFloor(upstreamPort: number): Promise<{ port: number; stop(): Promise<void> }> {
  const script = fileURLToPath(new URL('./control-relay-floor.mjs', import.meta.url));
  const child = spawn(process.execPath, [script, String(upstreamPort)], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const [line] = (await once(child.stdout, 'data')) as [Buffer];
  return {
    port: Number(line.toString().trim()),
    async stop() {
      child.stdin.end();
      if (child.exitCode === null) await once(child, 'exit');
    },
  };
}

const scratch = createScratch('bench-session');
const tls = createTlsFiles(scratch.dir);
const useVsftpd = vsftpdUnavailable() === undefined;
const stops: (() => Promise<unknown>)[] = [];
let server: ServerUnderTest;
let small: TestFile;
let big: TestFile;
const endpoints: Endpoint[] = [];
try {
  server = useVsftpd
    ? await startVsftpd(scratch.dir, { tls })
    : await startFtpSrv(scratch.dir, { tls });
  stops.push(() => server.stop());
  [small, big] = createTestFiles(server.root, [KiB, BIG]) as [TestFile, TestFile];
  endpoints.push({ name: 'direct', host: '127.0.0.1', port: server.port });
  const start = async (name: string, cli: string): Promise<void> => {
    const range = await freePortRange(100, [PROXY_HOST]);
    const proxy: ChildProxy = await startChildProxy(
      [
        ...proxyArguments(server.port, tls),
        '--passive-ports',
        `${range.min}-${range.max}`,
        '--upstream-ca',
        tls.certFile,
        '--quiet',
      ],
      cli,
    );
    stops.push(() => proxy.stop());
    endpoints.push({ name, host: PROXY_HOST, port: proxy.port });
  };
  await start('ftpwire-proxy', builtCli);
  if (baselineCli) await start('ftpwire-proxy (baseline)', baselineCli);
  if (useVsftpd && haproxyUnavailable() === undefined) {
    // Two instances behind HAProxy, each its own passive range, both advertising HAProxy.
    const instances: Instance[] = [];
    for (const host of ['127.0.0.3', '127.0.0.4']) {
      let passive = await freePortRange(100, [host, BALANCED_HOST]);
      while (
        instances.some(
          (other) => passive.min <= other.passive.max && other.passive.min <= passive.max,
        )
      ) {
        passive = await freePortRange(100, [host, BALANCED_HOST]);
      }
      const proxy = await startChildProxy(
        [
          '--upstream',
          `127.0.0.1:${server.port}`,
          '--public-host',
          BALANCED_HOST,
          '--tls-cert',
          tls.certFile,
          '--tls-key',
          tls.keyFile,
          '--passive-ports',
          `${passive.min}-${passive.max}`,
          '--upstream-ca',
          tls.certFile,
          '--proxy-protocol-from',
          HAPROXY_SOURCE,
          '--quiet',
        ],
        builtCli,
        `${host}:0`,
      );
      stops.push(() => proxy.stop());
      instances.push({ host, port: proxy.port, passive });
    }
    const control = await freePort(BALANCED_HOST);
    const haproxy = await startHaproxy(
      scratch.dir,
      { host: BALANCED_HOST, control, firstOnly: await freePort(BALANCED_HOST) },
      instances,
    );
    stops.push(() => haproxy.stop());
    endpoints.push({ name: 'HAProxy + 2 x ftpwire-proxy', host: BALANCED_HOST, port: control });
  }
  const floor = await startFloor(server.port);
  stops.push(() => floor.stop());
  endpoints.push({ name: FLOOR_NAME, host: '127.0.0.1', port: floor.port, plainOnly: true });
} catch (error) {
  for (const stop of stops.reverse()) await stop().catch(() => {});
  scratch.remove();
  throw error;
}

async function noops(endpoint: Endpoint): Promise<number> {
  const ftp = await RawFtp.connect(endpoint.host, endpoint.port);
  await ftp.reply();
  await ftp.login();
  const start = performance.now();
  for (let i = 0; i < NOOPS; i++) {
    const reply = await ftp.command('NOOP');
    if (reply.code !== 200) throw new Error(`${endpoint.name}: NOOP got ${reply.lines[0]}`);
  }
  const elapsed = performance.now() - start;
  await ftp.command('QUIT');
  ftp.close();
  return elapsed;
}

async function smallFiles(endpoint: Endpoint, secure: boolean): Promise<number> {
  const client = await basicFtp(endpoint.host, endpoint.port, { secure });
  try {
    const start = performance.now();
    for (let i = 0; i < SMALL_FILES; i++) {
      const bytes = await download(client, small.name);
      if (bytes.length !== small.size) throw new Error(`${endpoint.name}: got ${bytes.length} B`);
    }
    return performance.now() - start;
  } finally {
    client.close();
  }
}

function bigFile(endpoint: Endpoint, secure: boolean): number {
  const start = performance.now();
  const result = spawnSync(
    'curl',
    [
      '--silent',
      '--show-error',
      '--max-time',
      '120',
      ...(secure ? ['--ssl-reqd', '-k'] : []),
      '-o',
      '/dev/null',
      '-w',
      '%{size_download}',
      `ftp://${endpoint.host}:${endpoint.port}/${big.name}`,
    ],
    { encoding: 'utf8' },
  );
  if (result.status !== 0 || Number(result.stdout) !== BIG) {
    throw new Error(`${endpoint.name}: curl failed (${result.status}): ${result.stderr}`);
  }
  return performance.now() - start;
}

interface Workload {
  readonly name: string;
  /** What one run does, to print a rate. */
  readonly per: (ms: number) => string;
  readonly run: (endpoint: Endpoint) => Promise<number> | number;
  readonly secure?: boolean;
}

const workloads: Workload[] = [
  {
    name: `control round trips (${NOOPS} NOOPs)`,
    per: (ms) => `${((NOOPS / ms) * 1000).toFixed(0)} round trips/s`,
    run: noops,
  },
  ...[false, true].map(
    (secure): Workload => ({
      name: `${SMALL_FILES} x 1 KiB downloads, ${secure ? 'FTPS PROT P' : 'plain'}`,
      per: (ms) => `${(ms / SMALL_FILES).toFixed(2)} ms/file`,
      run: (endpoint) => smallFiles(endpoint, secure),
      secure,
    }),
  ),
  ...[false, true].map(
    (secure): Workload => ({
      name: `64 MiB download (curl), ${secure ? 'FTPS PROT P' : 'plain'}`,
      per: (ms) => `${(BIG / ms / 1000).toFixed(0)} MB/s`,
      run: (endpoint) => bigFile(endpoint, secure),
      secure,
    }),
  ),
];

try {
  console.log(
    `proxy sessions against ${useVsftpd ? 'vsftpd' : 'ftp-srv'}: ${ROUNDS} rounds, contenders taking turns, medians`,
  );
  for (const workload of workloads) {
    if (ONLY !== undefined && !workload.name.includes(ONLY)) continue;
    const contenders = endpoints.filter((endpoint) => !(workload.secure && endpoint.plainOnly));
    // One warm-up run each, not counted.
    for (const endpoint of contenders) await workload.run(endpoint);
    const times = contenders.map(() => [] as number[]);
    for (let round = 0; round < ROUNDS; round++) {
      for (let i = 0; i < contenders.length; i++) {
        // The order rotates, so that no contender always runs right after another.
        const index = (i + round) % contenders.length;
        times[index]!.push(await workload.run(contenders[index]!));
      }
    }
    const medians = times.map((list) => [...list].sort((a, b) => a - b)[list.length >> 1]!);
    console.log(`  ${workload.name}`);
    contenders.forEach((endpoint, index) => {
      const ratio = medians[index]! / medians[0]!;
      console.log(
        `    ${endpoint.name.padEnd(26)} ${workload.per(medians[index]!).padStart(20)}   ${ratio.toFixed(2)}x the direct time`,
      );
    });
    const balanced = contenders.findIndex((endpoint) => endpoint.name.startsWith('HAProxy'));
    if (balanced > 0) {
      console.log(
        `    scaled out: HAProxy + 2 instances take ${(medians[balanced]! / medians[1]!).toFixed(2)}x the time of one instance direct`,
      );
    }
    if (workload.name.includes('downloads, plain')) {
      const ratio = medians[1]! / medians[0]!;
      const bound = medians[contenders.findIndex((e) => e.name === FLOOR_NAME)]! / medians[0]!;
      console.log(
        `    ${ratio <= SMALL_FILES_TARGET ? 'MET   ' : 'MISSED'} issue 15: small files through the proxy ${ratio.toFixed(2)}x direct; target <= ${SMALL_FILES_TARGET}x; bound: a bare Node relay takes ${bound.toFixed(2)}x`,
      );
    }
  }
} finally {
  for (const stop of stops.reverse()) await stop().catch(() => {});
  scratch.remove();
}
