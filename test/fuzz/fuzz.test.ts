import { describe, it } from 'vitest';
import { drive } from './drive.js';
import { targets } from './targets/index.js';

// A short run of every fuzz target in each test run; `pnpm fuzz` runs them long (FUZZ_RUNS).
const runs = Number(process.env['FC_RUNS'] ?? 300);

describe('fuzz targets hold their laws and throw only their own error class', () => {
  for (const target of targets) {
    it(`${target.name}: ${runs} generated inputs`, () => {
      drive(target, runs);
    });
  }
});
