import { isIPv6 as nodeIsIPv6 } from 'node:net';
import { canonicalIPv6, formatIPv6, isIPv6, parseIPv6 } from '@ftpwire/address';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  grammarText,
  ipv6Bytes,
  ipv6Text,
  numRuns,
  referenceCanonicalIPv6,
} from './arbitraries.js';
import { addressErrorOf } from './helpers.js';

describe('IPv6 text properties', () => {
  it('parseIPv6(formatIPv6(b)) equals b for every 16 bytes', () => {
    fc.assert(
      fc.property(ipv6Bytes, (bytes) => {
        expect(parseIPv6(formatIPv6(bytes))).toEqual(bytes);
      }),
      { numRuns },
    );
  });

  it('formatIPv6 is RFC 5952 canonical (matches a regex-based reference)', () => {
    fc.assert(
      fc.property(ipv6Bytes, (bytes) => {
        expect(formatIPv6(bytes)).toBe(referenceCanonicalIPv6(bytes));
      }),
      { numRuns },
    );
  });

  it('every RFC 4291 text form of an address parses to it and canonicalizes to one text', () => {
    fc.assert(
      fc.property(
        ipv6Bytes.chain((bytes) => fc.tuple(fc.constant(bytes), ipv6Text(bytes))),
        ([bytes, text]) => {
          expect(parseIPv6(text)).toEqual(bytes);
          expect(canonicalIPv6(text)).toBe(referenceCanonicalIPv6(bytes));
          expect(nodeIsIPv6(text)).toBe(true);
        },
      ),
      { numRuns },
    );
  });

  it('isIPv6 agrees with node:net on random text (zone ids aside: FTP has no place for them)', () => {
    const tokens = [
      '0',
      '1',
      'f',
      'F',
      'ff',
      '1234',
      '12345',
      ':',
      '::',
      '.',
      '1.2.3.4',
      '256',
      '01',
      '%',
      'g',
      ' ',
    ];
    fc.assert(
      fc.property(grammarText(tokens), (text) => {
        const expected = nodeIsIPv6(text) && !text.includes('%');
        expect(isIPv6(text)).toBe(expected);
      }),
      { numRuns: numRuns * 10 },
    );
  });

  it('parseIPv6 throws nothing but AddressError on any text', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 60 }), (text) => {
        addressErrorOf(() => parseIPv6(text));
      }),
      { numRuns },
    );
  });
});
