#!/usr/bin/env node
// Runs the smoke suite (test/runtimes/smoke.ts) on the built core packages in every runtime
// DESIGN.md promises: Node, Deno, Bun and a browser (Debian's headless Chromium). Each runtime
// prints its own result as one JSON line; the counts here are read from it, never assumed.
//
//   node scripts/runtimes.mjs [--no-build] [--json <file>] [node] [deno] [bun] [chromium]
//
// --no-build   use the packages' dist/ as it is (CI builds first anyway)
// --json FILE  also write every runtime's result to FILE
// Naming runtimes runs only those. Exits non-zero if any runtime fails, runs zero checks, or
// reports a runtime other than the one started. Nothing is downloaded: Deno runs with
// --cached-only and no permissions, Bun with --no-install, Chromium is /usr/bin/chromium (never a
// browser download) and may reach only the suite's own server on 127.0.0.1.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const SUITE_DIR = join(ROOT, 'test', 'runtimes');
const ENTRY = join(SUITE_DIR, 'main.ts');
// Under node_modules: ignored by git, biome and tsc, and Node resolves @ftpwire/* from there.
const OUT_DIR = join(ROOT, 'node_modules', '.cache', 'ftpwire-runtimes');
const RESULT_PREFIX = 'FTPWIRE_SMOKE_RESULT ';
const CORE_PACKAGES = ['lines', 'reply', 'command', 'address', 'nat', 'listing'];
const CHROMIUM = '/usr/bin/chromium';
const RUNTIME_TIMEOUT_MS = 60_000;

const args = process.argv.slice(2);
const build = !args.includes('--no-build');
const jsonIndex = args.indexOf('--json');
const jsonFile = jsonIndex === -1 ? undefined : args[jsonIndex + 1];
const ALL = ['node', 'deno', 'bun', 'chromium'];
const named = args.filter((arg, i) => ALL.includes(arg) && args[i - 1] !== '--json');
const selected = named.length > 0 ? named : ALL;

const started = performance.now();
const seconds = (since) => ((performance.now() - since) / 1000).toFixed(1);

