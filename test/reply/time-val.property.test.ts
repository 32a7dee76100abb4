import { formatTimeVal, parseTimeVal } from '@ftpwire/reply';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { replyErrorOf } from './helpers.ts';

const RUNS = Number(process.env['FC_RUNS'] ?? 500);
/** Large FC_RUNS (fuzzing) need more than vitest's default 5 s per test. */
const TIMEOUT = Math.max(5000, RUNS * 10);

const FIRST = Date.UTC(1000, 0, 1);
const LAST = Date.UTC(9999, 11, 31, 23, 59, 59, 999);

/**
 * The reference model: the fields are valid when Date.UTC gives them back unchanged (it
 * carries any overflow into the next field), with RFC 3659's one exception, the leap second.
 */
function reference(text: string): number | undefined {
  const match = /^(\d{4})(\d\d)(\d\d)(\d\d)(\d\d)(\d\d)(?:\.(\d+))?$/.exec(text);
  if (!match) return undefined;
  const [year, month, day, hour, minute, second] = match.slice(1, 7).map(Number) as number[] as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  const millisecond = Number((match[7] ?? '').padEnd(3, '0').slice(0, 3));
  if (year < 1000) return undefined;
  const leap = second === 60;
  const time = Date.UTC(year, month - 1, day, hour, minute, leap ? 59 : second, millisecond);
  const back = new Date(time);
  const same =
    back.getUTCFullYear() === year &&
    back.getUTCMonth() === month - 1 &&
    back.getUTCDate() === day &&
    back.getUTCHours() === hour &&
    back.getUTCMinutes() === minute;
  if (!same) return undefined;
  if (!leap) return time;
  const lastOfMonth = new Date(Date.UTC(year, month - 1, day + 1)).getUTCDate() === 1;
  return hour === 23 && minute === 59 && lastOfMonth ? time + 1000 : undefined;
}

const digits = (length: number) =>
  fc.string({ unit: fc.constantFrom(...'0123456789'), minLength: length, maxLength: length });

/** Near-valid time-vals: plausible fields, often just out of range, sometimes a stray byte. */
const timeVal = fc
  .tuple(
    fc.oneof(digits(4), fc.integer({ min: 1000, max: 9999 }).map(String)),
    fc.integer({ min: 0, max: 13 }),
    fc.integer({ min: 0, max: 32 }),
    fc.integer({ min: 0, max: 25 }),
    fc.integer({ min: 0, max: 61 }),
    fc.integer({ min: 0, max: 61 }),
    fc.option(fc.string({ unit: fc.constantFrom(...'0123456789.x '), maxLength: 8 })),
  )
  .map(
    ([year, ...rest]) =>
      year +
      rest
        .slice(0, 5)
        .map((field) => String(field).padStart(2, '0'))
        .join('') +
      (rest[5] === null ? '' : `.${rest[5]}`),
  );

describe('time-val laws', () => {
  it(
    'parseTimeVal(formatTimeVal(d)) is d for any Date in years 1000-9999, to the millisecond',
    () => {
      fc.assert(
        fc.property(fc.integer({ min: FIRST, max: LAST }), (time) => {
          expect(parseTimeVal(formatTimeVal(new Date(time))).getTime()).toBe(time);
        }),
        { numRuns: RUNS },
      );
    },
    TIMEOUT,
  );

  it(
    'formatTimeVal(parseTimeVal(t)) is t for canonical time-vals (no leap second, 3 or no fraction digits, not .000)',
    () => {
      fc.assert(
        fc.property(fc.integer({ min: FIRST, max: LAST }), (time) => {
          const text = formatTimeVal(new Date(time));
          expect(text).toMatch(/^\d{14}(?:\.\d{3})?$/);
          expect(formatTimeVal(parseTimeVal(text))).toBe(text);
        }),
        { numRuns: RUNS },
      );
    },
    TIMEOUT,
  );

  it(
    'parseTimeVal accepts exactly what the Date.UTC reference model accepts, with the same time',
    () => {
      fc.assert(
        fc.property(fc.oneof(timeVal, fc.string({ maxLength: 20 })), (text) => {
          const expected = reference(text);
          if (expected === undefined) {
            expect(replyErrorOf(() => parseTimeVal(text)).code).toBe('ERR_INVALID_TIME_VAL');
          } else {
            expect(parseTimeVal(text).getTime()).toBe(expected);
          }
        }),
        { numRuns: RUNS * 4 },
      );
    },
    TIMEOUT,
  );
});
