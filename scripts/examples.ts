// `pnpm examples`: runs every example under examples/ as a child process, the way a user would
// run it, against a real FTP server, and checks what each one is for. One line per example;
// exit status 1 if any failed.
//
// The server is ftp-srv (a dev dependency, pure node) on 127.0.0.1, advertising 127.0.0.2 in
// its 227 replies, where nothing listens: a server behind NAT naming its inside address. So a
// client that trusts the 227 fails, and only the passive policy (client-loop) or the NAT
// rewrite (nat-relay) makes a transfer work. Loopback addresses only.
//
// Examples import @ftpwire/* by name. By default they run from the packages' sources (tsx with
// the @ftpwire/source condition, no build needed); `--dist` runs them against the built dist/
// files, what a user installs (run `pnpm build` first).
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { curl, TRUST_PASV } from '../test/e2e/harness/curl.js';
import { startFtpSrv } from '../test/e2e/harness/ftp-srv.js';
import { createScratch, sha256 } from '../test/e2e/harness/temp.js';

const ROOT = dirname(dirname(fileURLToPath(import.meta.url)));
const TSX = join(ROOT, 'node_modules', '.bin', 'tsx');
const FROM_DIST = process.argv.includes('--dist');
const CONDITIONS = FROM_DIST ? [] : ['--conditions=@ftpwire/source'];
/** Runs per law for the fuzz harness; a few seconds' worth on a shared 2-core machine. */
const FUZZ_RUNS = process.env['EXAMPLES_FUZZ_RUNS'] ?? '2000';
/** Any one child taking longer than this is a failure (a hang), not a slow pass. */
const CHILD_TIMEOUT_MS = 30_000;
const SERVER = '127.0.0.1';
const ADVERTISED = '127.0.0.2';

interface Run {
  readonly code: number | null;
  readonly stdout: Buffer;
  readonly stderr: string;
}

/** An example's file under examples/, started with tsx as the README says. */
function start(file: string, args: readonly string[], env: Record<string, string> = {}) {
  return spawn(TSX, [...CONDITIONS, join(ROOT, 'examples', file), ...args], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

/** Collects a child's output until it exits; kills it (by its own pid) after the timeout. */
function finish(child: ChildProcess): Promise<Run> {
  return new Promise((resolve, reject) => {
    const out: Buffer[] = [];
    let stderr = '';
    child.stdout!.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr!.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    const timer = setTimeout(() => {
      stderr += `\n[killed after ${CHILD_TIMEOUT_MS / 1000} s]`;
      child.kill('SIGKILL');
    }, CHILD_TIMEOUT_MS);
    child.once('error', reject);
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout: Buffer.concat(out), stderr });
    });
  });
}

function run(file: string, args: readonly string[], env: Record<string, string> = {}) {
  return finish(start(file, args, env));
}

/** Resolves with the first stdout line matching `pattern` of a long-running child. */
function waitForLine(child: ChildProcess, pattern: RegExp): Promise<RegExpMatchArray> {
  return new Promise((resolve, reject) => {
    let seen = '';
    const timer = setTimeout(() => reject(new Error(`no line ${pattern} in: ${seen}`)), 20_000);
    child.stdout!.on('data', (chunk: Buffer) => {
      seen += chunk.toString();
      const match = seen.match(pattern);
      if (match) {
        clearTimeout(timer);
        resolve(match);
      }
    });
    child.once('exit', (code) =>
      reject(new Error(`exited with ${code} before ${pattern}: ${seen}`)),
    );
  });
}

class Failure extends Error {}

function check(condition: boolean, what: string, run?: { stderr: string }): void {
  if (!condition) {
    const tail = run?.stderr.trim().split('\n').slice(-6).join('\n      ');
    throw new Failure(tail ? `${what}\n      ${tail}` : what);
  }
}

interface Fixture {
  readonly port: number;
  /** A binary file and its digest, under pub/ in the server's root. */
  readonly file: { readonly path: string; readonly sha256: string; readonly size: number };
}

