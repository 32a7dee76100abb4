// `pnpm size`: what each entry point costs a user's bundle, and whether bundlers can drop what
// a user does not import. Needs the built packages (`pnpm build`).
//
// 1. Every export subpath of every publishable package (`@ftpwire/nat`, `@ftpwire/nat/node`, ...)
//    is bundled from its built ESM file with esbuild, minified, the @ftpwire packages it imports
//    included (the user pays for them too) and Node's built-in modules external. Raw and gzip
//    bytes (zlib's default level) must stay within size-limits.json. The cores must import no
//    built-in module: only `/node` subpaths and @ftpwire/proxy may (DESIGN.md).
// 2. Tree-shaking: single named imports are bundled and must come out far smaller than their
//    package, without the code of what was not imported. Each is bundled a second time with
//    esbuild's `ignoreAnnotations` (which ignores `sideEffects: false`), and that bundle must
//    break the same rules: so each rule is shown to depend on `sideEffects: false` being honoured.
//
// Writes the Markdown tables to .tmp/size-table.md and exits non-zero on any breach. The
// README's "Bundle size" tables are this script's output, between `<!-- pnpm size: begin NAME -->`
// and `<!-- pnpm size: end NAME -->` markers: a README whose tables differ from what was just
// measured is a breach too (CI runs `pnpm size`), and `--write` rewrites them. `--write-limits`
// rewrites size-limits.json to the current sizes plus 15% (review the diff: a budget is raised
// on purpose, never to make CI pass).
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { join, relative } from 'node:path';
import { gzipSync } from 'node:zlib';
import { type BuildOptions, build, type Metafile } from 'esbuild';
import {
  type ExportsTarget,
  exportSubpaths,
  formatBytes,
  markdownTable,
  publishablePackages,
  root,
  targetPaths,
} from './workspace.js';

interface Limit {
  readonly minified: number;
  readonly gzip: number;
}
interface LimitsFile {
  readonly $comment?: string;
  readonly entries: Readonly<Record<string, Limit>>;
}

interface TreeShakeCase {
  /** What the user writes. */
  readonly source: string;
  /** The package (entry) it is compared with. */
  readonly entry: string;
  /** Largest share of the whole entry's minified size the import may take. */
  readonly maxShare: number;
  /** Strings from code that was not imported, which must be absent from the bundle. */
  readonly absent: readonly string[];
  /** A string from the imported code, so that an empty bundle cannot pass. */
  readonly present: string;
}

// `absent` strings are error codes, messages and global names that survive minification; each
// names the module it stands for.
const TREE_SHAKE_CASES: readonly TreeShakeCase[] = [
  {
    source: "import { replyClass } from '@ftpwire/reply'",
    entry: '@ftpwire/reply',
    maxShare: 0.15,
    absent: [
      'must have at least one line', // formatReply (format.ts)
      'ERR_MALFORMED_REPLY', // ReplyParser (parse.ts)
      'TransformStream', // ReplyParserStream (stream.ts)
      'ERR_LINE_TOO_LONG', // @ftpwire/lines, which only the parser needs
    ],
    present: 'preliminary',
  },
  {
    // @ftpwire/listing reads MLSD's modify/create facts with it: it must not bring the parser.
    source: "import { parseTimeVal } from '@ftpwire/reply'",
    entry: '@ftpwire/reply',
    maxShare: 0.15,
    absent: [
      'ERR_MALFORMED_REPLY', // ReplyParser (parse.ts)
      'ERR_INVALID_PATHNAME_REPLY', // the other meaning parsers (pathname.ts, ...)
      'TransformStream', // ReplyParserStream (stream.ts)
      'ERR_LINE_TOO_LONG', // @ftpwire/lines' splitter, which only the parser needs
    ],
    present: 'ERR_INVALID_TIME_VAL',
  },
  {
    source: "import { parseEpsvReply } from '@ftpwire/address'",
    entry: '@ftpwire/address',
    maxShare: 0.3,
    absent: [
      'ERR_INVALID_PASV_REPLY', // pasv.ts
      'ERR_INVALID_LONG_ADDRESS', // long.ts
      'ERR_PASSIVE_HOST_MISMATCH', // policy.ts
      // host-port.ts builds two 256-entry tables for encodeHostPort when it is loaded
      // (`Array.from({ length: 256 }, ...)`): a user who only parses 229 replies must not pay for it.
      'length:256',
    ],
    present: 'ERR_INVALID_EPSV_REPLY',
  },
  {
    source: "import { LineSplitter } from '@ftpwire/lines'",
    entry: '@ftpwire/lines',
    maxShare: 0.97,
    absent: ['TransformStream'], // LineSplitterStream (stream.ts)
    present: 'ERR_LINE_TOO_LONG',
  },
  {
    source: "import { formatCommand } from '@ftpwire/command'",
    entry: '@ftpwire/command',
    maxShare: 0.4,
    absent: [
      'ERR_MALFORMED_COMMAND', // CommandParser (parse.ts)
      'TransformStream', // CommandParserStream (stream.ts)
      'ERR_LINE_TOO_LONG', // @ftpwire/lines, which only the parser needs
    ],
    present: 'ERR_INVALID_ARGUMENT',
  },
  {
    source: "import { parseFacts } from '@ftpwire/listing'",
    entry: '@ftpwire/listing',
    maxShare: 0.35,
    absent: [
      'TransformStream', // ListingParserStream (stream.ts) and @ftpwire/lines
      'ERR_MALFORMED_REPLY', // @ftpwire/reply's parser, which only parseMlstReply needs
      '<DIR>', // the DOS dialect of parseListLine (dos.ts)
      'ERR_LINE_TOO_LONG', // @ftpwire/lines' splitter, which only ListingParser needs
    ],
    present: 'ERR_MALFORMED_FACTS',
  },
  {
    source: "import { NatError } from '@ftpwire/nat'",
    entry: '@ftpwire/nat',
    maxShare: 0.05,
    absent: [
      'ERR_INVALID_PASV_REPLY', // @ftpwire/address
      'TransformStream', // NatSession (stream.ts) and @ftpwire/lines
    ],
    present: 'NatError',
  },
];

