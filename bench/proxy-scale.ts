/**
 * Issue 15, "the gateway at scale", against ProFTPD mod_proxy in front of the same vsftpd where it
 * can be unpacked (scripts/fetch-proftpd.sh):
 *
 * - idle sessions: BENCH_SESSIONS (default 2,000) logged-in sessions held open at once through
 *   one fresh proxy process, plain and FTPS (AUTH TLS, PBSZ, PROT P); the proxy's resident memory
 *   before (after a warm-up of a few sessions) and with all of them open, divided by the
 *   sessions. mod_proxy forks a process per session, so its figure is the proportional set size
 *   (PSS: shared pages divided among the processes sharing them) of the master and every session
 *   process, per session, at BENCH_MOD_PROXY_SESSIONS (default 200: its per-session cost is the
 *   same at any count, and each session is a process of ~1 MB).
 * - concurrent downloads: BENCH_DOWNLOADERS (default 50) curl processes each downloading a
 *   32 MiB file at once (plain, EPSV), direct, through ftpwire-proxy and through mod_proxy, the
 *   contenders taking turns round by round (BENCH_ROUNDS, default 3); aggregate throughput (all
 *   bytes over the time until the last curl exits) and the gateway's CPU seconds per GB relayed
 *   (utime + stime of /proc/PID/stat; mod_proxy's sessions count in its master's cutime + cstime
 *   once reaped).
 *
 * Every session is held by this process and by the proxy (two descriptors), and by vsftpd (two
 * processes each): `pnpm bench:scale` raises the open-files limit with `ulimit -n` before Node
 * starts (Node raises its soft limit to the hard one itself); below what the sessions need, the
 * idle part is skipped with the reason.
 *
 * Run: `pnpm build && pnpm bench:scale` (FTPWIRE_BASELINE_CLI=<another build's dist/cli.js> adds
 * that build's idle figures, for before/after in one run).
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { RawFtp } from '../test/e2e/harness/raw-client.js';
import {
  createScratch,
  createTestFiles,
  createTlsFiles,
  MiB,
  type TestFile,
} from '../test/e2e/harness/temp.js';
import { startVsftpd, type Vsftpd, vsftpdUnavailable } from '../test/e2e/harness/vsftpd.js';
import {
  BUILT_CLI,
  type Contender,
  direct,
  machineLoad,
  median,
  processMemory,
  startFtpwire,
  startModProxyContender,
} from './proxy-contenders.js';

const SESSIONS = Number(process.env['BENCH_SESSIONS'] ?? 2000);
const MOD_PROXY_SESSIONS = Number(process.env['BENCH_MOD_PROXY_SESSIONS'] ?? 200);
const DOWNLOADERS = Number(process.env['BENCH_DOWNLOADERS'] ?? 50);
const ROUNDS = Number(process.env['BENCH_ROUNDS'] ?? 3);
const SIZE = 32 * MiB;
/** Sessions opened at once while filling up: a burst of logins, not a storm. */
const OPENING = 32;
const TARGETS = {
  /** Resident KiB per idle plain session (issue 15: keep at or under 32). */
  plainKiB: 32,
  /** Resident KiB per idle FTPS session (issue 15: at or under 96). */
  tlsKiB: 96,
  /** ftpwire-proxy's CPU seconds per GB over mod_proxy's (issue 15: at most 0.5). */
  cpuOverModProxy: 0.5,
};
const baselineCli = process.env['FTPWIRE_BASELINE_CLI'];
const LIMITS = ['--max-sessions', String(SESSIONS + 100), '--max-per-ip', String(SESSIONS + 100)];

const unavailable = vsftpdUnavailable();
if (unavailable !== undefined) {
  console.log(`proxy scale: skipped: vsftpd cannot run: ${unavailable}`);
  process.exit(0);
}

