import { CommandParser, formatCommand, parseCommand } from '@ftpwire/command';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

const numRuns = Number(process.env['FC_NUM_RUNS'] ?? 200);
const encoder = new TextEncoder();

const verb = fc.stringMatching(/^[A-Za-z]{3,4}$/);
/** Arguments as a client may send them: any text without CR, LF or NUL. */
const argument = fc
  .string({ unit: 'grapheme', maxLength: 40 })
  .map((text) => text.replace(/[\r\n\0]/g, '_'));

/** Splits `bytes` at the given cut points. */
function chunk(bytes: Uint8Array, cuts: number[]): Uint8Array[] {
  const points = [...new Set(cuts.map((cut) => cut % (bytes.length + 1)))].sort((a, b) => a - b);
  const chunks: Uint8Array[] = [];
  let start = 0;
  for (const point of points) {
    chunks.push(bytes.subarray(start, point));
    start = point;
  }
  chunks.push(bytes.subarray(start));
  return chunks;
}

describe('command properties', () => {
  it('parseCommand(formatCommand(v, a)) gives back v upper-cased and a unchanged', () => {
    fc.assert(
      fc.property(verb, argument, (v, a) => {
        const command = parseCommand(formatCommand(v, a));
        expect(command.verb).toBe(v.toUpperCase());
        expect(command.argument).toBe(a);
        expect(parseCommand(encoder.encode(formatCommand(v, a))).argument).toBe(a);
      }),
      { numRuns },
    );
  });

  it('formatCommand never returns a line with CR, LF or NUL before its final CRLF', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 6 }), fc.string({ maxLength: 30 }), (v, a) => {
        let line: string;
        try {
          line = formatCommand(v, a, { strictVerb: false });
        } catch {
          return;
        }
        expect(line.endsWith('\r\n')).toBe(true);
        expect(/[\r\n\0]/.test(line.slice(0, -2))).toBe(false);
      }),
      { numRuns },
    );
  });

  it('any chunking yields the same commands', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(verb, argument), { minLength: 1, maxLength: 8 }),
        fc.array(fc.nat(), { maxLength: 10 }),
        (commands, cuts) => {
          const wire = encoder.encode(commands.map(([v, a]) => formatCommand(v, a)).join(''));
          const whole = new CommandParser().push(wire).map((c) => [c.verb, c.argument, c.offset]);
          const parser = new CommandParser();
          const pieces = chunk(wire, cuts).flatMap((piece) => parser.push(piece));
          pieces.push(...parser.end());
          expect(pieces.map((c) => [c.verb, c.argument, c.offset])).toEqual(whole);
          expect(whole.length).toBe(commands.length);
        },
      ),
      { numRuns },
    );
  });
});
