import { formatNetworkProtocolsReply, parseNetworkProtocolsReply } from '@ftpwire/address';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { grammarText, numRuns } from './arbitraries.js';
import { addressErrorOf } from './helpers.js';

describe('522 protocol list properties', () => {
  it('parse(format(list)) equals list for every non-empty list of protocol numbers', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1, max: 65535 }), { minLength: 1, maxLength: 8 }),
        (list) => {
          expect(parseNetworkProtocolsReply(formatNetworkProtocolsReply(list))).toEqual(list);
        },
      ),
      { numRuns },
    );
  });

  it('random text never makes it throw anything but AddressError', () => {
    const tokens = [
      '522 ',
      '(',
      ')',
      '1',
      '2',
      ',',
      '0',
      '65536',
      ' ',
      '-',
      'use',
      '(use ',
      'USE ',
    ];
    fc.assert(
      fc.property(grammarText(tokens), (text) => {
        addressErrorOf(() => parseNetworkProtocolsReply(text));
        addressErrorOf(() => parseNetworkProtocolsReply(`522 ${text}`));
      }),
      { numRuns: numRuns * 10 },
    );
  });
});