/** This process's open-files soft limit (Node has raised it to the hard one). */
function openFilesLimit(): number {
  const line = readFileSync('/proc/self/limits', 'utf8')
    .split('\n')
    .find((text) => text.startsWith('Max open files'));
  const soft = line?.slice('Max open files'.length).trim().split(/ +/)[0];
  return soft === undefined || soft === 'unlimited' ? Number.POSITIVE_INFINITY : Number(soft);
}

/** Bytes of memory a gateway holds now: ftpwire's RSS, or the PSS of mod_proxy's processes. */
type MemoryProbe = () => number;

function kib(bytes: number): string {
  return `${(bytes / 1024).toFixed(1)} KiB`;
}

async function openSession(contender: Contender, secure: boolean): Promise<RawFtp> {
  let step = 'connect';
  const ftp = await RawFtp.connect(contender.host, contender.port);
  try {
    step = 'greeting';
    const greeting = await ftp.reply();
    if (greeting.code !== 220) throw new Error(greeting.lines.join(' | '));
    step = 'AUTH TLS';
    if (secure) await ftp.secure(false);
    step = 'login';
    await ftp.login();
    if (secure) {
      step = 'PBSZ, PROT P';
      await ftp.command('PBSZ 0');
      const prot = await ftp.command('PROT P');
      if (prot.code !== 200) throw new Error(prot.lines.join(' | '));
    }
    return ftp;
  } catch (error) {
    ftp.close();
    throw new Error(`${contender.name}, ${step}: ${(error as Error).message}`);
  }
}

async function openSessions(
  contender: Contender,
  count: number,
  secure: boolean,
  opening = OPENING,
) {
  const sessions: RawFtp[] = [];
  let next = 0;
  const worker = async () => {
    while (next < count) {
      next++;
      sessions.push(await openSession(contender, secure));
    }
  };
  try {
    await Promise.all(Array.from({ length: Math.min(opening, count) }, worker));
  } catch (error) {
    next = count; // the other workers stop after their current session
    await closeSessions(sessions);
    throw error;
  }
  return sessions;
}

