/**
 * parseListLine against the formats themselves: lines written from chosen fields, in each
 * dialect's layout with random column padding, read back to those fields.
 */
import { parseListLine } from '@ftpwire/listing';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { dosCase, eplfCase, unixCase } from './arbitraries.js';
import { NOW } from './helpers.js';

describe('parseListLine: each dialect reads back the fields a line was written from', () => {
  for (const [dialect, arbitrary] of [
    ['unix', unixCase],
    ['dos', dosCase],
    ['eplf', eplfCase],
  ] as const) {
    it(`${dialect}: the fields come back, detected or told the dialect`, () => {
      fc.assert(
        fc.property(arbitrary, ({ line, expected }) => {
          expect(parseListLine(line, { now: NOW, dialect })).toMatchObject(expected);
          expect(parseListLine(line, { now: NOW })).toMatchObject(expected);
        }),
        { numRuns: 3000 },
      );
    });
  }
});
