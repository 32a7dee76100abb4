// The deployment files point at what `pnpm build` produces: CI builds before the tests; run by
// hand in a fresh clone, the build is made once here.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const root = fileURLToPath(new URL('../..', import.meta.url));

/** The packages the proxy needs at run time: itself and the codecs it imports, transitively. */
export const RUNTIME_PACKAGES = ['lines', 'reply', 'command', 'address', 'proxy'] as const;

export function ensureBuilt(): void {
  const missing = RUNTIME_PACKAGES.some(
    (name) => !existsSync(`${root}/packages/${name}/dist/index.js`),
  );
  if (missing || !existsSync(`${root}/packages/proxy/dist/cli.js`)) {
    execFileSync('pnpm', ['build'], { cwd: root, stdio: 'ignore' });
  }
}