/** Runs a command to completion; resolves with its exit code and output, killing it on timeout. */
function run(command, commandArgs, options = {}) {
  return new Promise((resolvePromise) => {
    const child = spawn(command, commandArgs, {
      cwd: ROOT,
      env: { ...process.env, ...options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
      // Its own process group: node_modules/.bin/deno and bun are shims that start the real
      // binary as a child, and a timeout must end that one too.
      detached: true,
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (data) => {
      stdout += data;
    });
    child.stderr.on('data', (data) => {
      stderr += data;
    });
    const timer = setTimeout(() => {
      stderr += `\n(killed after ${RUNTIME_TIMEOUT_MS / 1000} s)`;
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        child.kill('SIGKILL');
      }
    }, options.timeout ?? RUNTIME_TIMEOUT_MS);
    child.on('error', (error) => {
      clearTimeout(timer);
      resolvePromise({ code: -1, stdout, stderr: `${stderr}${error.message}` });
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolvePromise({ code: code ?? (signal ? -1 : 0), stdout, stderr });
    });
  });
}

/** The suite's result line in a runtime's output, or undefined. */
function resultOf(stdout) {
  const line = stdout.split('\n').find((l) => l.startsWith(RESULT_PREFIX));
  if (line === undefined) return undefined;
  try {
    return JSON.parse(line.slice(RESULT_PREFIX.length));
  } catch {
    return undefined;
  }
}

const tail = (text) => text.trim().split('\n').slice(-15).join('\n');

// ---- node, deno, bun: a child process each

const processRuntimes = {
  // Node 20 cannot run TypeScript: it runs the suite compiled by esbuild, packages left external.
  node: {
    command: process.execPath,
    args: () => [join(OUT_DIR, 'main.mjs')],
  },
  // Deno and Bun run the TypeScript entry themselves. Both resolve @ftpwire/* through
  // node_modules to the packages' "import" condition (dist/), not the source condition.
  deno: {
    command: join(ROOT, 'node_modules', '.bin', 'deno'),
    // No permission flags: the suite needs none. --cached-only forbids any download.
    args: () => [
      'run',
      '--cached-only',
      '--no-lock',
      '--no-prompt',
      '--node-modules-dir=manual',
      ENTRY,
    ],
    env: {
      DENO_NO_UPDATE_CHECK: '1',
      DENO_NO_PROMPT: '1',
      DENO_DIR: join(OUT_DIR, 'deno-dir'),
      NO_COLOR: '1',
    },
  },
  bun: {
    command: join(ROOT, 'node_modules', '.bin', 'bun'),
    args: () => ['--no-install', ENTRY],
    env: { DO_NOT_TRACK: '1', NO_COLOR: '1' },
  },
};

async function runProcess(name) {
  const runtime = processRuntimes[name];
  if (!existsSync(runtime.command)) {
    return { error: `${runtime.command} is missing (pnpm install puts it there)` };
  }
  const { code, stdout, stderr } = await run(runtime.command, runtime.args(), { env: runtime.env });
  const result = resultOf(stdout);
  if (!result) {
    return { error: `no result line (exit ${code})\n${tail(stderr)}\n${tail(stdout)}` };
  }
  return { result, exitCode: code, stderr };
}

// ---- chromium: the suite bundled for the browser, served on loopback, driven by playwright-core

async function runChromium(bundle) {
  if (!existsSync(CHROMIUM)) {
    return {
      error: `${CHROMIUM} is missing: apt-get install -y --no-install-recommends chromium`,
    };
  }
  const { chromium } = await import('playwright-core');
  const page = `<!doctype html><meta charset="utf-8"><link rel="icon" href="data:,"><title>ftpwire smoke</title><script type="module" src="/smoke.js"></script>`;
  const server = createServer((request, response) => {
    if (request.url === '/') {
      response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(page);
    } else if (request.url === '/smoke.js') {
      response.writeHead(200, { 'content-type': 'text/javascript; charset=utf-8' }).end(bundle);
    } else {
      response.writeHead(404).end();
    }
  });
  await new Promise((ready) => server.listen(0, '127.0.0.1', ready));
  const origin = `http://127.0.0.1:${server.address().port}`;
  let browser;
  try {
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      timeout: 30_000,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--disable-dev-shm-usage',
        '--no-proxy-server',
        // Nothing but loopback resolves, whatever the page or the browser itself asks for.
        '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1',
      ],
    });
    const context = await browser.newContext();
    const blocked = [];
    await context.route('**/*', (route) => {
      const url = route.request().url();
      if (url.startsWith(`${origin}/`)) return route.continue();
      blocked.push(url);
      return route.abort();
    });
    const tab = await context.newPage();
    const errors = [];
    const lines = [];
    tab.on('console', (message) => {
      if (message.type() === 'error') errors.push(`console.error: ${message.text()}`);
      else lines.push(message.text());
    });
    tab.on('pageerror', (error) => errors.push(`page error: ${error.message}`));
    await tab.goto(`${origin}/`);
    await tab.waitForFunction(() => globalThis.ftpwireSmokeResult !== undefined, undefined, {
      timeout: 30_000,
    });
    const result = await tab.evaluate(() => globalThis.ftpwireSmokeResult);
    const version = browser.version();
    if (blocked.length > 0) errors.push(`blocked requests: ${blocked.join(', ')}`);
    if (result?.error) return { error: `${result.error}\n${errors.join('\n')}` };
    // The console line and the page's value are the same result, told twice.
    const printed = resultOf(lines.join('\n'));
    if (!printed || printed.passed !== result.passed || printed.failed !== result.failed) {
      errors.push('the result printed on the console differs from the page result');
    }
    return { result: { ...result, version: `Chromium ${version}` }, errors };
  } catch (error) {
    return { error: String(error?.stack ?? error) };
  } finally {
    await browser?.close();
    await new Promise((closed) => server.close(closed));
  }
}

