import { beforeAll, describe, expect, it } from 'vitest';
import { checkNames, runSmoke, type SmokeResult } from './smoke.ts';

// The runtime smoke suite on Node from the sources (the @ftpwire/source condition), one test per
// check; scripts/runtimes.mjs runs the same suite on the built packages in Node, Deno, Bun and
// Chromium.
describe('runtime smoke suite, from the sources on Node', () => {
  let result: SmokeResult;
  beforeAll(async () => {
    result = await runSmoke();
  });

  it('runs every check once and reports the runtime it ran on', () => {
    expect(result.runtime).toBe('node');
    expect(result.names).toEqual(checkNames());
    expect(result.passed + result.failed).toBe(result.names.length);
  });

  it.each(checkNames())('%s', (name) => {
    expect(result.failures.find((failure) => failure.name === name)).toBeUndefined();
  });
});
