/**
 * The listing parsers on hostile input: linear time on 1 MiB lines (one-shot parsers) and on
 * 1 MiB of short lines (ListingParser), counted in operations rather than timed; bounded
 * memory for ListingParserStream when a peer never sends a line end.
 */
import {
  ListingError,
  ListingParser,
  ListingParserStream,
  parseFacts,
  parseListLine,
} from '@ftpwire/listing';
import { describe, expect, it } from 'vitest';
import { LISTING_HOSTILE_LINES as LINES, LISTING_HOSTILE_STREAMS as STREAMS } from './hostile.js';
import { floodStream, heapGrowth } from './memory.js';
import { chunked, countCharacterReads, countWork, KIB, MIB, repeatTo } from './work.js';

const decoder = new TextDecoder();
const NOW = new Date('2026-11-27T12:00:00Z');

/** Characters read by charCodeAt/indexOf plus bytes scanned, copied and decoded. */
function countAll(run: () => void): number {
  let bytes = 0;
  const reads = countCharacterReads(() => {
    bytes = countWork(run);
  });
  return reads + bytes;
}

/** The hostile line of about `size` characters: the prefix, then the unit repeated. */
function hostileLine(prefix: string, unit: string, size: number): string {
  return prefix + decoder.decode(repeatTo(unit, size));
}

function parseLine(text: string, dialect: string | undefined): void {
  try {
    if (dialect === 'mlsd') parseFacts(text);
    else parseListLine(text, { now: NOW, ...(dialect ? { dialect: dialect as 'unix' } : {}) });
  } catch (error) {
    if (!(error instanceof ListingError)) throw error;
  }
}

describe('one-shot parsers: linear work on one hostile line of 1 MiB', () => {
  for (const [name, { prefix, unit, dialect }] of Object.entries(LINES)) {
    it(`${name}: 1 MiB costs at most 4.5x 256 KiB and 8 reads a character`, () => {
      const small = hostileLine(prefix, unit, 256 * KIB);
      const large = hostileLine(prefix, unit, MIB);
      const smallWork = countAll(() => parseLine(small, dialect));
      const largeWork = countAll(() => parseLine(large, dialect));
      expect(largeWork).toBeGreaterThan(MIB / 2); // the line was read, not refused at a glance
      expect(largeWork).toBeLessThanOrEqual(4.5 * smallWork);
      expect(largeWork).toBeLessThanOrEqual(8 * MIB);
      // Detecting the dialect tries each one: still linear.
      expect(countAll(() => parseLine(large, undefined))).toBeLessThanOrEqual(16 * MIB);
    }, 30_000);
  }
});

describe('ListingParser: linear work on hostile streams', () => {
  function parseAll(data: Uint8Array, chunkSize: number, dialect?: 'mlsd'): void {
    const parser = new ListingParser({
      now: NOW,
      maxLineLength: 2 * MIB,
      onEntry: () => {},
      onMalformedLine: () => {},
      ...(dialect ? { dialect } : {}),
    });
    for (const chunk of chunked(data, chunkSize)) parser.push(chunk);
    parser.end();
  }

  for (const [name, unit] of Object.entries(STREAMS)) {
    for (const chunkSize of [7, 1460]) {
      it(`${name}, ${chunkSize}-byte chunks: 1 MiB costs at most 4.5x 256 KiB`, () => {
        const smallWork = countAll(() => parseAll(repeatTo(unit, 256 * KIB), chunkSize));
        const largeWork = countAll(() => parseAll(repeatTo(unit, MIB), chunkSize));
        expect(largeWork).toBeLessThanOrEqual(4.5 * smallWork);
        expect(largeWork).toBeLessThanOrEqual(16 * MIB);
      }, 30_000);
    }
  }

  for (const [name, { prefix, unit, dialect }] of Object.entries(LINES)) {
    it(`${name}, as one streamed line in 1460-byte chunks: 1 MiB costs at most 4.5x 256 KiB`, () => {
      const line = (size: number) =>
        repeatTo(`${prefix}${decoder.decode(repeatTo(unit, size))}\n`, size + prefix.length + 1);
      const mlsd = dialect === 'mlsd' ? 'mlsd' : undefined;
      const smallWork = countAll(() => parseAll(line(256 * KIB), 1460, mlsd));
      const largeWork = countAll(() => parseAll(line(MIB), 1460, mlsd));
      expect(largeWork).toBeLessThanOrEqual(4.5 * smallWork);
      expect(largeWork).toBeLessThanOrEqual(16 * MIB);
    }, 30_000);
  }

  it('malformed MLSD lines, each an error for onMalformedLine: 256 KiB costs at most 4.5x 64 KiB', () => {
    const unit = 'no-space-here\r\n';
    const smallWork = countAll(() => parseAll(repeatTo(unit, 64 * KIB), 1460, 'mlsd'));
    const largeWork = countAll(() => parseAll(repeatTo(unit, 256 * KIB), 1460, 'mlsd'));
    expect(largeWork).toBeLessThanOrEqual(4.5 * smallWork);
  }, 30_000);
});

describe('ListingParserStream: bounded memory', () => {
  it('100 MiB without a newline fails at the line limit, heap growth under 1 MiB', async () => {
    let failure: unknown;
    const growth = await heapGrowth(async () => {
      failure = await floodStream(
        new ListingParserStream(),
        repeatTo('type=file;', 64 * KIB),
        100 * MIB,
      );
    });
    expect(failure).toBeInstanceOf(ListingError);
    expect((failure as ListingError).code).toBe('ERR_LINE_TOO_LONG');
    expect((failure as ListingError).offset).toBe(8192);
    expect(growth).toBeLessThan(MIB);
  });

  it('a line of exactly maxLineLength bytes is read, one byte more is refused', () => {
    const line = (length: number) => repeatTo(`type=file; ${'a'.repeat(length)}`, length);
    expect(new ListingParser({ maxLineLength: 64 }).push(repeatTo(line(64), 64)).length).toBe(0);
    const exact = new ListingParser({ maxLineLength: 64, dialect: 'mlsd' });
    expect(exact.push(new TextEncoder().encode(`type=file; ${'a'.repeat(53)}\r\n`))).toHaveLength(
      1,
    );
    const over = new ListingParser({ maxLineLength: 64, dialect: 'mlsd' });
    expect(() => over.push(new TextEncoder().encode(`type=file; ${'a'.repeat(54)}\r\n`))).toThrow(
      ListingError,
    );
  });
});
