import { readFileSync, rmSync } from 'node:fs';
import { defineConfig, type Options } from 'tsup';

type Plugin = NonNullable<Options['esbuildPlugins']>[number];

/**
 * Emits each module's top-level `const` as `var` (same length, so source maps stay exact).
 * Node 20's V8 checks the temporal dead zone on every read of a module-level `const` from a
 * function, and does not fold the value: the reply parser ran about 25% slower split into
 * modules than bundled (esbuild turns top-level `const` into `var` when it bundles) and as
 * fast once only this changed; see bench/README.md, "Module-level constants". Only
 * declarations at column 0 are top-level in this code base (biome indents every nested one).
 */
export const topLevelConstAsVar: Plugin = {
  name: 'top-level-const-as-var',
  setup(build) {
    build.onLoad({ filter: /[/\\]src[/\\][^/\\]+\.ts$/ }, (args) => ({
      contents: readFileSync(args.path, 'utf8').replace(/^(export )?const /gm, '$1var   '),
      loader: 'ts',
    }));
  },
};

/**
 * The build every library package shares (all but the proxy, which also builds a CLI):
 * ESM one file per source module, CommonJS one file per entry. Run from the package folder.
 *
 * @param cjsEntries the entry points, `src/index.ts` first (and `src/node.ts` for a `/node` subpath)
 * @param cjsExternal packages a CommonJS entry must require rather than bundle
 */
export function libraryBuild(
  cjsEntries: readonly string[] = ['src/index.ts'],
  cjsExternal: readonly string[] = [],
): Options[] {
  // The two builds below write into dist/ at once, so neither may clean it: it is cleaned here.
  rmSync('dist', { recursive: true, force: true });
  return defineConfig([
    {
      // ESM keeps one file per source module: with `sideEffects: false` a bundler then drops
      // every module the user's imports do not reach. One bundled file would keep each
      // top-level `new TextEncoder()` and `class extends TransformStream` whatever is imported.
      entry: ['src/**/*.ts'],
      format: ['esm'],
      bundle: false,
      dts: true,
      sourcemap: true,
      target: 'es2022',
      // FTPWIRE_KEEP_CONST=1 builds without it, to measure what it buys.
      esbuildPlugins: process.env['FTPWIRE_KEEP_CONST'] ? [] : [topLevelConstAsVar],
    },
    {
      // CommonJS is not tree-shaken by bundlers: one file per entry.
      entry: [...cjsEntries],
      format: ['cjs'],
      external: [...cjsExternal],
      dts: true,
      sourcemap: true,
      target: 'es2022',
    },
  ]) as Options[];
}
