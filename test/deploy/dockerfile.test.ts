// The Dockerfile checked without a container engine: what its COPY lines take exists after
// `pnpm build` and passes .dockerignore; the image holds the proxy's whole run-time dependency
// closure and nothing else; and the files laid out as the image would hold them run the proxy.
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, posix } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeServer, startFakeServer } from '../e2e/harness/fake-server.js';
import { PROXY_HOST } from '../e2e/harness/proxy.js';
import { RawFtp } from '../e2e/harness/raw-client.js';
import { ensureBuilt, root } from './built.js';
import { type Copy, execForm, type Instruction, parseCopy, parseDockerfile } from './dockerfile.js';

interface Manifest {
  name: string;
  dependencies?: Record<string, string>;
  bin?: Record<string, string>;
  main?: string;
  module?: string;
  exports?: Record<string, unknown>;
}

const manifest = (dir: string): Manifest =>
  JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as Manifest;

/** @ftpwire/proxy and every workspace package it needs at run time, by directory name. */
function dependencyClosure(start: string): Set<string> {
  const seen = new Set<string>();
  const visit = (name: string) => {
    if (seen.has(name)) return;
    seen.add(name);
    for (const dependency of Object.keys(manifest(`${root}/packages/${name}`).dependencies ?? {})) {
      if (dependency.startsWith('@ftpwire/')) visit(dependency.slice('@ftpwire/'.length));
    }
  };
  visit(start);
  return seen;
}

/** Every file a package.json points at for Node: main, module, exports' non-source targets, bin. */
function entryFiles(pkg: Manifest): string[] {
  const files = [pkg.main, pkg.module, ...Object.values(pkg.bin ?? {})].filter(
    (file): file is string => typeof file === 'string',
  );
  const walk = (target: unknown, condition: string) => {
    if (typeof target === 'string') {
      if (condition !== '@ftpwire/source') files.push(target);
    } else if (target && typeof target === 'object') {
      for (const [key, value] of Object.entries(target)) walk(value, key);
    }
  };
  walk(pkg.exports ?? {}, '');
  return files;
}

/** .dockerignore as written here: `*` first, then `!path` lines letting paths back in. */
function ignored(path: string, patterns: string[]): boolean {
  let out = false;
  for (const pattern of patterns) {
    if (pattern === '*') out = true;
    else if (pattern.startsWith('!')) {
      const back = pattern.slice(1);
      if (path === back || path.startsWith(`${back}/`)) out = false;
    } else if (path === pattern || path.startsWith(`${pattern}/`)) out = true;
  }
  return out;
}

