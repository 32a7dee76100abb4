#!/usr/bin/env node
// The installed `ftpwire-proxy` command: runs the built CLI. In a fresh clone of the repository
// nothing is built yet, and a stack trace about a missing file would say nothing useful.
import { existsSync } from 'node:fs';

const cli = new URL('../dist/cli.js', import.meta.url);
if (!existsSync(cli)) {
  process.stderr.write(
    'ftpwire-proxy: the proxy is not built yet: run `pnpm build` in the repository first\n',
  );
  process.exit(1);
}
await import(cli.href);
