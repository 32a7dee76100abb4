import { classifyAddress, isPrivateAddress, normalizeAddress, sameAddress } from '@ftpwire/address';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { grammarText, ipv4, ipv6Bytes, ipv6Text, numRuns } from './arbitraries.js';
import { addressErrorOf } from './helpers.js';

describe('classification properties', () => {
  it('an IPv4-mapped address is classified, normalized and compared as its IPv4 address', () => {
    fc.assert(
      fc.property(ipv4, (host) => {
        const mapped = `::ffff:${host}`;
        expect(classifyAddress(mapped)).toBe(classifyAddress(host));
        expect(isPrivateAddress(mapped)).toBe(isPrivateAddress(host));
        expect(normalizeAddress(mapped)).toBe(host);
        expect(sameAddress(mapped, host)).toBe(true);
      }),
      { numRuns },
    );
  });

  it('every text form of an IPv6 address has the same class and normal form', () => {
    fc.assert(
      fc.property(
        ipv6Bytes.chain((bytes) => fc.tuple(ipv6Text(bytes), ipv6Text(bytes))),
        ([a, b]) => {
          expect(classifyAddress(a)).toBe(classifyAddress(b));
          expect(normalizeAddress(a)).toBe(normalizeAddress(b));
          expect(sameAddress(a, b)).toBe(true);
        },
      ),
      { numRuns },
    );
  });

  it('random text never makes them throw anything but AddressError', () => {
    const tokens = [
      '1',
      '10',
      '255',
      '256',
      '.',
      ':',
      '::',
      'ffff',
      '%',
      'eth0',
      ' ',
      'fe80',
      '%%',
    ];
    fc.assert(
      fc.property(grammarText(tokens), (text) => {
        const error = addressErrorOf(() => classifyAddress(text));
        addressErrorOf(() => normalizeAddress(text));
        addressErrorOf(() => isPrivateAddress(text));
        if (error) expect(error.code).toBe('ERR_INVALID_HOST');
      }),
      { numRuns: numRuns * 10 },
    );
  });
});
