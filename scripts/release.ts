// `pnpm release --dry-run` (what CI runs): build, pack every publishable package with `pnpm pack`
// into a temporary directory, and check each tarball: only dist/, src/, README.md, LICENSE,
// CHANGELOG.md and package.json (plus the `<subpath>/package.json` stub of a subpath export, which
// resolvers without exports support read); no `workspace:` range left in the packed
// package.json; every file named by exports, main, module, types and bin present; every source a
// source map points at present; a CHANGELOG entry for the version. Then prints one row per
// package. `--no-build` skips the build (CI has just built).
//
// `pnpm release` (no --dry-run) runs the same checks, then `changeset publish`. Only maintainers
// run it, with an npm token; nothing here ever publishes in CI or in tests.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, posix } from 'node:path';
import { pathToFileURL } from 'node:url';
import { gunzipSync } from 'node:zlib';
import {
  exportSubpaths,
  formatBytes,
  type Manifest,
  markdownTable,
  publishablePackages,
  root,
  targetPaths,
  type WorkspacePackage,
} from './workspace.js';

const args = new Set(process.argv.slice(2));
for (const arg of args) {
  if (arg !== '--dry-run' && arg !== '--no-build') {
    console.error(`release: unknown argument ${arg} (use --dry-run, --no-build)`);
    process.exit(2);
  }
}
const dryRun = args.has('--dry-run');

/** Top-level files a tarball may hold besides dist/ and src/. */
const ALLOWED_FILES = new Set(['package.json', 'README.md', 'LICENSE', 'CHANGELOG.md']);
const ALLOWED_DIRECTORIES = ['dist/', 'src/'];
const DEPENDENCY_FIELDS = [
  'dependencies',
  'devDependencies',
  'peerDependencies',
  'optionalDependencies',
] as const;
/** Protocols only a workspace understands; pnpm pack must have replaced them with versions. */
const LOCAL_PROTOCOLS = ['workspace:', 'catalog:', 'link:', 'file:', 'portal:'];

const started = performance.now();

function run(command: string, commandArgs: readonly string[], cwd: string): string {
  const result = spawnSync(command, commandArgs, { cwd, encoding: 'utf8' });
  if (result.status !== 0) {
    throw new Error(
      `${command} ${commandArgs.join(' ')} failed in ${cwd} (exit ${result.status ?? result.signal})\n${result.stdout}${result.stderr}`,
    );
  }
  return result.stdout;
}

