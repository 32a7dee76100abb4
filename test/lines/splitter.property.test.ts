import { LineError, LineSplitter, type LineSplitterOptions } from '@ftpwire/lines';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { show, splitAt } from './helpers.ts';

const RUNS = Number(process.env['FC_RUNS'] ?? 200);
/** Large FC_RUNS (fuzzing) need more than vitest's default 5 s per test. */
const TIMEOUT = Math.max(5000, RUNS * 10);
const LF = 0x0a;
const CR = 0x0d;
/** The end of the stream, as a position where an error can become known. */
const END = Number.POSITIVE_INFINITY;

interface Outcome {
  lines: [string, number][];
  error?: { offset: number; knownAt: number };
}

/**
 * The reference model, on the whole input at once: split on LF, drop one CR just before it, a
 * last non-empty piece is a line at the end; a line whose content passes `max` is an error at
 * `lineStart + max`. The error is known once the byte at `lineStart + max` has arrived, unless
 * that byte is a CR: then it might still be the CR of a CRLF, and only the next byte (or the end
 * of the stream) tells.
 */
function model(bytes: Uint8Array, max: number): Outcome {
  const lines: [string, number][] = [];
  const line = (start: number, end: number): Outcome | undefined => {
    if (end - start <= max) {
      lines.push([show(bytes.subarray(start, end)), start]);
      return undefined;
    }
    const first = start + max;
    const knownAt = bytes[first] !== CR ? first : first + 1 < bytes.length ? first + 1 : END;
    return { lines, error: { offset: first, knownAt } };
  };
  let start = 0;
  for (let i = 0; i < bytes.length; i++) {
    if (bytes[i] !== LF) continue;
    const failed = line(start, i > start && bytes[i - 1] === CR ? i - 1 : i);
    if (failed) return failed;
    start = i + 1;
  }
  if (start < bytes.length) return line(start, bytes.length) ?? { lines };
  return { lines };
}

/** Runs the splitter chunk by chunk; records lines, the error and the position of the failing push. */
function run(chunks: readonly Uint8Array[], max: number): Outcome & { pushedBeforeError: number } {
  const lines: [string, number][] = [];
  const splitter = new LineSplitter({
    maxLineLength: max,
    onLine: (line, offset) => lines.push([show(line), offset]),
  });
  let pushed = 0;
  try {
    for (const chunk of chunks) {
      // The failing push holds the byte that made the error certain: it ends past knownAt.
      pushed += chunk.length;
      splitter.push(chunk);
      expect(splitter.pendingLength).toBeLessThanOrEqual(max + 1);
    }
    pushed = END;
    splitter.end();
  } catch (error) {
    if (!(error instanceof LineError)) throw error;
    expect(error.code).toBe('ERR_LINE_TOO_LONG');
    return { lines, error: { offset: error.offset, knownAt: 0 }, pushedBeforeError: pushed };
  }
  return { lines, pushedBeforeError: pushed };
}

/** Bytes rich in CR and LF, so that line ends, lone CRs and long lines all happen. */
const wireBytes = fc
  .array(fc.oneof(fc.constantFrom(LF, CR, CR, 0x61, 0x62), fc.integer({ min: 0, max: 255 })), {
    maxLength: 80,
  })
  .map((bytes) => Uint8Array.from(bytes));

/**
 * Text as servers send it, cut anywhere: UTF-8 characters of one to four bytes, encoded
 * U+FFFD, bytes that are not UTF-8, CR and LF.
 */
const textWire = fc
  .array(
    fc.oneof(
      fc
        .constantFrom('\n', '\r\n', '\r', 'a', 'é', 'ファ', '📁', '\ufffd')
        .map((text) => [...new TextEncoder().encode(text)]),
      fc.integer({ min: 0x80, max: 0xff }).map((byte) => [byte]),
    ),
    { maxLength: 40 },
  )
  .map((parts) => Uint8Array.from(parts.flat()));

const chunked = wireBytes.chain((bytes) =>
  fc.record({
    bytes: fc.constant(bytes),
    cuts: fc.array(fc.integer({ min: 0, max: bytes.length }), { maxLength: 12 }),
    max: fc.integer({ min: 1, max: 10 }),
  }),
);

