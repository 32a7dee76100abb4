/**
 * The address package's formatters and encoders on hostile arguments. Linear time, exact
 * boundaries (ports 0 and 65535, octets 255 and 256) and the decoders' refusals are covered in
 * test/address/ (see README.md); what is here is the battery's formatter rule.
 */
import {
  AddressError,
  encodeExtendedAddress,
  encodeHostPort,
  encodeLongAddress,
  formatEpsvReply,
  formatLpsvReply,
  formatNetworkProtocolsReply,
  formatPasvReply,
} from '@ftpwire/address';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

const hostileText = fc.string({
  unit: fc.oneof(
    fc.constantFrom('\r', '\n', '\0', '\r\n', '(', ')', '|', ',', '1', ' ', 'é', '\ud800'),
    fc.string({ maxLength: 3 }),
  ),
  maxLength: 30,
});
const hostileHost = fc.oneof(
  hostileText,
  fc.constantFrom('10.0.0.1', '::1', '::ffff:10.0.0.1', 'fe80::1%eth0'),
  fc.tuple(fc.constantFrom('10.0.0.1', '::1'), hostileText).map(([host, tail]) => host + tail),
);
const anyPort = fc.oneof(
  fc.integer({ min: -2, max: 65537 }),
  fc.constantFrom(0.5, Number.NaN, Number.POSITIVE_INFINITY),
);

/** One line: CR, LF and NUL nowhere but in the final CRLF (when `framed`). */
function isOneLine(wire: string, framed: boolean): boolean {
  if (framed && !wire.endsWith('\r\n')) return false;
  return !/[\r\n\0]/.test(framed ? wire.slice(0, -2) : wire);
}

describe('address formatters and encoders: no CR, LF or NUL ever reaches the output', () => {
  it('for any host, port and text, each writes one line or throws AddressError and writes nothing', () => {
    fc.assert(
      fc.property(hostileHost, anyPort, hostileText, (host, port, text) => {
        const hp = { host, port };
        const writers: [() => string, boolean][] = [
          [() => formatPasvReply(hp, text), true],
          [() => formatEpsvReply(port, text), true],
          [() => formatLpsvReply(hp, text), true],
          [() => formatNetworkProtocolsReply([1, 2], text), true],
          [() => encodeHostPort(hp), false],
          [() => encodeExtendedAddress(hp, text.slice(0, 1) || '|'), false],
          [() => encodeLongAddress(hp), false],
        ];
        for (const [write, framed] of writers) {
          let wire: string;
          try {
            wire = write();
          } catch (error) {
            expect(error).toBeInstanceOf(AddressError);
            continue;
          }
          expect(isOneLine(wire, framed), JSON.stringify(wire)).toBe(true);
        }
      }),
      { numRuns: 3000 },
    );
  });
});
