import { readFileSync } from 'node:fs';
import { defineConfig } from 'tsup';

const { version } = JSON.parse(readFileSync('./package.json', 'utf8')) as { version: string };

export default defineConfig([
  {
    entry: ['src/index.ts'],
    format: ['esm', 'cjs'],
    // The codecs are imported at run time, never bundled (a copy would drift from its package).
    external: ['@ftpwire/address', '@ftpwire/command', '@ftpwire/reply'],
    dts: true,
    sourcemap: true,
    clean: true,
    target: 'es2022',
  },
  {
    // The command-line tool: ESM only, not part of the typed API.
    entry: ['src/cli.ts'],
    format: ['esm'],
    sourcemap: true,
    target: 'es2022',
    define: { __VERSION__: JSON.stringify(version) },
    // Imported by the package's own name, so the CLI runs on dist/index.js rather than a copy.
    external: ['@ftpwire/proxy'],
  },
]);
