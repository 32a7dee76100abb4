import { rmSync } from 'node:fs';
import { defineConfig } from 'tsup';

// The two builds below write into dist/ at once, so neither may clean it: it is cleaned here.
rmSync('dist', { recursive: true, force: true });

export default defineConfig([
  {
    // ESM keeps one file per source module: with `sideEffects: false` a bundler then drops every
    // module the user's imports do not reach. One bundled file would keep each top-level
    // `new TextEncoder()` and `class extends TransformStream` whatever the user imports.
    entry: ['src/**/*.ts'],
    format: ['esm'],
    bundle: false,
    dts: true,
    sourcemap: true,
    target: 'es2022',
  },
  {
    // CommonJS is not tree-shaken by bundlers: one file per entry. node.cjs requires the
    // package's own entry for the core rather than carrying a second copy of it.
    entry: ['src/index.ts', 'src/node.ts'],
    format: ['cjs'],
    external: ['@ftpwire/nat'],
    dts: true,
    sourcemap: true,
    target: 'es2022',
  },
]);