/** Entries that may import Node's built-in modules (DESIGN.md: "/node" subpaths and the proxy). */
function mayUseNode(entry: string): boolean {
  return entry.endsWith('/node') || entry.startsWith('@ftpwire/proxy');
}

const LIMITS_FILE = join(root, 'size-limits.json');
const TABLE_FILE = join(root, '.tmp/size-table.md');
const README_FILE = join(root, 'README.md');
const HEADROOM = 1.15;
const writeLimits = process.argv.includes('--write-limits');
const writeReadme = process.argv.includes('--write');

/**
 * `text` with the block between `<!-- pnpm size: begin NAME -->` and its end marker replaced
 * by `table`; undefined when the markers are missing.
 */
function withTable(text: string, name: string, table: string): string | undefined {
  const begin = `<!-- pnpm size: begin ${name} -->\n`;
  const end = `<!-- pnpm size: end ${name} -->`;
  const from = text.indexOf(begin);
  const to = text.indexOf(end, from);
  if (from === -1 || to === -1) return undefined;
  return `${text.slice(0, from + begin.length)}${table}\n${text.slice(to)}`;
}

/** Checks the README's tables against the measured ones, or rewrites them with `--write`. */
function checkReadme(tables: Readonly<Record<string, string>>): void {
  const before = readFileSync(README_FILE, 'utf8');
  let after = before;
  for (const [name, table] of Object.entries(tables)) {
    const next = withTable(after, name, table);
    if (next === undefined) {
      problems.push(`README.md: no "<!-- pnpm size: begin ${name} -->" ... end block`);
      return;
    }
    after = next;
  }
  if (after === before) return;
  if (writeReadme) {
    writeFileSync(README_FILE, after);
    console.log('size: rewrote the tables in README.md');
  } else {
    problems.push(
      'README.md: its bundle-size tables differ from these sizes; run pnpm size --write',
    );
  }
}
const started = performance.now();
const problems: string[] = [];

const external = [...builtinModules, ...builtinModules.map((name) => `node:${name}`)];
const baseOptions: BuildOptions = {
  bundle: true,
  minify: true,
  format: 'esm',
  target: 'es2022',
  // Neutral: no browser or node field preferences, so a core that reaches for Node shows up.
  platform: 'neutral',
  mainFields: ['module', 'main'],
  external,
  write: false,
  metafile: true,
  logLevel: 'silent',
};

interface Bundle {
  readonly text: string;
  readonly minified: number;
  readonly gzip: number;
  readonly metafile: Metafile;
}

