import {
  decodeLongAddress,
  encodeLongAddress,
  formatLpsvReply,
  parseLpsvReply,
} from '@ftpwire/address';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  byte,
  grammarText,
  ipv4,
  ipv6Bytes,
  numRuns,
  padded,
  port,
  referenceCanonicalIPv6,
} from './arbitraries.js';
import { addressErrorOf } from './helpers.js';

describe('LPRT address properties', () => {
  it('decode(encode(x)) equals x for every IPv4 and IPv6 address and port', () => {
    const address = fc.oneof(
      ipv4.map((host) => ({ family: 4 as const, host })),
      ipv6Bytes.map((bytes) => ({ family: 6 as const, host: referenceCanonicalIPv6(bytes) })),
    );
    fc.assert(
      fc.property(address, port, ({ family, host }, p) => {
        const expected = { family, host, port: p };
        expect(decodeLongAddress(encodeLongAddress(expected))).toEqual(expected);
        expect(parseLpsvReply(formatLpsvReply(expected))).toEqual(expected);
      }),
      { numRuns },
    );
  });

  it('encode(decode(s)) is the canonical form of s (unpadded numbers)', () => {
    const s = fc
      .record({
        host: fc.array(byte, { minLength: 16, maxLength: 16 }),
        family: fc.constantFrom(4, 6),
        p1: byte.chain((b) => fc.tuple(fc.constant(b), padded(b))),
        p2: byte.chain((b) => fc.tuple(fc.constant(b), padded(b))),
        zeros: fc.tuple(padded(2), padded(0)),
      })
      // Port 0 is refused (test/address/port-zero.test.ts).
      .filter(({ p1, p2 }) => p1[0] + p2[0] > 0);
    fc.assert(
      fc.property(s, ({ host, family, p1, p2, zeros }) => {
        const bytes = host.slice(0, family === 4 ? 4 : 16);
        const text = `${family},${bytes.length},${bytes.join(',')},${zeros[0]},${p1[1]},${p2[1]}`;
        const canonical = `${family},${bytes.length},${bytes.join(',')},2,${p1[0]},${p2[0]}`;
        expect(encodeLongAddress(decodeLongAddress(text))).toBe(canonical);
      }),
      { numRuns },
    );
  });

  it('random text never makes the decoders throw anything but AddressError', () => {
    const tokens = [
      '4,',
      '6,',
      '16,',
      '4',
      '2,',
      '0,',
      '255,',
      '256,',
      '1',
      ',',
      '-',
      ' ',
      '(',
      ')',
      '228 ',
    ];
    fc.assert(
      fc.property(grammarText(tokens), (text) => {
        addressErrorOf(() => decodeLongAddress(text));
        addressErrorOf(() => parseLpsvReply(text));
        addressErrorOf(() => parseLpsvReply(`228 (${text})`));
      }),
      { numRuns: numRuns * 10 },
    );
  });
});