describe('LineSplitter laws', () => {
  it(
    'any bytes, any chunking: same lines, offsets and error as the reference model',
    () => {
      fc.assert(
        fc.property(chunked, ({ bytes, cuts, max }) => {
          const expected = model(bytes, max);
          const actual = run(splitAt(bytes, cuts), max);
          expect(actual.lines).toEqual(expected.lines);
          expect(actual.error?.offset).toEqual(expected.error?.offset);
        }),
        { numRuns: RUNS },
      );
    },
    TIMEOUT,
  );

  it(
    'the error is raised by the push that brings the byte making it certain, never later',
    () => {
      fc.assert(
        fc.property(chunked, ({ bytes, cuts, max }) => {
          const expected = model(bytes, max);
          fc.pre(expected.error !== undefined);
          const chunks = splitAt(bytes, cuts);
          const actual = run(chunks, max);
          const knownAt = expected.error?.knownAt ?? END;
          // pushedBeforeError is the end of the failing chunk (or END for end()); the failing chunk
          // is the one whose byte range holds knownAt.
          if (knownAt === END) {
            expect(actual.pushedBeforeError).toBe(END);
          } else {
            const failing = chunks.reduce<[number, number]>(
              ([end, found], chunk) => [
                end + chunk.length,
                found === -1 && end + chunk.length > knownAt ? end + chunk.length : found,
              ],
              [0, -1],
            )[1];
            expect(actual.pushedBeforeError).toBe(failing);
          }
        }),
        { numRuns: RUNS },
      );
    },
    TIMEOUT,
  );

  it(
    'with a large limit, any chunking gives the lines of one single push',
    () => {
      fc.assert(
        fc.property(wireBytes, fc.array(fc.nat(), { maxLength: 10 }), (bytes, cuts) => {
          const whole = new LineSplitter();
          const once = [...whole.push(bytes), ...whole.end()].map(show);
          const parts = new LineSplitter();
          const chunks = splitAt(
            bytes,
            cuts.map((cut) => cut % (bytes.length + 1)),
          );
          const pieces = [...chunks.flatMap((chunk) => parts.push(chunk)), ...parts.end()].map(
            show,
          );
          expect(pieces).toEqual(once);
          expect(parts.offset).toBe(bytes.length);
        }),
        { numRuns: RUNS },
      );
    },
    TIMEOUT,
  );

  it(
    'onTextLine: any chunking gives each line of onLine decoded, with its bytes when not UTF-8',
    () => {
      const fatal = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
      const lenient = new TextDecoder('utf-8', { ignoreBOM: true });
      const reference = (line: Uint8Array, offset: number) => {
        try {
          return { text: fatal.decode(line), offset, raw: undefined };
        } catch {
          return { text: lenient.decode(line), offset, raw: [...line] };
        }
      };
      fc.assert(
        fc.property(
          textWire,
          fc.array(fc.nat(), { maxLength: 12 }),
          fc.integer({ min: 1, max: 40 }),
          (bytes, cuts, max) => {
            const chunks = splitAt(
              bytes,
              cuts.map((cut) => cut % (bytes.length + 1)),
            );
            const collect = (options: Pick<LineSplitterOptions, 'onLine' | 'onTextLine'>) => {
              const splitter = new LineSplitter({ maxLineLength: max, ...options });
              try {
                for (const chunk of chunks) splitter.push(chunk);
                splitter.end();
              } catch (error) {
                if (!(error instanceof LineError)) throw error;
                return error.offset;
              }
              return undefined;
            };
            const expected: ReturnType<typeof reference>[] = [];
            const expectedError = collect({
              onLine: (line, offset) => expected.push(reference(line, offset)),
            });
            const actual: ReturnType<typeof reference>[] = [];
            const actualError = collect({
              onTextLine: (text, start, end, offset, raw) =>
                actual.push({ text: text.slice(start, end), offset, raw: raw && [...raw] }),
            });
            expect(actual).toEqual(expected);
            expect(actualError).toEqual(expectedError);
          },
        ),
        { numRuns: RUNS },
      );
    },
    TIMEOUT,
  );
});
