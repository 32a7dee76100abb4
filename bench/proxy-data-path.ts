/**
 * Issue 15, "the gateway's data path against its anchor": a 64 MiB download with curl (PASV,
 * EPSV, and FTPS PROT P with EPSV) direct from vsftpd, through ftpwire-proxy and through ProFTPD mod_proxy (where it can be
 * unpacked: scripts/fetch-proftpd.sh), plain and FTPS PROT P, the contenders taking turns round
 * by round (the order rotating), medians of the rounds. The rate is the data path's: bytes over
 * the time from the first byte to the last (curl's time_total - time_starttransfer), so that
 * logins and data-connection set-up (issue 15's small-file benchmark) do not dilute it. Beside
 * each contender: the CPU seconds its processes spent per GB relayed.
 *
 * Beside the targets, what bounds them, measured in the same run:
 * - plain: a do-nothing TCP relay in its own process (bench/relay-floor.mjs), the cheapest
 *   copying Node can do with no FTP at all; no Node gateway can be nearer to direct than it.
 * - PROT P: the direct transfer itself: a gateway adds a decryption and an encryption to the
 *   same vsftpd and curl on the same two cores, so it cannot be faster than no gateway.
 *
 * Run: `pnpm build && tsx bench/proxy-data-path.ts` (BENCH_ROUNDS, default 9;
 * FTPWIRE_BASELINE_CLI=<another build's dist/cli.js> adds that build, for before/after figures).
 */
import { spawnSync } from 'node:child_process';
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
  startFtpwire,
  startModProxyContender,
  startRelayFloor,
} from './proxy-contenders.js';

const ROUNDS = Number(process.env['BENCH_ROUNDS'] ?? 9);
const SIZE = 64 * MiB;
const TARGETS = {
  /** ftpwire-proxy's plain rate over mod_proxy's. */
  plainOverModProxy: 1.2,
  /** ftpwire-proxy's plain rate over the direct one. */
  plainOverDirect: 0.6,
  /** ftpwire-proxy's PROT P rate over mod_proxy's. */
  protectedOverModProxy: 1.5,
};

const unavailable = vsftpdUnavailable();
if (unavailable !== undefined) {
  console.log(`proxy data path: skipped: vsftpd cannot run: ${unavailable}`);
  process.exit(0);
}

const scratch = createScratch('bench-data-path');
const tls = createTlsFiles(scratch.dir);
const contenders: Contender[] = [];
let modProxy: (Contender & { sessionPids(): number[] }) | undefined;
let modProxyReason: string | undefined;
/** mod_proxy with TLS on the server's leg too (`ProxyTLSEngine on`): PROT P's like for like. */
let modProxyBoth: Contender | undefined;
let server: Vsftpd;
let floor: Contender;
let file: TestFile;
const stops: (() => Promise<unknown>)[] = [];
try {
  // mod_proxy answers 530 to everything after vsftpd's 230 to USER (no_anon_password=YES), so
  // this vsftpd asks for a password, for every contender alike.
  server = await startVsftpd(scratch.dir, { tls, anonymousPassword: true, pasvPorts: 200 });
  stops.push(() => server.stop());
  [file] = createTestFiles(server.root, [SIZE]) as [TestFile];
  contenders.push(direct(server));
  const ftpwire = await startFtpwire('ftpwire-proxy', BUILT_CLI, server, tls);
  stops.push(() => ftpwire.stop());
  contenders.push(ftpwire);
  const baseline = process.env['FTPWIRE_BASELINE_CLI'];
  if (baseline) {
    const older = await startFtpwire('ftpwire-proxy (baseline)', baseline, server, tls);
    stops.push(() => older.stop());
    contenders.push(older);
  }
  const started = await startModProxyContender(server, tls, scratch.dir);
  if (typeof started === 'string') modProxyReason = started;
  else {
    modProxy = started;
    stops.push(() => started.stop());
    contenders.push(started);
    const both = await startModProxyContender(server, tls, scratch.dir, 'on');
    if (typeof both !== 'string') {
      modProxyBoth = both;
      stops.push(() => both.stop());
      contenders.push(both);
    }
  }
  floor = await startRelayFloor(server);
  stops.push(() => floor.stop());
  contenders.push(floor);
} catch (error) {
  for (const stop of stops.reverse()) await stop().catch(() => {});
  scratch.remove();
  throw error;
}

