import { type ListDialect, parseListLine } from '@ftpwire/listing';
import { describe, expect, it } from 'vitest';
import { listingErrorOf, NOW, utf8 } from './helpers.js';

const lines: Record<ListDialect, string> = {
  unix: '-rw-r--r-- 1 ftp ftp 12 Nov 27 09:12 notes.txt',
  dos: '11-27-26  09:12AM                   12 notes.txt',
  eplf: '+m1795770720,r,s12,\tnotes.txt',
};

describe('parseListLine', () => {
  it('detects each dialect from the line alone', () => {
    for (const [dialect, line] of Object.entries(lines)) {
      expect(parseListLine(line, { now: NOW })).toMatchObject({
        dialect,
        name: 'notes.txt',
        size: 12,
      });
    }
  });

  it('gives plain entries: copies and clones keep every field, modified included', () => {
    for (const line of Object.values(lines)) {
      const entry = parseListLine(line, { now: NOW })!;
      expect(entry.modified).toBeInstanceOf(Date);
      expect({ ...entry }).toStrictEqual(entry);
      expect(structuredClone(entry)).toStrictEqual(entry);
      expect(Object.keys(entry)).toContain('modified');
    }
  });

  it('reads a forced dialect only', () => {
    for (const forced of ['unix', 'dos', 'eplf'] as const) {
      for (const [dialect, line] of Object.entries(lines)) {
        expect(parseListLine(line, { now: NOW, dialect: forced })?.dialect).toBe(
          dialect === forced ? forced : undefined,
        );
      }
    }
  });

  it('reads a Unix line that starts with digits (ls -i) as Unix, not DOS', () => {
    expect(parseListLine(`12345 ${lines.unix}`, { now: NOW })?.dialect).toBe('unix');
  });

  it('gives the same entry for text and for its UTF-8 bytes, CRLF or LF or none', () => {
    for (const line of Object.values(lines)) {
      const expected = parseListLine(line, { now: NOW });
      for (const end of ['', '\n', '\r\n']) {
        expect(parseListLine(utf8(line + end), { now: NOW })).toEqual(expected);
        expect(parseListLine(line + end, { now: NOW })).toEqual(expected);
      }
    }
  });

  it('dates with the current time when not told', () => {
    const year = new Date().getUTCFullYear();
    const entry = parseListLine('-rw-r--r-- 1 a b 1 Jan  1 00:00 x');
    expect(entry?.modified?.getUTCFullYear()).toBe(year);
  });

  it('refuses a second line and options that cannot work', () => {
    expect(listingErrorOf(() => parseListLine('total 1\n-rw'))).toMatchObject({
      code: 'ERR_TRAILING_DATA',
      offset: 7,
    });
    expect(listingErrorOf(() => parseListLine('x', { now: new Date('nope') })).code).toBe(
      'ERR_INVALID_OPTION',
    );
    expect(listingErrorOf(() => parseListLine('x', { now: 5 as unknown as Date })).code).toBe(
      'ERR_INVALID_OPTION',
    );
    expect(listingErrorOf(() => parseListLine('x', { dialect: 'vms' as ListDialect })).code).toBe(
      'ERR_INVALID_OPTION',
    );
  });
});
