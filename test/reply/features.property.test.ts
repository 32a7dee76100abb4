import { formatFeatureReply, parseFeatureReply, parseReply } from '@ftpwire/reply';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

const RUNS = Number(process.env['FC_RUNS'] ?? 300);
/** Large FC_RUNS (fuzzing) need more than vitest's default 5 s per test. */
const TIMEOUT = Math.max(5000, RUNS * 10);

const visible = fc.integer({ min: 0x21, max: 0x7e }).map((unit) => String.fromCharCode(unit));
const name = fc.string({ unit: visible, minLength: 1, maxLength: 8 });
/** Parameters: anything but CR, LF, NUL, without a blank at either end. */
const parameters = fc.oneof(
  fc.constant(''),
  fc
    .string({ unit: fc.oneof(visible, fc.constantFrom(' ', '\t', ';', '*', 'é')), maxLength: 16 })
    .map((text) => text.replace(/^[ \t]+|[ \t]+$/g, '')),
);

/** Maps whose keys are distinct once upper-cased, as a server's list is. */
const features = fc
  .uniqueArray(fc.tuple(name, parameters), {
    maxLength: 10,
    selector: ([key]) => key.toUpperCase(),
  })
  .map((entries) => new Map(entries));

describe('feature laws', () => {
  it(
    'parseFeatureReply(formatFeatureReply(m)) is m with its names upper-cased',
    () => {
      fc.assert(
        fc.property(features, (map) => {
          const expected = [...map].map(([key, value]) => [key.toUpperCase(), value]);
          const wire = formatFeatureReply(map);
          expect([...parseFeatureReply(wire)]).toEqual(expected);
          expect([...parseFeatureReply(parseReply(wire))]).toEqual(expected);
        }),
        { numRuns: RUNS },
      );
    },
    TIMEOUT,
  );

  it(
    'formatFeatureReply(parseFeatureReply(r)) is r for a canonical reply (upper-case names, one space)',
    () => {
      fc.assert(
        fc.property(features, (map) => {
          const upper = new Map([...map].map(([key, value]) => [key.toUpperCase(), value]));
          const wire = formatFeatureReply(upper);
          expect(formatFeatureReply(parseFeatureReply(wire))).toBe(wire);
        }),
        { numRuns: RUNS },
      );
    },
    TIMEOUT,
  );
});