async function bundle(source: string, options: BuildOptions = {}): Promise<Bundle> {
  const result = await build({
    ...baseOptions,
    ...options,
    stdin: { contents: source, resolveDir: root, sourcefile: 'entry.js', loader: 'js' },
  });
  const output = result.outputFiles![0]!;
  return {
    text: output.text,
    minified: output.contents.length,
    gzip: gzipSync(output.contents).length,
    metafile: result.metafile!,
  };
}

function checkBuilt(): void {
  for (const pkg of publishablePackages()) {
    let oldestBuild = Number.POSITIVE_INFINITY;
    for (const [, target] of exportSubpaths(pkg.manifest)) {
      for (const path of targetPaths(target).filter((file) => file.startsWith('./dist/'))) {
        const file = join(pkg.dir, path);
        if (!existsSync(file)) {
          console.error(`size: ${relative(root, file)} is missing: run pnpm build first`);
          process.exit(1);
        }
        oldestBuild = Math.min(oldestBuild, statSync(file).mtimeMs);
      }
    }
    const stale = readdirRecursive(join(pkg.dir, 'src')).some(
      (file) => statSync(file).mtimeMs > oldestBuild,
    );
    if (stale) {
      console.warn(
        `size: warning: ${pkg.manifest.name}: src/ is newer than dist/; run pnpm build for exact sizes`,
      );
    }
  }
}

function readdirRecursive(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    return entry.isDirectory() ? readdirRecursive(path) : [path];
  });
}

/** The entry points users import: every export subpath of every publishable package. */
function entries(): { entry: string; pkgDir: string }[] {
  return publishablePackages().flatMap((pkg) =>
    [...exportSubpaths(pkg.manifest).entries()]
      .filter(([subpath, target]) => subpath !== './package.json' && isCode(target))
      .map(([subpath]) => ({
        entry: subpath === '.' ? pkg.manifest.name : `${pkg.manifest.name}${subpath.slice(1)}`,
        pkgDir: pkg.dir,
      })),
  );
}

function isCode(target: ExportsTarget): boolean {
  return targetPaths(target).some((path) => /\.[cm]?js$/.test(path));
}

/** Minified bytes that came from the entry's own package (the rest are its @ftpwire dependencies). */
function ownBytes(metafile: Metafile, pkgDir: string): number {
  const own = `${relative(root, pkgDir)}/`;
  let bytes = 0;
  for (const output of Object.values(metafile.outputs)) {
    for (const [input, { bytesInOutput }] of Object.entries(output.inputs)) {
      if (input.startsWith(own)) bytes += bytesInOutput;
    }
  }
  return bytes;
}

function builtinImports(metafile: Metafile): string[] {
  return Object.values(metafile.outputs).flatMap((output) =>
    output.imports.filter((imported) => imported.external).map((imported) => imported.path),
  );
}

/** The rules one tree-shaking bundle breaks; empty when it passes. */
function treeShakeBreaches(test: TreeShakeCase, result: Bundle, whole: Bundle): string[] {
  const breaches: string[] = [];
  const share = result.minified / whole.minified;
  if (share > test.maxShare) {
    breaches.push(
      `${(share * 100).toFixed(0)}% of ${test.entry} (at most ${(test.maxShare * 100).toFixed(0)}%)`,
    );
  }
  for (const text of test.absent) {
    if (result.text.includes(text)) breaches.push(`holds "${text}"`);
  }
  if (!result.text.includes(test.present)) breaches.push(`lacks "${test.present}"`);
  return breaches;
}