async function clientLoop({ port, file }: Fixture): Promise<string> {
  const url = `ftp://${SERVER}:${port}`;
  const [retr, epsv, list, trusting, injected] = await Promise.all([
    run('client-loop/client.ts', [`${url}/${file.path}`]),
    run('client-loop/client.ts', [`${url}/${file.path}`], { PASSIVE: 'epsv' }),
    run('client-loop/client.ts', [`${url}/pub/`]),
    run('client-loop/client.ts', [`${url}/${file.path}`], { PASV_POLICY: 'trust' }),
    run('client-loop/client.ts', [`${url}/pub/x%0D%0ADELE%20random.bin`]),
  ]);
  check(retr.code === 0, `RETR exited with ${retr.code}`, retr);
  check(sha256(retr.stdout) === file.sha256, `RETR gave ${retr.stdout.length} bytes, not the file`);
  check(
    retr.stderr.includes(`227 names ${ADVERTISED}:`) &&
      retr.stderr.includes(`dials ${SERVER}:`) &&
      /< 226[ -]/.test(retr.stderr) &&
      /< 221[ -]/.test(retr.stderr),
    'RETR: no 227 replaced by the control peer, or no 226/221 in the dialogue',
    retr,
  );
  check(epsv.code === 0 && sha256(epsv.stdout) === file.sha256, 'RETR over EPSV failed', epsv);
  check(list.code === 0, `LIST exited with ${list.code}`, list);
  check(list.stdout.toString().includes('random.bin'), 'LIST does not name pub/random.bin', list);
  // The control: trusting the 227 dials 127.0.0.2, where nothing listens.
  check(
    trusting.code !== 0 && trusting.stderr.includes('ECONNREFUSED'),
    `policy trust should fail to connect to ${ADVERTISED}, exited with ${trusting.code}`,
    trusting,
  );
  // A CR LF in the name is refused by formatCommand before the client connects at all.
  check(
    injected.code !== 0 &&
      injected.stderr.includes('CommandError') &&
      !injected.stderr.includes('< 220'),
    'a name holding CR LF was not refused before connecting',
    injected,
  );
  return `RETR ${file.size} B (PASV, EPSV) and LIST ok with policy ignore; trust refused at ${ADVERTISED}; CRLF name refused`;
}

async function natRelay({ port, file }: Fixture): Promise<string> {
  // The NAT's public address is the server's real one here: its data ports are reachable there.
  const relay = start('nat-relay/relay.ts', [SERVER, String(port), SERVER]);
  const exited = finish(relay);
  try {
    const [, relayPort] = await waitForLine(relay, /listening on 127\.0\.0\.1:(\d+)/);
    // curl told to trust the 227 address, first straight at the server (fails: 127.0.0.2), then
    // through the relay (works only if the 227 was rewritten).
    const [direct, relayed] = await Promise.all([
      curl([...TRUST_PASV, `ftp://${SERVER}:${port}/${file.path}`], 20),
      curl([...TRUST_PASV, `ftp://${SERVER}:${relayPort}/${file.path}`], 20),
    ]);
    check(
      direct.code === 7,
      `curl straight to the server should fail to connect (7), exited with ${direct.code}`,
    );
    check(relayed.code === 0, `curl through the relay exited with ${relayed.code}`, relayed);
    check(sha256(relayed.stdout) === file.sha256, 'curl through the relay got other bytes');
  } finally {
    relay.kill('SIGTERM');
  }
  const output = await exited;
  check(
    /rewrote "227 [^"]*\(127,0,0,2,[^"]*" -> "227 [^"]*\(127,0,0,1,/.test(output.stdout.toString()),
    'the relay logged no 227 rewrite from 127.0.0.2 to 127.0.0.1',
    { stderr: output.stdout.toString() + output.stderr },
  );
  check(output.stderr.trim() === '', 'the relay reported errors', output);
  return `curl trusting the 227: fails direct (${ADVERTISED}), relayed copy matches, 227 rewritten`;
}

async function fuzzHarness(): Promise<string> {
  const result = await run('fuzz-harness/fuzz-reply-parser.ts', [], { FUZZ_RUNS });
  check(result.code === 0, `exited with ${result.code}`, {
    stderr: result.stdout.toString() + result.stderr,
  });
  const laws = result.stdout.toString().match(/^ok {3}/gm)?.length ?? 0;
  check(laws === 3, `expected 3 laws to pass, saw ${laws}`, { stderr: result.stdout.toString() });
  return `3 laws x ${FUZZ_RUNS} runs pass`;
}

async function main(): Promise<number> {
  const began = performance.now();
  const scratch = createScratch('examples');
  const server = await startFtpSrv(scratch.dir, { pasvAddress: ADVERTISED });
  let failed = 0;
  try {
    const bytes = randomBytes(300 * 1024);
    writeFileSync(join(server.uploads, 'random.bin'), bytes);
    const fixture: Fixture = {
      port: server.port,
      file: { path: 'pub/random.bin', sha256: sha256(bytes), size: bytes.length },
    };
    const examples: [string, () => Promise<string>][] = [
      ['client-loop', () => clientLoop(fixture)],
      ['nat-relay', () => natRelay(fixture)],
      ['fuzz-harness', fuzzHarness],
    ];
    for (const [name, example] of examples) {
      const started = performance.now();
      let verdict: string;
      try {
        verdict = `ok   ${name.padEnd(13)} ${await example()}`;
      } catch (error) {
        failed++;
        verdict = `FAIL ${name.padEnd(13)} ${error instanceof Failure ? error.message : error}`;
      }
      const seconds = ((performance.now() - started) / 1000).toFixed(1);
      console.log(`${verdict} (${seconds} s)`);
    }
  } finally {
    await server.stop();
    scratch.remove();
  }
  const total = ((performance.now() - began) / 1000).toFixed(1);
  const source = FROM_DIST ? 'built dist/' : 'sources';
  console.log(`examples: ${3 - failed} passed, ${failed} failed (${source}, ${total} s)`);
  return failed === 0 ? 0 : 1;
}

process.exit(await main());
