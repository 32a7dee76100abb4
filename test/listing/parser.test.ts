import {
  type ListEntry,
  ListingParser,
  type MlsxEntry,
  parseFacts,
  parseListLine,
} from '@ftpwire/listing';
import { describe, expect, it } from 'vitest';
import { chunksOf, concat, latin1, listingErrorOf, NOW, parseChunks, utf8 } from './helpers.js';

const names = (entries: (ListEntry | MlsxEntry | string)[]) =>
  entries.map((entry) => (typeof entry === 'string' ? entry : entry.name));

describe('ListingParser', () => {
  it('returns entries from push and end, a last line without CRLF included', () => {
    const parser = new ListingParser({ now: NOW });
    const first = parser.push(
      utf8('-rw-r--r-- 1 a b 1 Nov 27 09:12 one\r\n-rw-r--r-- 1 a b 2 Nov'),
    );
    expect(names(first)).toEqual(['one']);
    expect(
      names(parser.push(utf8(' 27 09:12 two\n-rw-r--r-- 1 a b 3 Nov 27 09:12 three'))),
    ).toEqual(['two']);
    expect(names(parser.end())).toEqual(['three']);
    expect(parser.end()).toEqual([]);
  });

  it('delivers to onEntry and returns nothing then', () => {
    const seen: string[] = [];
    const parser = new ListingParser({
      dialect: 'mlsd',
      onEntry: (entry) => seen.push(entry.name),
    });
    expect(parser.push(utf8('type=file; a\r\ntype=file; b\r\n'))).toEqual([]);
    expect(seen).toEqual(['a', 'b']);
  });

  it('detects the format from the first entry, skips lines before it, holds it after', () => {
    const listing = utf8(
      [
        'total 3',
        '',
        '12-05-96  05:03PM       <DIR>          dos',
        '-rw-r--r-- 1 a b 1 Nov 27 09:12 unix',
        '+r,s1,\teplf',
        '',
      ].join('\r\n'),
    );
    expect(names(parseChunks([listing], { now: NOW }))).toEqual([
      'skipped 0 "total 3"',
      'skipped 9 ""',
      'dos',
      'skipped 55 "-rw-r--r-- 1 a b 1 Nov 27 09:12 unix"',
      'skipped 93 "+r,s1,\\teplf"',
    ]);
    const parser = new ListingParser({ now: NOW });
    parser.push(listing);
    expect(parser.dialect).toBe('dos');
    expect(new ListingParser().dialect).toBeUndefined();
  });

  it('detects MLSD from a first line of facts, even with a link target with spaces', () => {
    const parser = new ListingParser();
    parser.push(utf8('type=OS.unix=slink:a b;size=3; l\r\n'));
    expect(parser.dialect).toBe('mlsd');
    expect(names(parseChunks([utf8(' no facts\r\ntype=file; x\r\n')]))).toEqual([
      'skipped 0 " no facts"',
      'x',
    ]);
    expect(
      names(parseChunks([utf8(' no facts\r\ntype=file; x\r\n')], { dialect: 'mlsd' })),
    ).toEqual(['no facts', 'x']);
  });

  it('fails on a malformed MLSD line at its stream offset in bytes, and stays failed', () => {
    const parser = new ListingParser({ dialect: 'mlsd' });
    const input = utf8('type=file; café\r\ntype=file;size=x; b\r\ntype=file; c\r\n');
    const error = listingErrorOf(() => parser.push(input));
    expect([error.code, error.offset]).toEqual(['ERR_INVALID_FACT', 18 + 15]);
    expect(error.cause).toBeInstanceOf(Error);
    expect(listingErrorOf(() => parser.push(utf8('type=file; d\r\n')))).toBe(error);
    expect(listingErrorOf(() => parser.end())).toBe(error);
  });

  it('counts bytes, not characters, in offsets after non-ASCII text on the same line', () => {
    const input = utf8('x.tag=é;size=x; b\r\n');
    const error = listingErrorOf(() => new ListingParser({ dialect: 'mlsd' }).push(input));
    expect(error.offset).toBe(14);
    expect(input[error.offset]).toBe(0x78);
  });

  it('hands malformed MLSD lines to onMalformedLine and goes on', () => {
    const errors: string[] = [];
    const parser = new ListingParser({
      dialect: 'mlsd',
      onMalformedLine: (error) => errors.push(`${error.code}@${error.offset}`),
    });
    const entries = parser.push(utf8('type=file; a\r\nnospace\r\ntype=file; b\r\n'));
    expect(names(entries)).toEqual(['a', 'b']);
    expect(errors).toEqual(['ERR_MALFORMED_FACTS@21']);
  });

  it('keeps the raw bytes of names across chunks, whatever the cut', () => {
    const input = concat([utf8('type=file; caf'), latin1('\xe9'), utf8('\r\n-rw')]);
    for (const size of [1, 2, 5, 64]) {
      const [entry] = parseChunks(chunksOf(input, size), { dialect: 'mlsd' }) as MlsxEntry[];
      expect(entry!.rawName, `${size}-byte chunks`).toEqual(latin1('caf\xe9'));
    }
  });

  it('refuses a line longer than maxLineLength as soon as it passes it', () => {
    const parser = new ListingParser({ maxLineLength: 32 });
    const error = listingErrorOf(() => parser.push(new Uint8Array(33).fill(0x61)));
    expect([error.code, error.offset]).toEqual(['ERR_LINE_TOO_LONG', 32]);
    expect(
      new ListingParser({ maxLineLength: 32 }).push(utf8(`type=file; ${'a'.repeat(21)}\n`)),
    ).toHaveLength(1);
  });

  it('refuses options that cannot work', () => {
    for (const options of [
      { maxLineLength: 0 },
      { maxLineLength: 1.5 },
      { dialect: 'MLSD' as 'mlsd' },
      { now: new Date(Number.NaN) },
    ]) {
      expect(listingErrorOf(() => new ListingParser(options)).code).toBe('ERR_INVALID_OPTION');
    }
  });

  it('gives what parseListLine and parseFacts give, line by line', () => {
    const unix = '-rw-r--r-- 1 a b 7 Jan  3  2020 a b';
    expect(parseChunks([utf8(`${unix}\r\n`)], { now: NOW })).toEqual([
      parseListLine(unix, { now: NOW }),
    ]);
    const facts = 'type=file;size=7; a b';
    expect(parseChunks([utf8(facts)])).toEqual([parseFacts(facts)]);
  });
});