async function main(): Promise<void> {
  checkBuilt();
  const limits = existsSync(LIMITS_FILE)
    ? (JSON.parse(readFileSync(LIMITS_FILE, 'utf8')) as LimitsFile)
    : { entries: {} };

  const sizeRows: string[][] = [];
  const wholes = new Map<string, Bundle>();
  const measured: Record<string, Limit> = {};
  const list = entries();
  const bundles = await Promise.all(list.map(({ entry }) => bundle(`export * from '${entry}'`)));
  list.forEach(({ entry, pkgDir }, index) => {
    const result = bundles[index]!;
    wholes.set(entry, result);
    measured[entry] = { minified: result.minified, gzip: result.gzip };
    const limit = limits.entries[entry];
    if (limit === undefined) {
      problems.push(`${entry}: no budget in size-limits.json`);
    } else {
      if (result.minified > limit.minified) {
        problems.push(`${entry}: ${result.minified} B minified, budget ${limit.minified} B`);
      }
      if (result.gzip > limit.gzip) {
        problems.push(`${entry}: ${result.gzip} B gzip, budget ${limit.gzip} B`);
      }
    }
    const builtins = builtinImports(result.metafile);
    if (builtins.length > 0 && !mayUseNode(entry)) {
      problems.push(
        `${entry}: imports Node built-ins (${builtins.join(', ')}); only /node subpaths may`,
      );
    }
    sizeRows.push([
      `\`${entry}\``,
      formatBytes(result.minified),
      formatBytes(result.gzip),
      formatBytes(ownBytes(result.metafile, pkgDir)),
      limit === undefined ? '-' : formatBytes(limit.gzip),
    ]);
  });
  for (const entry of Object.keys(limits.entries)) {
    if (!(entry in measured)) problems.push(`size-limits.json: ${entry} is no entry point`);
  }

  const shakeRows: string[][] = [];
  for (const test of TREE_SHAKE_CASES) {
    const whole = wholes.get(test.entry);
    if (whole === undefined) {
      problems.push(`tree-shaking: no entry ${test.entry}`);
      continue;
    }
    // `export *` of the import keeps exactly what the user imported alive.
    const exported = test.source.replace(/^import /, 'export ');
    const [result, control] = await Promise.all([
      bundle(exported),
      bundle(exported, { ignoreAnnotations: true }),
    ]);
    const breaches = treeShakeBreaches(test, result, whole);
    for (const breach of breaches) problems.push(`tree-shaking: ${test.source}: ${breach}`);
    if (treeShakeBreaches(test, control, whole).length === 0) {
      problems.push(
        `tree-shaking: ${test.source}: passes even with sideEffects ignored, so it tests nothing`,
      );
    }
    shakeRows.push([
      `\`${test.source}\``,
      formatBytes(result.minified),
      formatBytes(result.gzip),
      `${((result.minified / whole.minified) * 100).toFixed(1)}%`,
      formatBytes(control.minified),
    ]);
  }

  const sizeTable = markdownTable(
    ['entry point', 'minified', 'gzip', 'own code (minified)', 'gzip budget'],
    sizeRows,
    new Set([1, 2, 3, 4]),
  );
  const shakeTable = markdownTable(
    ['import', 'minified', 'gzip', 'of the package', 'sideEffects ignored'],
    shakeRows,
    new Set([1, 2, 3, 4]),
  );
  console.log(sizeTable);
  console.log();
  console.log(shakeTable);
  mkdirSync(join(root, '.tmp'), { recursive: true });
  writeFileSync(
    TABLE_FILE,
    [
      'Bundle size of each entry point: its built ESM file bundled with esbuild, minified, with the',
      '@ftpwire packages it imports (the "own code" column is the part from its own package) and',
      "Node's built-in modules external; gzip at zlib's default level. `pnpm size` checks them",
      'against size-limits.json.',
      '',
      sizeTable,
      '',
      'Tree-shaking (`sideEffects: false`): one named import against its whole package; the last',
      'column is the same import when the bundler ignores `sideEffects`.',
      '',
      shakeTable,
      '',
    ].join('\n'),
  );

  checkReadme({ 'entry-points': sizeTable, 'tree-shaking': shakeTable });

  if (writeLimits) {
    const entriesOut: Record<string, Limit> = {};
    for (const [entry, size] of Object.entries(measured)) {
      const round = (bytes: number) => Math.ceil((bytes * HEADROOM) / 50) * 50;
      entriesOut[entry] = { minified: round(size.minified), gzip: round(size.gzip) };
    }
    const file: LimitsFile = {
      $comment:
        'Budgets of `pnpm size` (scripts/size.ts), in bytes: each entry point bundled with its @ftpwire dependencies, minified, and gzipped. Set about 15% above the sizes measured when they were last raised.',
      entries: entriesOut,
    };
    writeFileSync(LIMITS_FILE, `${JSON.stringify(file, null, 2)}\n`);
    console.log(`size: wrote ${relative(root, LIMITS_FILE)}`);
  }

  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  for (const problem of problems) console.error(`size: ${problem}`);
  if (problems.length > 0) {
    console.error(`size: ${problems.length} problem(s) (${seconds} s)`);
    process.exitCode = 1;
  } else {
    console.log(
      `size: ${list.length} entry points within budget, ${TREE_SHAKE_CASES.length} tree-shaking checks passed (${seconds} s)`,
    );
  }
}

await main();
