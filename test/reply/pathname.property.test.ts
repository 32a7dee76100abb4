import { formatPathnameReply, parsePathnameReply, parseReply } from '@ftpwire/reply';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

const RUNS = Number(process.env['FC_RUNS'] ?? 500);
/** Large FC_RUNS (fuzzing) need more than vitest's default 5 s per test. */
const TIMEOUT = Math.max(5000, RUNS * 10);

/** Paths rich in quotes and spaces, any Unicode, never CR, LF or NUL, never empty. */
const path = fc
  .array(
    fc.oneof(
      fc.constantFrom('"', '""', ' ', '/', '\\'),
      fc.string({ unit: 'binary', maxLength: 4 }),
    ),
    {
      minLength: 1,
      maxLength: 12,
    },
  )
  .map((parts) => parts.join('').replace(/[\r\n\0]/g, ''))
  .filter((p) => p !== '');

/** Commentary, quotes included: the parser must ignore it. */
const commentary = fc
  .string({ unit: fc.constantFrom('"', ' ', 'x', '/', 'é'), maxLength: 12 })
  .map((text) => text.replace(/^ +/, ''));

/** The reference model: RFC 959 Appendix II's rule written as a regular expression, on test input only. */
function reference(line: string): string | undefined {
  const match = /^257[ -][^"]*"((?:[^"]|"")*)"(?!")/.exec(line);
  return match === null || match[1] === '' ? undefined : match[1]!.replaceAll('""', '"');
}

describe('pathname laws', () => {
  it(
    'parsePathnameReply(formatPathnameReply(p, t)) is p for any non-empty path without CR, LF, NUL',
    () => {
      fc.assert(
        fc.property(path, commentary, (p, t) => {
          const wire = formatPathnameReply(p, t);
          expect(parsePathnameReply(wire)).toBe(p);
          expect(parsePathnameReply(parseReply(wire))).toBe(p);
        }),
        { numRuns: RUNS },
      );
    },
    TIMEOUT,
  );

  it(
    'parsePathnameReply agrees with the regular-expression reference on any 257 line',
    () => {
      const line = fc
        .string({ unit: fc.constantFrom('"', '"', ' ', 'a', '/', '-'), maxLength: 16 })
        .map((text) => `257 ${text}`);
      fc.assert(
        fc.property(line, (text) => {
          const expected = reference(text);
          let actual: string | undefined;
          try {
            actual = parsePathnameReply(text);
          } catch {
            actual = undefined;
          }
          expect(actual).toBe(expected);
        }),
        { numRuns: RUNS * 4 },
      );
    },
    TIMEOUT,
  );
});