// ---- main

async function main() {
  if (build) {
    const at = performance.now();
    const filters = CORE_PACKAGES.flatMap((p) => ['--filter', `./packages/${p}`]);
    const built = await run('pnpm', ['-r', ...filters, 'run', 'build'], { timeout: 180_000 });
    if (built.code !== 0) {
      console.error(
        `build failed (exit ${built.code})\n${tail(built.stderr)}\n${tail(built.stdout)}`,
      );
      return 1;
    }
    console.log(`built ${CORE_PACKAGES.join(', ')} in ${seconds(at)} s`);
  }
  for (const p of CORE_PACKAGES) {
    if (!existsSync(join(ROOT, 'packages', p, 'dist', 'index.js'))) {
      console.error(`packages/${p}/dist/index.js is missing: run pnpm build, or drop --no-build`);
      return 1;
    }
  }

  const esbuild = await import('esbuild');
  mkdirSync(OUT_DIR, { recursive: true });
  const common = {
    entryPoints: [ENTRY],
    bundle: true,
    format: 'esm',
    target: 'es2022',
    logLevel: 'warning',
  };
  // For Node the packages stay external: node resolves them to dist/ as users get them.
  await esbuild.build({
    ...common,
    platform: 'neutral',
    external: ['@ftpwire/*'],
    outfile: join(OUT_DIR, 'main.mjs'),
  });
  // For the browser, what a bundler makes of the published packages ("import" condition, dist/).
  const browserBuild = selected.includes('chromium')
    ? await esbuild.build({ ...common, platform: 'browser', write: false, outfile: 'smoke.js' })
    : undefined;

  const report = [];
  let failedRuntimes = 0;
  for (const name of selected) {
    const at = performance.now();
    const outcome =
      name === 'chromium'
        ? await runChromium(browserBuild.outputFiles[0].text)
        : await runProcess(name);
    const time = seconds(at);
    const problems = [];
    const { result } = outcome;
    if (outcome.error) problems.push(outcome.error);
    if (result) {
      const expected = name === 'chromium' ? 'browser' : name;
      if (result.runtime !== expected)
        problems.push(`the suite ran on ${result.runtime}, not ${expected}`);
      if (!(result.passed > 0)) problems.push('no check passed');
      for (const failure of result.failures ?? [])
        problems.push(`FAIL ${failure.name}: ${failure.message}`);
      if (outcome.exitCode !== undefined && outcome.exitCode !== 0)
        problems.push(`exit code ${outcome.exitCode}`);
      for (const error of outcome.errors ?? []) problems.push(error);
    }
    const summary = result
      ? `${result.version}: ${result.passed} passed, ${result.failed} failed`
      : 'no result';
    console.log(
      `${problems.length === 0 ? 'ok  ' : 'FAIL'} ${name.padEnd(8)} ${summary} (${time} s)`,
    );
    for (const problem of problems) console.log(`       ${problem.replaceAll('\n', '\n       ')}`);
    if (problems.length > 0) failedRuntimes++;
    report.push({
      runtime: name,
      ok: problems.length === 0,
      seconds: Number(time),
      problems,
      result,
    });
  }

  if (jsonFile) writeFileSync(jsonFile, `${JSON.stringify(report, null, 2)}\n`);
  const checks = report.reduce((sum, r) => sum + (r.result?.passed ?? 0), 0);
  const failedChecks = report.reduce((sum, r) => sum + (r.result?.failed ?? 0), 0);
  console.log(
    `runtimes: ${selected.length - failedRuntimes} of ${selected.length} ok; ${checks} checks passed, ${failedChecks} failed; ${seconds(started)} s`,
  );
  return failedRuntimes === 0 && selected.length > 0 ? 0 : 1;
}

process.exitCode = await main();
