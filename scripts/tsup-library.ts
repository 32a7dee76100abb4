import { rmSync } from 'node:fs';
import { defineConfig, type Options } from 'tsup';

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
