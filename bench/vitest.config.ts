import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// Benchmarks measure what ships: the built packages (run `pnpm build` first, as `pnpm bench`
// does), loaded by Node itself. Through Vite's module runner every call across modules of the
// sources becomes a property getter, which is not what a user's bundle or Node pays.
export default defineConfig({
  root: fileURLToPath(new URL('..', import.meta.url)),
  ssr: {
    resolve: {
      conditions: ['module', 'node', 'development|production'],
    },
  },
  test: {
    server: {
      deps: {
        external: [/\/packages\/[a-z-]+\/dist\//],
      },
    },
    benchmark: {
      include: ['bench/**/*.bench.ts'],
    },
  },
});
