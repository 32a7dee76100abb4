import { readFileSync, rmSync } from 'node:fs';
import { defineConfig, type Options } from 'tsup';
import ts from 'typescript';

type Plugin = NonNullable<Options['esbuildPlugins']>[number];

/**
 * Emits each module's top-level `const` as `var` (`var  ` keeps the length, so source maps
 * stay exact). Node 20's V8 checks the temporal dead zone on every read of a module-level
 * `const` from a function, and does not fold the value: the reply parser ran about 25% slower
 * split into modules than bundled (esbuild turns top-level `const` into `var` when it bundles)
 * and as fast once only this changed; see bench/README.md, "Module-level constants". The
 * statements are found by TypeScript's parser, so no `const` inside a string or a function is
 * touched.
 */
export const topLevelConstAsVar: Plugin = {
  name: 'top-level-const-as-var',
  setup(build) {
    build.onLoad({ filter: /[/\\]src[/\\][^/\\]+\.ts$/ }, (args) => {
      const text = readFileSync(args.path, 'utf8');
      const source = ts.createSourceFile(args.path, text, ts.ScriptTarget.Latest, false);
      let contents = '';
      let copied = 0;
      for (const statement of source.statements) {
        if (!ts.isVariableStatement(statement)) continue;
        if (!(statement.declarationList.flags & ts.NodeFlags.Const)) continue;
        const keyword = statement.declarationList.getStart(source);
        contents += `${text.slice(copied, keyword)}var  `;
        copied = keyword + 'const'.length;
      }
      return { contents: contents + text.slice(copied), loader: 'ts' };
    });
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
