import { isIPv4 as nodeIsIPv4 } from 'node:net';
import { formatIPv4, isIPv4, parseIPv4 } from '@ftpwire/address';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { byte, grammarText, numRuns } from './arbitraries.js';
import { addressErrorOf } from './helpers.js';

describe('IPv4 text properties', () => {
  it('parseIPv4(formatIPv4(b)) equals b for every 4 bytes', () => {
    fc.assert(
      fc.property(fc.tuple(byte, byte, byte, byte), (quad) => {
        const bytes = new Uint8Array(quad);
        expect(parseIPv4(formatIPv4(bytes))).toEqual(bytes);
      }),
      { numRuns },
    );
  });

  it('isIPv4 agrees with node:net (strict dotted quads) on random text', () => {
    const tokens = [
      '0',
      '1',
      '9',
      '25',
      '255',
      '256',
      '00',
      '01',
      '.',
      '..',
      ' ',
      'x',
      '-',
      '1000',
    ];
    fc.assert(
      fc.property(grammarText(tokens), (text) => {
        expect(isIPv4(text)).toBe(nodeIsIPv4(text));
      }),
      { numRuns: numRuns * 10 },
    );
  });

  it('parseIPv4 throws nothing but AddressError on any text', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 30 }), (text) => {
        addressErrorOf(() => parseIPv4(text));
      }),
      { numRuns },
    );
  });
});