interface Mode {
  readonly name: string;
  readonly secure: boolean;
  /** EPSV (curl's default) or PASV (`--disable-epsv`). */
  readonly epsv: boolean;
}

const MODES: readonly Mode[] = [
  { name: 'plain, PASV', secure: false, epsv: false },
  { name: 'plain, EPSV', secure: false, epsv: true },
  { name: 'FTPS PROT P (TLS on both legs), EPSV', secure: true, epsv: true },
];

/** One download: the data path's seconds (first byte to last). */
function download(contender: Contender, mode: Mode): number {
  const result = spawnSync(
    'curl',
    [
      '--silent',
      '--show-error',
      '--max-time',
      '120',
      ...(mode.secure ? ['--ssl-reqd', '-k'] : []),
      ...(mode.epsv ? [] : ['--disable-epsv']),
      '-o',
      '/dev/null',
      '-w',
      '%{size_download} %{time_starttransfer} %{time_total}',
      `ftp://${contender.host}:${contender.port}/${file.name}`,
    ],
    { encoding: 'utf8' },
  );
  const [size, first, total] = result.stdout.split(' ').map(Number) as [number, number, number];
  if (result.status !== 0 || size !== SIZE) {
    throw new Error(`${contender.name}: curl failed (${result.status}): ${result.stderr}`);
  }
  return total - first;
}

