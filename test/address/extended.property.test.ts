import { decodeExtendedAddress, encodeExtendedAddress } from '@ftpwire/address';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  delimiter,
  grammarText,
  ipv4,
  ipv6Bytes,
  ipv6Text,
  numRuns,
  padded,
  port,
  referenceCanonicalIPv6,
} from './arbitraries.js';
import { addressErrorOf } from './helpers.js';

/** Delimiters that cannot occur in an address of the family (RFC 2428 §2). */
const v4Delimiter = delimiter.filter((d) => !/[\d.]/.test(d));
const v6Delimiter = delimiter.filter((d) => !/[\d.:a-fA-F]/.test(d));

describe('EPRT address properties', () => {
  it('decode(encode(x)) equals x for every IPv4 address, port and delimiter', () => {
    fc.assert(
      fc.property(ipv4, port, v4Delimiter, (host, p, d) => {
        const text = encodeExtendedAddress({ host, port: p }, d);
        expect(decodeExtendedAddress(text)).toEqual({ family: 1, host, port: p });
      }),
      { numRuns },
    );
  });

  it('decode(encode(x)) equals x for every IPv6 address (canonical), port and delimiter', () => {
    fc.assert(
      fc.property(ipv6Bytes, port, v6Delimiter, (bytes, p, d) => {
        const host = referenceCanonicalIPv6(bytes);
        const text = encodeExtendedAddress({ host, port: p }, d);
        expect(decodeExtendedAddress(text)).toEqual({ family: 2, host, port: p });
      }),
      { numRuns },
    );
  });

  it('encode(decode(s)) is the canonical form of s (RFC 5952 host, unpadded numbers)', () => {
    const forms = ipv6Bytes.chain((bytes) =>
      fc.record({
        bytes: fc.constant(bytes),
        text: ipv6Text(bytes),
        port: port.chain((p) => fc.tuple(fc.constant(p), padded(p))),
        family: padded(2),
        d: v6Delimiter,
      }),
    );
    fc.assert(
      fc.property(forms, ({ bytes, text, port: [p, portText], family, d }) => {
        const s = `${d}${family}${d}${text}${d}${portText}${d}`;
        const canonical = `${d}2${d}${referenceCanonicalIPv6(bytes)}${d}${p}${d}`;
        expect(encodeExtendedAddress(decodeExtendedAddress(s), d)).toBe(canonical);
      }),
      { numRuns },
    );
  });

  it('random text never makes the decoder throw anything but AddressError', () => {
    const tokens = [
      '|',
      '!',
      '1',
      '2',
      '3',
      '::',
      ':',
      '1.2.3.4',
      'fe80',
      '%eth0',
      '65535',
      '65536',
      '.',
      ' ',
      'a',
    ];
    fc.assert(
      fc.property(grammarText(tokens), (text) => {
        const error = addressErrorOf(() => decodeExtendedAddress(text));
        if (error) {
          expect(['ERR_INVALID_EXTENDED_ADDRESS', 'ERR_UNSUPPORTED_NETWORK_PROTOCOL']).toContain(
            error.code,
          );
          expect(error.offset).toBeGreaterThanOrEqual(0);
          expect(error.offset).toBeLessThanOrEqual(text.length);
        }
      }),
      { numRuns: numRuns * 10 },
    );
  });
});
