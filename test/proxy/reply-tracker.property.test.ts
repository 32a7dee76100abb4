import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ReplyTracker } from '../../packages/proxy/src/reply-tracker.ts';

const numRuns = Number(process.env['FC_NUM_RUNS'] ?? 200);
const encoder = new TextEncoder();

const code = fc.integer({ min: 100, max: 599 });
const text = fc.string({ maxLength: 20 }).map((s) => s.replace(/[\r\n]/g, ' '));
const eol = fc.constantFrom('\r\n', '\n');
/** A server's reply stream: single-line and multi-line replies, with stray text lines. */
const reply = fc.oneof(
  fc.tuple(code, text, eol).map(([c, t, e]) => `${c} ${t}${e}`),
  fc
    .tuple(code, fc.array(fc.tuple(text, eol), { maxLength: 4 }), text, eol)
    .map(
      ([c, middle, last, e]) =>
        `${c}-first${e}${middle.map(([t, m]) => ` ${t}${m}`).join('')}${c} ${last}${e}`,
    ),
  fc.tuple(text, eol).map(([t, e]) => `x${t}${e}`),
);
const stream = fc
  .array(reply, { maxLength: 12 })
  .map((replies) => encoder.encode(replies.join('')));

function split(bytes: Uint8Array, cuts: number[]): Uint8Array[] {
  const points = [...new Set(cuts.map((cut) => cut % (bytes.length + 1)))].sort((a, b) => a - b);
  const chunks: Uint8Array[] = [];
  let start = 0;
  for (const point of points) {
    chunks.push(bytes.slice(start, point));
    start = point;
  }
  chunks.push(bytes.slice(start));
  return chunks;
}

function run(chunks: Uint8Array[], hold: (code: number) => boolean) {
  const out: number[] = [];
  const complete: number[] = [];
  const tracker = new ReplyTracker(8192, {
    hold,
    // Tags each rewritten line so that the law sees where rewrites happened.
    rewrite: (line) => encoder.encode(`R${line.length}\r\n`),
    complete: (c) => complete.push(c),
  });
  for (const chunk of chunks) tracker.push(chunk, (bytes) => out.push(...bytes));
  return { out, complete };
}

describe('ReplyTracker properties', () => {
  it('any chunking yields the same bytes and the same completed replies', () => {
    fc.assert(
      fc.property(
        stream,
        fc.array(fc.nat(), { maxLength: 10 }),
        fc.integer({ min: 100, max: 599 }),
        (bytes, cuts, held) => {
          const hold = (c: number) => c === held;
          expect(run(split(bytes, cuts), hold)).toEqual(run([bytes], hold));
        },
      ),
      { numRuns },
    );
  });

  it('without holds, the output is the input, byte for byte', () => {
    fc.assert(
      fc.property(stream, fc.array(fc.nat(), { maxLength: 10 }), (bytes, cuts) => {
        expect(run(split(bytes, cuts), () => false).out).toEqual([...bytes]);
      }),
      { numRuns },
    );
  });
});
