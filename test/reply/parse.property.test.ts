import { parseReply, ReplyParser } from '@ftpwire/reply';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { concat, parseChunks, splitAt, summary, utf8 } from './helpers.ts';

const RUNS = Number(process.env['FC_RUNS'] ?? 200);
/** Large FC_RUNS (fuzzing) need more than vitest's default 5 s per test. */
const TIMEOUT = Math.max(5000, RUNS * 10);

/** Reply text: any Unicode (well-formed) without CR and LF, often with digits and codes in it. */
const text = fc
  .oneof(
    fc.string({ unit: 'binary', maxLength: 12 }),
    fc.constantFrom('', ' ', 'End', 'Features:', '(127,0,0,2,117,51).', 'ファイル', '\u0000\t'),
  )
  .map((value) => value.replace(/[\r\n]/g, ''));

interface GeneratedReply {
  code: number;
  lines: string[];
}

/** A middle line of a multi-line reply with code `code`: anything but that reply's closing line. */
const middleLine = (code: number) =>
  fc
    .oneof(
      text,
      fc
        .tuple(fc.integer({ min: 0, max: 999 }), fc.constantFrom(' ', '-', '', 'x', '0'), text)
        .map(([n, sep, rest]) => `${String(n).padStart(3, '0')}${sep}${rest}`),
      fc
        .tuple(fc.constantFrom('-', '0', 'x', '\t', '-'), text)
        .map(([sep, rest]) => `${code}${sep}${rest}`),
      text.map((rest) => ` ${code} ${rest}`),
      fc.constant(''),
    )
    .filter((line) => !(line.startsWith(String(code)) && (line.length === 3 || line[3] === ' ')));

const reply: fc.Arbitrary<GeneratedReply> = fc.integer({ min: 100, max: 599 }).chain((code) =>
  fc.oneof(
    // single line: "ddd text" or "ddd"
    fc.option(text, { nil: undefined }).map((t) => ({
      code,
      lines: [t === undefined ? `${code}` : `${code} ${t}`],
    })),
    // multi-line: "ddd-text", middle lines, "ddd text" or "ddd"
    fc
      .tuple(
        text,
        fc.array(middleLine(code), { maxLength: 6 }),
        fc.option(text, { nil: undefined }),
      )
      .map(([first, middle, last]) => ({
        code,
        lines: [`${code}-${first}`, ...middle, last === undefined ? `${code}` : `${code} ${last}`],
      })),
  ),
);

/** The wire bytes: each line ends with CRLF or bare LF; the very last terminator may be missing. */
const session = fc
  .array(reply, { minLength: 1, maxLength: 6 })
  .chain((replies) => {
    const lineCount = replies.reduce((sum, r) => sum + r.lines.length, 0);
    return fc.record({
      replies: fc.constant(replies),
      terminators: fc.array(fc.constantFrom('\r\n', '\n'), {
        minLength: lineCount,
        maxLength: lineCount,
      }),
      finalTerminator: fc.boolean(),
    });
  })
  .map(({ replies, terminators, finalTerminator }) => {
    const lines = replies.flatMap((r) => r.lines);
    const parts = lines.map((line, i) =>
      utf8(i === lines.length - 1 && !finalTerminator ? line : `${line}${terminators[i]}`),
    );
    const offsets: number[] = [];
    let offset = 0;
    let lineIndex = 0;
    for (const r of replies) {
      offsets.push(offset);
      for (let i = 0; i < r.lines.length; i++) offset += parts[lineIndex++]!.length;
    }
    return { replies, bytes: concat(parts), offsets };
  })
  .chain((s) =>
    fc.record({
      session: fc.constant(s),
      cuts: fc.array(fc.integer({ min: 0, max: s.bytes.length }), { maxLength: 16 }),
    }),
  );

describe('ReplyParser laws', () => {
  it(
    'any replies, any chunking: the streaming parser gives the generated replies, as parsing the whole does',
    () => {
      fc.assert(
        fc.property(session, ({ session: { replies, bytes, offsets }, cuts }) => {
          const whole = parseChunks([bytes]);
          const streamed = parseChunks(splitAt(bytes, cuts));
          expect(streamed.map(summary)).toEqual(replies);
          expect(whole.map(summary)).toEqual(replies);
          expect(streamed.map((r) => r.offset)).toEqual(offsets);
          expect(streamed.map((r) => r.rawLines)).toEqual(replies.map((r) => r.lines.map(utf8)));
        }),
        { numRuns: RUNS },
      );
    },
    TIMEOUT,
  );

  it(
    'each generated reply alone is what parseReply reads',
    () => {
      fc.assert(
        fc.property(reply, fc.boolean(), (r, crlf) => {
          const wire = r.lines.map((line) => `${line}${crlf ? '\r\n' : '\n'}`).join('');
          expect(summary(parseReply(wire))).toEqual(r);
        }),
        { numRuns: RUNS },
      );
    },
    TIMEOUT,
  );

  it(
    'a reply is delivered by the push that holds the end of its last line, not before',
    () => {
      fc.assert(
        fc.property(reply, fc.nat(), (r, seed) => {
          const bytes = utf8(r.lines.map((line) => `${line}\r\n`).join(''));
          const cut = seed % bytes.length; // anything short of the whole
          const parser = new ReplyParser();
          expect(parser.push(bytes.subarray(0, cut))).toEqual([]);
          expect(parser.push(bytes.subarray(cut)).map(summary)).toEqual([r]);
        }),
        { numRuns: RUNS },
      );
    },
    TIMEOUT,
  );
});
