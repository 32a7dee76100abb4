import {
  ListingError,
  type ListingFormat,
  ListingParser,
  parseFacts,
  parseListLine,
} from '@ftpwire/listing';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { listingFixtures } from '../fixtures/listings.js';
import { concat, NOW, parseChunks, splitAt, utf8 } from './helpers.js';

const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { ignoreBOM: true });

/** Real lines of every dialect, and lines that are no entry or are broken. */
const fixtureLines = listingFixtures()
  .filter((fixture) => !fixture.command.startsWith('MLST'))
  .flatMap((fixture) => fixture.lines.map((line) => line.raw));
const line = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...fixtureLines) },
  {
    weight: 1,
    arbitrary: fc
      .constantFrom(
        'total 12',
        '',
        'type=file;size=x; bad size',
        'no facts here',
        ' only a name',
        '\r',
        'type=OS.unix=slink:a b; l',
      )
      .map(utf8),
  },
  {
    weight: 1,
    arbitrary: fc
      .uint8Array({ maxLength: 12 })
      .map((bytes) => bytes.map((b) => (b === 0x0a ? 0x20 : b))),
  },
);
/** A listing: lines ended by CRLF or LF, the last one maybe by nothing. */
const listing = fc
  .tuple(fc.array(fc.tuple(line, fc.constantFrom('\r\n', '\n')), { maxLength: 12 }), fc.boolean())
  .map(([lines, endLast]) =>
    concat(
      lines.flatMap(([bytes, end], index) =>
        index === lines.length - 1 && !endLast ? [bytes] : [bytes, encoder.encode(end)],
      ),
    ),
  );
const format = fc.constantFrom<ListingFormat | undefined>(undefined, 'mlsd', 'unix', 'dos', 'eplf');
const cuts = (bytes: Uint8Array) =>
  fc.array(fc.integer({ min: 0, max: bytes.length }), { maxLength: 8 });

/** UTF-8 length of text, as the stream counts offsets. */
const byteLength = (text: string) => encoder.encode(text).length;

/**
 * The reference model: split on LF, drop one CR before it, and read each line alone with the
 * one-shot parsers. The format is the one given, else fixed by the first line that is an
 * entry (MLSD when its first word holds "=").
 */
function model(
  bytes: Uint8Array,
  dialect: ListingFormat | undefined,
  onMalformed: boolean,
): unknown[] {
  const out: unknown[] = [];
  let current = dialect;
  let start = 0;
  while (start < bytes.length) {
    let end = bytes.indexOf(0x0a, start);
    const next = end === -1 ? bytes.length : end + 1;
    if (end === -1) end = bytes.length;
    const raw = bytes.subarray(
      start,
      end > start && bytes[end - 1] === 0x0d && end < bytes.length ? end - 1 : end,
    );
    const text = decoder.decode(raw);
    const firstWord = text.split(' ')[0]!;
    if (text !== '' && current === undefined && firstWord.indexOf('=') > 0) current = 'mlsd';
    if (text !== '' && current === 'mlsd') {
      try {
        out.push(parseFacts(raw));
      } catch (error) {
        if (!(error instanceof ListingError)) throw error;
        const offset = start + byteLength(text.slice(0, error.offset));
        if (!onMalformed) {
          out.push(`error ${error.code} at ${offset}`);
          return out;
        }
        out.push(`malformed ${error.code} at ${offset}`);
      }
    } else {
      const entry =
        text === '' || current === 'mlsd'
          ? undefined
          : parseListLine(raw, {
              now: NOW,
              ...(current === undefined ? {} : { dialect: current }),
            });
      if (entry === undefined) out.push(`skipped ${start} ${JSON.stringify(text)}`);
      else {
        current ??= entry.dialect;
        out.push(entry);
      }
    }
    start = next;
  }
  return out;
}

describe('ListingParser: laws', () => {
  it('any chunking yields the same entries, skipped lines and errors', () => {
    fc.assert(
      fc.property(
        listing.chain((bytes) => fc.tuple(fc.constant(bytes), cuts(bytes), format)),
        ([bytes, at, dialect]) => {
          const options = { now: NOW, ...(dialect === undefined ? {} : { dialect }) };
          expect(parseChunks(splitAt(bytes, at), options)).toEqual(parseChunks([bytes], options));
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('equals the one-shot parsers applied line by line (the reference model)', () => {
    fc.assert(
      fc.property(listing, format, (bytes, dialect) => {
        const options = { now: NOW, ...(dialect === undefined ? {} : { dialect }) };
        expect(parseChunks([bytes], options)).toEqual(model(bytes, dialect, false));
      }),
      { numRuns: 2000 },
    );
  });

  it('with onMalformedLine, goes on past every malformed MLSD line, the rest unchanged', () => {
    fc.assert(
      fc.property(listing, (bytes) => {
        const seen: unknown[] = [];
        const stream = new ListingParser({
          dialect: 'mlsd',
          onEntry: (entry) => seen.push(entry),
          onSkippedLine: (text, offset) => seen.push(`skipped ${offset} ${JSON.stringify(text)}`),
          onMalformedLine: (error) => seen.push(`malformed ${error.code} at ${error.offset}`),
        });
        stream.push(bytes);
        stream.end();
        expect(seen).toEqual(model(bytes, 'mlsd', true));
      }),
      { numRuns: 1000 },
    );
  });
});
