import { defineConfig } from 'vitest/config';

export default defineConfig({
  ssr: {
    resolve: {
      // Vite replaces its default conditions with these, so the defaults are listed again.
      conditions: ['@ftpwire/source', 'module', 'node', 'development|production'],
    },
  },
  test: {
    include: ['test/**/*.test.ts'],
    // .ci/run asks for a JSON report beside the usual output so that it can count the tests.
    ...(process.env['FTPWIRE_TEST_REPORT']
      ? {
          reporters: ['default', 'json'],
          outputFile: { json: process.env['FTPWIRE_TEST_REPORT'] },
        }
      : {}),
  },
});
