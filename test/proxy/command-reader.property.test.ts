import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CommandReader } from '../../packages/proxy/src/command-reader.ts';

const numRuns = Number(process.env['FC_NUM_RUNS'] ?? 200);

/** Client bytes: short lines of printable text and odd bytes, CRLF or bare LF, maybe unfinished. */
const stream = fc
  .array(
    fc.tuple(
      fc.uint8Array({ maxLength: 30 }).map((bytes) => bytes.map((b) => (b === 0x0a ? 0x20 : b))),
      fc.constantFrom('\r\n', '\n'),
    ),
    { maxLength: 20 },
  )
  .chain((lines) =>
    fc.uint8Array({ maxLength: 10 }).map((tail) => {
      const parts = lines.flatMap(([body, end]) => [body, new TextEncoder().encode(end)]);
      parts.push(tail.map((b) => (b === 0x0a ? 0x20 : b)));
      const total = parts.reduce((n, p) => n + p.length, 0);
      const bytes = new Uint8Array(total);
      let at = 0;
      for (const part of parts) {
        bytes.set(part, at);
        at += part.length;
      }
      return bytes;
    }),
  );

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

function read(chunks: Uint8Array[]) {
  const reader = new CommandReader(64);
  const lines = chunks.flatMap((chunk) => reader.push(chunk));
  return {
    lines: lines.map((l) => ({
      bytes: [...l.bytes],
      verb: l.verb,
      argument: l.argument,
      offset: l.offset,
    })),
    pending: reader.pending,
  };
}

describe('CommandReader properties', () => {
  it('any chunking yields the same lines, offsets and unfinished rest', () => {
    fc.assert(
      fc.property(stream, fc.array(fc.nat(), { maxLength: 8 }), (bytes, cuts) => {
        expect(read(split(bytes, cuts))).toEqual(read([bytes]));
      }),
      { numRuns },
    );
  });

  it('the lines put back together are the input up to its last line end', () => {
    fc.assert(
      fc.property(stream, fc.array(fc.nat(), { maxLength: 8 }), (bytes, cuts) => {
        const { lines, pending } = read(split(bytes, cuts));
        const joined = lines.flatMap((line) => line.bytes);
        expect(joined).toEqual([...bytes.subarray(0, bytes.length - pending)]);
        lines.forEach((line, i) => {
          expect(line.offset).toBe(lines.slice(0, i).reduce((n, l) => n + l.bytes.length, 0));
        });
      }),
      { numRuns },
    );
  });
});
