import { formatReply, parseReply } from '@ftpwire/reply';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { replyErrorOf } from './helpers.ts';

const RUNS = Number(process.env['FC_RUNS'] ?? 200);
/** Large FC_RUNS (fuzzing) need more than vitest's default 5 s per test. */
const TIMEOUT = Math.max(5000, RUNS * 10);

const startsWithThreeDigits = (line: string): boolean => /^[0-9]{3}/.test(line);

/** Text lines without CR, LF and NUL, well-formed Unicode, often starting with digits or a code. */
const textLine = (code: number) =>
  fc
    .tuple(
      fc.constantFrom(
        '',
        '1',
        '12',
        '123',
        `${code}`,
        `${code} `,
        `${code}-`,
        ' 123',
        '999 ',
        '0000',
      ),
      fc.string({ unit: 'binary', maxLength: 10 }),
    )
    .map(([prefix, rest]) => `${prefix}${rest}`.replace(/[\r\n]/g, '').replaceAll('\u0000', ''));

const formatted = fc
  .integer({ min: 100, max: 599 })
  .chain((code) =>
    fc.tuple(fc.constant(code), fc.array(textLine(code), { minLength: 1, maxLength: 6 })),
  );

describe('formatReply laws', () => {
  it(
    'parseReply(formatReply(c, L)) gives code c and lines [c-L0, m1..., c Ln], where a middle line ' +
      'that begins with three digits comes back with one space in front, every other line unchanged ' +
      '(one line: [c L0])',
    () => {
      fc.assert(
        fc.property(formatted, ([code, lines]) => {
          const reply = parseReply(formatReply(code, lines));
          const last = lines.length - 1;
          const expected =
            last === 0
              ? [`${code} ${lines[0]}`]
              : lines.map((line, i) =>
                  i === 0
                    ? `${code}-${line}`
                    : i === last
                      ? `${code} ${line}`
                      : startsWithThreeDigits(line)
                        ? ` ${line}`
                        : line,
                );
          expect(reply.code).toBe(code);
          expect(reply.lines).toEqual(expected);
        }),
        { numRuns: RUNS },
      );
    },
    TIMEOUT,
  );

  it(
    'a single string formats like a one-element array',
    () => {
      fc.assert(
        fc.property(formatted, ([code, [line]]) => {
          expect(formatReply(code, line!)).toBe(formatReply(code, [line!]));
        }),
        { numRuns: RUNS },
      );
    },
    TIMEOUT,
  );

  it(
    'any text holding CR, LF or NUL is refused, whatever line it is in',
    () => {
      fc.assert(
        fc.property(
          formatted,
          fc.constantFrom('\r', '\n', '\u0000'),
          fc.nat(),
          fc.nat(),
          ([code, lines], bad, lineSeed, charSeed) => {
            const index = lineSeed % lines.length;
            const target = lines[index]!;
            const at = charSeed % (target.length + 1);
            const poisoned = lines.map((line, i) =>
              i === index ? `${line.slice(0, at)}${bad}${line.slice(at)}` : line,
            );
            expect(replyErrorOf(() => formatReply(code, poisoned)).code).toBe('ERR_INVALID_TEXT');
          },
        ),
        { numRuns: RUNS },
      );
    },
    TIMEOUT,
  );
});