/** The regular files of a .tgz (ustar with pax or GNU long names), paths without `package/`. */
function readTarball(file: string): Map<string, Uint8Array> {
  const tar = gunzipSync(readFileSync(file));
  const files = new Map<string, Uint8Array>();
  const text = (start: number, end: number) => {
    const field = tar.subarray(start, end);
    const nul = field.indexOf(0);
    return new TextDecoder().decode(nul === -1 ? field : field.subarray(0, nul));
  };
  let longName: string | undefined;
  for (let at = 0; at + 512 <= tar.length; ) {
    if (tar.subarray(at, at + 512).every((byte) => byte === 0)) break;
    const size = Number.parseInt(text(at + 124, at + 136).trim() || '0', 8);
    const type = String.fromCharCode(tar[at + 156]!);
    const prefix = text(at + 345, at + 500);
    const name = longName ?? (prefix ? `${prefix}/${text(at, at + 100)}` : text(at, at + 100));
    const body = tar.subarray(at + 512, at + 512 + size);
    longName = undefined;
    if (type === 'x') {
      // pax extended header: "<length> path=<name>\n" records apply to the next entry.
      const path = /(?:^|\n)\d+ path=([^\n]*)\n/.exec(new TextDecoder().decode(body))?.[1];
      if (path !== undefined) longName = path;
    } else if (type === 'L') {
      longName = new TextDecoder().decode(body).replace(/\0+$/, '');
    } else if (type === '0' || type === '\0') {
      files.set(name.replace(/^package\//, ''), body);
    }
    at += 512 + Math.ceil(size / 512) * 512;
  }
  return files;
}

interface Packed {
  readonly name: string;
  readonly version: string;
  readonly files: number;
  readonly packedBytes: number;
  readonly unpackedBytes: number;
  readonly problems: string[];
  readonly warnings: string[];
}

/** What a relative target in `base` resolves to inside the tarball (`./dist/x.js` -> `dist/x.js`). */
function inPackage(base: string, target: string): string {
  return posix.normalize(posix.join(base, target));
}

function checkPackage(
  pkg: WorkspacePackage,
  tarball: string,
  versions: Map<string, string>,
): Packed {
  const files = readTarball(tarball);
  const problems: string[] = [];
  const warnings: string[] = [];
  const packedJson = files.get('package.json');
  if (packedJson === undefined) throw new Error(`${tarball} has no package.json`);
  const manifest = JSON.parse(new TextDecoder().decode(packedJson)) as Manifest;
  if (manifest.name !== pkg.manifest.name || manifest.version !== pkg.manifest.version) {
    problems.push(
      `packed as ${manifest.name}@${manifest.version}, the workspace has ${pkg.manifest.name}@${pkg.manifest.version}`,
    );
  }
  const subpaths = exportSubpaths(manifest);
  // A `<subpath>/package.json` stub serves `import 'pkg/<subpath>'` to resolvers that ignore
  // exports (TypeScript's node10, old bundlers); it must match an exported subpath.
  const stubs = new Set(
    [...subpaths.keys()].filter((key) => key !== '.').map((key) => `${key.slice(2)}/package.json`),
  );

  // A bin may be a small launcher outside dist/ (the proxy's says to build first when dist/ is
  // missing); only the files the manifest names as bins are allowed there.
  const binTargets = new Set(
    Object.values(
      typeof manifest.bin === 'string' ? { bin: manifest.bin } : (manifest.bin ?? {}),
    ).map((target) => String(target).replace(/^\.\//, '')),
  );
  for (const path of files.keys()) {
    const allowed =
      ALLOWED_FILES.has(path) ||
      ALLOWED_DIRECTORIES.some((dir) => path.startsWith(dir)) ||
      stubs.has(path) ||
      binTargets.has(path);
    if (!allowed) problems.push(`unexpected file ${path}`);
    if (/\.(test|bench|spec)\.[cm]?[jt]s$/.test(path) || path.endsWith('.tsbuildinfo')) {
      problems.push(`test or build-cache file ${path}`);
    }
  }
  for (const required of ALLOWED_FILES) {
    if (!files.has(required)) problems.push(`missing ${required}`);
  }
  if (![...files.keys()].some((path) => path.startsWith('dist/'))) problems.push('no dist/ files');

  for (const field of DEPENDENCY_FIELDS) {
    for (const [dependency, range] of Object.entries(manifest[field] ?? {})) {
      if (LOCAL_PROTOCOLS.some((protocol) => range.startsWith(protocol))) {
        problems.push(`${field}.${dependency} is still "${range}"`);
        continue;
      }
      const sibling = versions.get(dependency);
      if (sibling !== undefined && ![sibling, `^${sibling}`, `~${sibling}`].includes(range)) {
        problems.push(`${field}.${dependency} is "${range}", the workspace has ${sibling}`);
      }
    }
  }

  // Every file the manifest points at, in any field or condition.
  const referenced: string[] = [];
  for (const field of ['main', 'module', 'types', 'typings'] as const) {
    const value = manifest[field];
    if (value !== undefined) referenced.push(`${field} ${value}`);
  }
  const bins =
    typeof manifest.bin === 'string' ? { [manifest.name]: manifest.bin } : (manifest.bin ?? {});
  for (const [command, target] of Object.entries(bins)) {
    referenced.push(`bin.${command} ${target}`);
    const body = files.get(inPackage('.', target));
    if (body !== undefined && new TextDecoder().decode(body.subarray(0, 2)) !== '#!') {
      problems.push(`bin ${target} has no #! line`);
    }
  }
  for (const [subpath, target] of subpaths) {
    for (const path of targetPaths(target)) referenced.push(`exports["${subpath}"] ${path}`);
  }
  for (const reference of referenced) {
    const target = reference.slice(reference.indexOf(' ') + 1);
    const path = inPackage('.', target);
    if (path.includes('*')) {
      // A pattern export ("./*": "./dist/*.js") must match at least one file.
      const [before, after] = path.split('*', 2) as [string, string];
      const matches = [...files.keys()].some(
        (file) => file.startsWith(before) && file.endsWith(after),
      );
      if (!matches) problems.push(`${reference}: no file matches`);
    } else if (!files.has(path)) {
      problems.push(`${reference}: not in the tarball`);
    }
  }
  for (const stub of stubs) {
    const body = files.get(stub);
    if (body === undefined) continue;
    const stubManifest = JSON.parse(new TextDecoder().decode(body)) as Partial<Manifest>;
    for (const field of ['main', 'module', 'types'] as const) {
      const value = stubManifest[field];
      if (value !== undefined && !files.has(inPackage(posix.dirname(stub), value))) {
        problems.push(`${stub} ${field} ${value}: not in the tarball`);
      }
    }
  }

  // Source maps point at ../src; a map whose sources are missing sends debuggers nowhere.
  for (const [path, body] of files) {
    if (!path.endsWith('.map')) continue;
    const map = JSON.parse(new TextDecoder().decode(body)) as { sources?: string[] };
    for (const source of map.sources ?? []) {
      if (!files.has(inPackage(posix.dirname(path), source))) {
        problems.push(`${path} names ${source}, not in the tarball`);
      }
    }
  }

  const changelog = files.get('CHANGELOG.md');
  if (changelog !== undefined) {
    const heading = `## ${manifest.version}`;
    const lines = new TextDecoder().decode(changelog).split('\n');
    if (!lines.some((line) => line.trim() === heading)) {
      problems.push(`CHANGELOG.md has no "${heading}" entry`);
    }
  }

  // A runtime dependency that no built file imports costs every user an install.
  const builtFiles = [...files].filter(
    ([path]) => path.startsWith('dist/') && /\.[cm]?js$/.test(path),
  );
  const built = builtFiles.map(([, body]) => new TextDecoder().decode(body));
  // Top-level const costs a TDZ check per read in V8 (scripts/tsup-library.ts): the build
  // must have turned every one into var.
  builtFiles.forEach(([path], index) => {
    const line = /^(?:export )?const \w+/m.exec(built[index]!);
    if (line) problems.push(`${path}: top-level "${line[0]}" (the build should emit var)`);
  });
  for (const dependency of Object.keys(manifest.dependencies ?? {})) {
    const quoted = [`"${dependency}"`, `'${dependency}'`, `"${dependency}/`, `'${dependency}/`];
    if (!built.some((text) => quoted.some((quote) => text.includes(quote)))) {
      warnings.push(`dependency ${dependency} is not imported by any file in dist/`);
    }
  }

  let unpackedBytes = 0;
  for (const body of files.values()) unpackedBytes += body.length;
  return {
    name: manifest.name,
    version: manifest.version,
    files: files.size,
    packedBytes: statSync(tarball).size,
    unpackedBytes,
    problems,
    warnings,
  };
}

interface ChangesetConfig {
  readonly access: string;
  readonly baseBranch: string;
  readonly fixed: readonly (readonly string[])[];
  readonly linked: readonly (readonly string[])[];
  readonly changelog: false | readonly [string, unknown];
}

/** Reads .changeset/config.json with changesets' own validation (no git, no network). */
async function changesetProblems(names: readonly string[]): Promise<string[]> {
  // @changesets/config is a dependency of @changesets/cli, not of the root: resolve it from there.
  const fromCli = createRequire(
    createRequire(import.meta.url).resolve('@changesets/cli/package.json'),
  );
  const configModule = pathToFileURL(fromCli.resolve('@changesets/config')).href;
  const { readConfig } = (await import(configModule)) as {
    readConfig(cwd: string): Promise<{
      config?: ChangesetConfig;
      errors?: string[];
      warnings: string[];
    }>;
  };
  const { config, errors, warnings } = await readConfig(root);
  if (config === undefined) return (errors ?? ['invalid']).map((error) => `config: ${error}`);
  const problems = warnings.map((warning) => `config: ${warning}`);
  if (config.access !== 'public')
    problems.push(`config: access is "${config.access}", not "public"`);
  if (config.baseBranch !== 'main') problems.push(`config: baseBranch is "${config.baseBranch}"`);
  if (config.changelog !== false && config.changelog[0] !== '@changesets/cli/changelog') {
    problems.push(`config: changelog generator ${config.changelog[0]} (only the offline default)`);
  }
  const group = config.fixed.find((fixed) => fixed.length > 0) ?? [];
  const outside = names.filter((name) => !group.includes(name));
  if (config.fixed.length !== 1 || outside.length > 0) {
    problems.push(
      `config: every package must be in the one fixed group (outside: ${outside.join(', ') || 'none'})`,
    );
  }
  return problems;
}

async function main(): Promise<number> {
  const packages = publishablePackages();
  const versions = new Map(packages.map((pkg) => [pkg.manifest.name, pkg.manifest.version]));

  if (!args.has('--no-build')) {
    const buildStart = performance.now();
    run('pnpm', ['build'], root);
    console.log(`release: built in ${((performance.now() - buildStart) / 1000).toFixed(1)} s`);
  }

  const configProblems = await changesetProblems([...versions.keys()]);
  const destination = mkdtempSync(join(tmpdir(), 'ftpwire-pack-'));
  const results: Packed[] = [];
  try {
    for (const pkg of packages) {
      const output = run('pnpm', ['pack', '--pack-destination', destination, '--json'], pkg.dir);
      const { filename } = JSON.parse(output) as { filename: string };
      results.push(checkPackage(pkg, filename, versions));
    }
  } finally {
    rmSync(destination, { recursive: true, force: true });
  }

  console.log(
    markdownTable(
      ['package', 'version', 'files', 'packed', 'unpacked'],
      results.map((result) => [
        result.name,
        result.version,
        String(result.files),
        formatBytes(result.packedBytes),
        formatBytes(result.unpackedBytes),
      ]),
      new Set([2, 3, 4]),
    ),
  );
  for (const result of results) {
    for (const warning of result.warnings)
      console.log(`release: warning: ${result.name}: ${warning}`);
  }
  const problems = [
    ...configProblems,
    ...results.flatMap((result) => result.problems.map((problem) => `${result.name}: ${problem}`)),
  ];
  for (const problem of problems) console.error(`release: ${problem}`);
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  if (problems.length > 0) {
    console.error(
      `release: ${problems.length} problem(s) in ${results.length} packages (${seconds} s)`,
    );
    return 1;
  }
  console.log(`release: ${results.length} packages checked, no problems (${seconds} s)`);
  if (dryRun) {
    console.log('release: dry run, nothing published');
    return 0;
  }
  const publish = spawnSync(process.execPath, [join(root, 'scripts/changeset.mjs'), 'publish'], {
    cwd: root,
    stdio: 'inherit',
  });
  return publish.status ?? 1;
}

process.exitCode = await main();