async function closeSessions(sessions: readonly RawFtp[]): Promise<void> {
  for (const ftp of sessions) ftp.close();
  await Promise.all(sessions.map((ftp) => ftp.closed));
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Memory per session: the probe before and with `count` sessions open (a warm-up first). */
async function perSession(
  contender: Contender,
  probe: MemoryProbe,
  count: number,
  secure: boolean,
  opening = OPENING,
): Promise<{ perSession: number; before: number; after: number; seconds: number }> {
  // The first sessions load code and TLS contexts: not what each further session costs.
  await closeSessions(await openSessions(contender, 16, secure, opening));
  await sleep(500);
  const before = probe();
  const start = performance.now();
  const sessions = await openSessions(contender, count, secure, opening);
  const seconds = (performance.now() - start) / 1000;
  await sleep(1000);
  const after = probe();
  await closeSessions(sessions);
  return { perSession: (after - before) / count, before, after, seconds };
}

/** Runs `DOWNLOADERS` curls at once; the seconds until the last is done. */
function downloadAll(contender: Contender, file: TestFile): Promise<number> {
  const start = performance.now();
  const one = () =>
    new Promise<void>((resolve, reject) => {
      const child = spawn(
        'curl',
        [
          '--silent',
          '--show-error',
          '--max-time',
          '300',
          '-o',
          '/dev/null',
          '-w',
          '%{size_download}',
          `ftp://${contender.host}:${contender.port}/${file.name}`,
        ],
        { stdio: ['ignore', 'pipe', 'pipe'] },
      );
      let out = '';
      child.stdout.on('data', (chunk: Buffer) => {
        out += chunk.toString();
      });
      child.stderr.on('data', (chunk: Buffer) => {
        out += chunk.toString();
      });
      // 'close', not 'exit': the output may still be on its way when the process has exited.
      child.once('close', (code) => {
        if (code === 0 && Number(out) === SIZE) resolve();
        else reject(new Error(`${contender.name}: curl exited ${code}: ${out}`));
      });
    });
  return Promise.all(Array.from({ length: DOWNLOADERS }, one)).then(
    () => (performance.now() - start) / 1000,
  );
}

const scratch = createScratch('bench-scale');
const tls = createTlsFiles(scratch.dir);
const stops: (() => Promise<unknown>)[] = [];
let server: Vsftpd;
let file: TestFile;
try {
  server = await startVsftpd(scratch.dir, { tls, anonymousPassword: true, pasvPorts: 200 });
  stops.push(() => server.stop());
  [file] = createTestFiles(server.root, [SIZE]) as [TestFile];
} catch (error) {
  for (const stop of stops.reverse()) await stop().catch(() => {});
  scratch.remove();
  throw error;
}

const verdicts: string[] = [];
const verdict = (met: boolean) => (met ? 'MET   ' : 'MISSED');

try {
  console.log(`proxy scale against vsftpd; ${machineLoad()} on 2 cores`);
  const limit = openFilesLimit();
  // The proxy holds two descriptors a session, this process one, and a margin for the rest.
  const needed = 2 * SESSIONS + 256;
  const modProxy = await startModProxyContender(server, tls, scratch.dir);
  let modProxyBoth: Awaited<ReturnType<typeof startModProxyContender>> = modProxy;
  if (typeof modProxy === 'string') {
    console.log(`  ProFTPD mod_proxy skipped: ProFTPD not installable: ${modProxy}`);
  } else {
    stops.push(() => modProxy.stop());
    modProxyBoth = await startModProxyContender(server, tls, scratch.dir, 'on');
    const both = modProxyBoth;
    if (typeof both !== 'string') stops.push(() => both.stop());
  }
  if (limit < needed) {
    console.log(
      `  idle sessions skipped: the open-files limit is ${limit}, ${SESSIONS} sessions need ${needed} (run under \`ulimit -n ${needed}\` or pnpm bench:scale)`,
    );
  } else {
    console.log(
      `  ${SESSIONS} idle logged-in sessions through one proxy process (mod_proxy: ${MOD_PROXY_SESSIONS}, a process each)`,
    );
    const builds: [string, string][] = [['ftpwire-proxy', BUILT_CLI]];
    if (baselineCli) builds.push(['baseline', baselineCli]);
    for (const secure of [false, true]) {
      const kind = secure ? 'FTPS (PROT P)' : 'plain';
      const ours: string[] = [];
      let perSessionOurs = Number.NaN;
      for (const [name, cli] of builds) {
        const ftpwire = await startFtpwire(name, cli, server, tls, LIMITS);
        const rss = () => processMemory(ftpwire.pid).rss;
        const figure = await perSession(ftpwire, rss, SESSIONS, secure).finally(() =>
          ftpwire.stop(),
        );
        if (cli === BUILT_CLI) perSessionOurs = figure.perSession;
        ours.push(
          `${name} ${kib(figure.perSession)} RSS/session (${(figure.before / MiB).toFixed(0)} -> ${(figure.after / MiB).toFixed(0)} MiB, ${figure.seconds.toFixed(1)} s to open)`,
        );
      }
      const target = secure ? TARGETS.tlsKiB : TARGETS.plainKiB;
      // mod_proxy's like for like under TLS encrypts the server's leg too.
      const theirs = secure ? modProxyBoth : modProxy;
      if (typeof theirs !== 'string') {
        const pss = () =>
          [theirs.pid, ...theirs.sessionPids()].reduce((sum, pid) => {
            try {
              return sum + processMemory(pid).pss;
            } catch {
              return sum; // a session that ended meanwhile
            }
          }, 0);
        // A contender that fails under the machine's load is reported, not fatal: mod_proxy
        // closed some connections before its greeting when the load average passed 20.
        const figure = await perSession(theirs, pss, MOD_PROXY_SESSIONS, secure, 8).catch(
          (error: Error) => error,
        );
        ours.push(
          figure instanceof Error
            ? `${theirs.name} not measured: ${figure.message}`
            : `${theirs.name} ${kib(figure.perSession)} PSS/session (${figure.seconds.toFixed(1)} s to open)`,
        );
        // Its session processes end once their clients have gone.
        const deadline = Date.now() + 30_000;
        while (theirs.sessionPids().length > 0 && Date.now() < deadline) await sleep(50);
      }
      console.log(`    ${kind.padEnd(14)} ${ours.join('; ')}`);
      verdicts.push(
        `${verdict(perSessionOurs <= target * 1024)} issue 15: ${kind} idle session ${kib(perSessionOurs)} RSS; target <= ${target} KiB`,
      );
    }
  }

  const contenders: Contender[] = [direct(server)];
  const ftpwire = await startFtpwire('ftpwire-proxy', BUILT_CLI, server, tls, LIMITS);
  stops.push(() => ftpwire.stop());
  contenders.push(ftpwire);
  if (typeof modProxy !== 'string') contenders.push(modProxy);
  const settle = async (contender: Contender) => {
    if (typeof modProxy === 'string' || contender !== modProxy) return;
    const deadline = Date.now() + 10_000;
    while (modProxy.sessionPids().length > 0 && Date.now() < deadline) await sleep(10);
  };
  console.log(
    `  ${DOWNLOADERS} concurrent downloads of ${SIZE / MiB} MiB (curl, plain EPSV), ${ROUNDS} rounds, contenders taking turns`,
  );
  const measured = contenders.map((contender) => ({ contender, rates: [] as number[], cpu: 0 }));
  for (const entry of measured) {
    await downloadAll(entry.contender, file); // warm-up, not counted
    await settle(entry.contender);
  }
  for (let round = 0; round < ROUNDS; round++) {
    for (let i = 0; i < measured.length; i++) {
      const entry = measured[(i + round) % measured.length]!;
      const before = entry.contender.cpuSeconds();
      const seconds = await downloadAll(entry.contender, file);
      await settle(entry.contender);
      const after = entry.contender.cpuSeconds();
      entry.rates.push((DOWNLOADERS * SIZE) / seconds / 1e6);
      if (before !== undefined && after !== undefined) entry.cpu += after - before;
    }
  }
  const gigabytes = (ROUNDS * DOWNLOADERS * SIZE) / 1e9;
  const directRate = median(measured[0]!.rates);
  const cpuPerGb = new Map<Contender, number>();
  for (const entry of measured) {
    const rate = median(entry.rates);
    const cpu = entry.contender.cpuSeconds() === undefined ? undefined : entry.cpu / gigabytes;
    if (cpu !== undefined) cpuPerGb.set(entry.contender, cpu);
    console.log(
      `    ${entry.contender.name.padEnd(20)} ${rate.toFixed(0).padStart(5)} MB/s aggregate (${Math.min(...entry.rates).toFixed(0)}-${Math.max(...entry.rates).toFixed(0)})  ${(rate / directRate).toFixed(2)}x direct  ${cpu === undefined ? '' : `${cpu.toFixed(2)} CPU s/GB`}`,
    );
  }
  if (typeof modProxy !== 'string') {
    const ratio = cpuPerGb.get(ftpwire)! / cpuPerGb.get(modProxy)!;
    verdicts.push(
      `${verdict(ratio <= TARGETS.cpuOverModProxy)} issue 15: ${DOWNLOADERS} downloads, ftpwire-proxy ${ratio.toFixed(2)}x mod_proxy's CPU per GB; target <= ${TARGETS.cpuOverModProxy}x`,
    );
  }
  for (const line of verdicts) console.log(`  ${line}`);
  console.log(`  (${machineLoad()} at the end)`);
} finally {
  for (const stop of stops.reverse()) await stop().catch(() => {});
  scratch.remove();
}
