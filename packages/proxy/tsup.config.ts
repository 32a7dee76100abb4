import { readFileSync } from 'node:fs';
import { defineConfig } from 'tsup';

const { version } = JSON.parse(readFileSync('./package.json', 'utf8')) as { version: string };

export default defineConfig([
  {
    entry: ['src/index.ts'],
    format: ['esm', 'cjs'],
    // Imported at run time like @ftpwire/nat, never bundled (a copy would drift from the package).
    external: ['@ftpwire/address'],
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