/** mod_proxy's session processes count once reaped: wait for them to exit. */
async function settle(contender: Contender): Promise<void> {
  if (contender !== modProxy && contender !== modProxyBoth) return;
  const forked = contender as Contender & { sessionPids(): number[] };
  const deadline = Date.now() + 5000;
  while (forked.sessionPids().length > 0 && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

interface Measured {
  readonly contender: Contender;
  readonly rates: number[];
  cpu: number;
}

function verdict(met: boolean): string {
  return met ? 'MET   ' : 'MISSED';
}

/**
 * Whether a PROT P download through `contender` made vsftpd see PROT P too (the server's leg
 * encrypted): a gateway that protected only the client's leg would do half the work.
 */
function protectsServerLeg(contender: Contender, mode: Mode): boolean {
  const count = () => server.commands().filter((line) => line === 'PROT P').length;
  const before = count();
  download(contender, mode);
  return count() > before;
}

const lines: string[] = [];
try {
  console.log(
    `proxy data path: 64 MiB with curl from vsftpd, ${ROUNDS} rounds, contenders taking turns, medians; ${machineLoad()} on 2 cores`,
  );
  if (modProxyReason !== undefined) {
    console.log(`  ProFTPD mod_proxy skipped: ProFTPD not installable: ${modProxyReason}`);
  }
  for (const mode of MODES) {
    // The do-nothing relay passes TLS through untouched: it bounds only the plain path; mod_proxy
    // with TLS toward the server differs from the other only under TLS.
    const taking = contenders.filter((contender) =>
      mode.secure ? contender !== floor : contender !== modProxyBoth,
    );
    for (const contender of taking) {
      // Warm-up, not counted; under PROT P it also checks that each gateway encrypts both legs.
      if (mode.secure && contender !== contenders[0] && !protectsServerLeg(contender, mode)) {
        console.log(
          `    note: ${contender.name} sent no PROT P to the server: only the client's leg is encrypted`,
        );
      } else if (!mode.secure) download(contender, mode);
    }
    for (const contender of taking) await settle(contender);
    const measured: Measured[] = taking.map((contender) => ({ contender, rates: [], cpu: 0 }));
    for (let round = 0; round < ROUNDS; round++) {
      for (let i = 0; i < measured.length; i++) {
        const entry = measured[(i + round) % measured.length]!;
        const before = entry.contender.cpuSeconds();
        const seconds = download(entry.contender, mode);
        await settle(entry.contender);
        const after = entry.contender.cpuSeconds();
        entry.rates.push(SIZE / seconds / 1e6);
        if (before !== undefined && after !== undefined) entry.cpu += after - before;
      }
    }
    const rateOf = (contender: Contender | undefined) =>
      median(measured.find((entry) => entry.contender === contender)?.rates ?? [Number.NaN]);
    const directRate = rateOf(contenders[0]);
    const modRate = rateOf(modProxy);
    console.log(`  64 MiB download, ${mode.name}`);
    for (const entry of measured) {
      const rate = median(entry.rates);
      const gigabytes = (ROUNDS * SIZE) / 1e9;
      const cpu =
        entry.contender.cpuSeconds() === undefined
          ? ''
          : `${(entry.cpu / gigabytes).toFixed(2)} CPU s/GB`;
      // Under PROT P the like-for-like anchor is mod_proxy encrypting both legs.
      const anchor = mode.secure && modProxyBoth ? modProxyBoth : modProxy;
      const versus =
        anchor && entry.contender !== anchor
          ? `${(rate / rateOf(anchor)).toFixed(2)}x ${anchor === modProxyBoth ? 'mod_proxy (both)' : 'mod_proxy'}`
          : '';
      console.log(
        `    ${entry.contender.name.padEnd(26)} ${rate.toFixed(0).padStart(5)} MB/s (${Math.min(...entry.rates).toFixed(0)}-${Math.max(...entry.rates).toFixed(0)})  ${(rate / directRate).toFixed(2)}x direct  ${versus.padEnd(23)} ${cpu}`,
      );
    }
    const ftpwireRate = rateOf(contenders[1]);
    if (!mode.secure) {
      const floorRate = rateOf(floor);
      if (modProxy) {
        const ratio = ftpwireRate / modRate;
        lines.push(
          `${verdict(ratio >= TARGETS.plainOverModProxy)} issue 15: ${mode.name}, ftpwire-proxy ${ratio.toFixed(2)}x mod_proxy; target >= ${TARGETS.plainOverModProxy}x (the do-nothing relay: ${(floorRate / modRate).toFixed(2)}x)`,
        );
      }
      const ratio = ftpwireRate / directRate;
      lines.push(
        `${verdict(ratio >= TARGETS.plainOverDirect)} issue 15: ${mode.name}, ftpwire-proxy ${ratio.toFixed(2)}x direct; target >= ${TARGETS.plainOverDirect}x (bound: the do-nothing relay ${(floorRate / directRate).toFixed(2)}x direct; ftpwire-proxy ${(ftpwireRate / floorRate).toFixed(2)}x the relay)`,
      );
    } else if (modProxyBoth) {
      const bothRate = rateOf(modProxyBoth);
      const ratio = ftpwireRate / bothRate;
      lines.push(
        `${verdict(ratio >= TARGETS.protectedOverModProxy)} issue 15: ${mode.name}, ftpwire-proxy ${ratio.toFixed(2)}x mod_proxy with TLS on both legs; target >= ${TARGETS.protectedOverModProxy}x (direct, no gateway at all: ${(directRate / bothRate).toFixed(2)}x; against mod_proxy's default, which encrypts the client's leg only: ${(ftpwireRate / modRate).toFixed(2)}x)`,
      );
    }
  }
  for (const line of lines) console.log(`  ${line}`);
  console.log(`  (${machineLoad()} at the end)`);
} finally {
  for (const stop of stops.reverse()) await stop().catch(() => {});
  scratch.remove();
}