describe('Dockerfile', () => {
  let instructions: Instruction[];
  let copies: Copy[];
  let workdir: string;
  let image: string;
  let entrypoint: string[];
  let server: FakeServer;

  beforeAll(async () => {
    ensureBuilt();
    instructions = parseDockerfile(readFileSync(`${root}/Dockerfile`, 'utf8'));
    copies = instructions.filter((i) => i.keyword === 'COPY').map((i) => parseCopy(i.text));
    workdir = instructions.filter((i) => i.keyword === 'WORKDIR').at(-1)?.text ?? '/';
    entrypoint = execForm(instructions.find((i) => i.keyword === 'ENTRYPOINT')!.text);
    // The image's file system, under a directory of its own (nothing above it resolves).
    image = mkdtempSync(join(tmpdir(), 'ftpwire-image-'));
    for (const copy of copies) {
      for (const source of copy.sources) {
        const target = join(image, posix.resolve(workdir, copy.destination));
        cpSync(join(root, source), target, { recursive: true });
      }
    }
    server = await startFakeServer();
  }, 300_000);

  afterAll(async () => {
    await server?.stop();
    if (image) rmSync(image, { recursive: true, force: true });
  });

  it('starts from a small Node image and runs as an unprivileged user', () => {
    const args = new Map(
      instructions
        .filter((i) => i.keyword === 'ARG')
        .map((i) => i.text.split('=') as [string, string]),
    );
    const from = instructions
      .find((i) => i.keyword === 'FROM')!
      .text.replace(/\$\{(\w+)\}/g, (_, name: string) => args.get(name) ?? '');
    expect(from).toMatch(/^node:\d+-(alpine|slim)/);
    expect(instructions.filter((i) => i.keyword === 'FROM')).toHaveLength(1);
    const user = instructions.filter((i) => i.keyword === 'USER').at(-1)?.text;
    expect(user).toBeDefined();
    expect(['root', '0']).not.toContain(user);
    expect(entrypoint[0]).toBe('node');
  });

  it('copies only files the build produces, each let through by .dockerignore', () => {
    const patterns = readFileSync(`${root}/.dockerignore`, 'utf8')
      .split('\n')
      .map((line) => line.trim())
      .filter((line) => line !== '' && !line.startsWith('#'));
    expect(copies.length).toBeGreaterThan(0);
    for (const copy of copies) {
      expect(copy.from, 'a single stage: nothing is built in the image').toBeUndefined();
      for (const source of copy.sources) {
        expect(existsSync(join(root, source)), source).toBe(true);
        expect(ignored(source, patterns), `${source} is excluded by .dockerignore`).toBe(false);
        // Built output, manifests and the launcher only: never sources or installed modules.
        expect(source).toMatch(/^packages\/[a-z]+\/(dist|bin|package\.json)$/);
      }
    }
  });

  it("holds the proxy's run-time dependency closure, each package where Node looks for it", () => {
    const closure = dependencyClosure('proxy');
    expect([...closure].sort()).toEqual(['address', 'command', 'lines', 'proxy', 'reply']);
    const modules = join(image, posix.resolve(workdir, 'node_modules/@ftpwire'));
    for (const name of closure) {
      const dir = join(modules, name);
      const pkg = manifest(dir);
      expect(pkg.name).toBe(`@ftpwire/${name}`);
      for (const file of entryFiles(pkg)) {
        expect(existsSync(join(dir, file)), `@ftpwire/${name}: ${file}`).toBe(true);
      }
    }
    // The launcher imports ../dist/cli.js.
    expect(statSync(join(modules, 'proxy/dist/cli.js')).isFile()).toBe(true);
  });

  it('runs from the image layout: --version, the default CMD, and a session', async () => {
    const command = entrypoint.map((word) =>
      word.startsWith('/') ? join(image, word) : word === 'node' ? process.execPath : word,
    );
    const [node, ...rest] = command as [string, ...string[]];
    const version = spawnSync(node, [...rest, '--version'], { encoding: 'utf8', cwd: image });
    expect(version.stderr).toBe('');
    expect(version.stdout).toMatch(/^ftpwire-proxy \d+\.\d+\.\d+/);
    const cmd = execForm(instructions.find((i) => i.keyword === 'CMD')!.text);
    const help = spawnSync(node, [...rest, ...cmd], { encoding: 'utf8', cwd: image });
    expect(help.status).toBe(0);
    expect(help.stdout).toMatch(/^Usage: ftpwire-proxy/);

    const child: ChildProcess = spawn(
      node,
      [...rest, '--listen', `${PROXY_HOST}:0`, '--upstream', `127.0.0.1:${server.port}`],
      { cwd: image, stdio: ['ignore', 'ignore', 'pipe'] },
    );
    let log = '';
    const port = await new Promise<number>((resolve, reject) => {
      child.stderr!.on('data', (chunk: Buffer) => {
        log += chunk.toString();
        const match = /listening on [\d.]+:(\d+)/.exec(log);
        if (match) resolve(Number(match[1]));
      });
      child.once('exit', (code) => reject(new Error(`exited with ${code}: ${log}`)));
    });
    const client = await RawFtp.connect(PROXY_HOST, port);
    expect((await client.reply()).code).toBe(220);
    await client.login();
    expect((await client.command('QUIT')).code).toBe(221);
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  }, 60_000);
});
