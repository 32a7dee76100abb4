import { parseAddress } from './classify.js';
import { AddressError, quote } from './errors.js';
import { checkPort, type HostPort } from './host-port.js';
import { ipv4Text, readIPv4 } from './ipv4.js';
import { ipv6Text, readIPv6 } from './ipv6.js';
import { checkDataPort, isDigit, readDecimal, scan } from './numbers.js';

const CODE = 'ERR_INVALID_EXTENDED_ADDRESS';

/**
 * An EPRT address: RFC 2428 network protocol 1 (IPv4) or 2 (IPv6), host and port.
 *
 * @example
 * ```ts
 * import {
 *   decodeExtendedAddress,
 *   type ExtendedAddress,
 *   encodeExtendedAddress,
 * } from '@ftpwire/address';
 *
 * // A NAT that forwards the client's port 50000 as 60000 rewrites its EPRT.
 * const address: ExtendedAddress = decodeExtendedAddress('|2|2001:db8::7|50000|');
 * address; // => { family: 2, host: '2001:db8::7', port: 50000 }
 * encodeExtendedAddress({ ...address, port: 60000 }); // => '|2|2001:db8::7|60000|'
 * ```
 */
export interface ExtendedAddress extends HostPort {
  /** RFC 2428 §2 network protocol: 1 for IPv4, 2 for IPv6 (IANA address family numbers). */
  family: 1 | 2;
}

/**
 * Whether `delimiter` can occur inside an address of `family`, which would make the EPRT
 * form ambiguous (RFC 2428 §2: "|" is recommended "unless it coincides with a character
 * needed to encode the network address"). Digits never delimit: they spell the protocol
 * and the port.
 */
function collides(unit: number, family: 1 | 2): boolean {
  if (isDigit(unit) || unit === 0x2e) return true;
  if (family === 1) return false;
  const lower = unit | 0x20;
  return unit === 0x3a || (lower >= 0x61 && lower <= 0x66);
}

function findDelimiter(text: string, from: number, end: number, d: number): number {
  for (let i = from; i < end; i++) if (text.charCodeAt(i) === d) return i;
  return -1;
}

/**
 * Decodes the EPRT argument `<d><net-prt><d><net-addr><d><tcp-port><d>` (RFC 2428 §2), e.g.
 * `|1|132.235.1.2|6275|` or `|2|1080::8:800:200C:417A|5282|`. The delimiter is the first
 * character, any of ASCII 33-126 that cannot occur in the address, and must be used for all
 * four fields. The host comes out as a strict dotted quad or in RFC 5952 form; zone ids
 * are refused. Malformed text throws `ERR_INVALID_EXTENDED_ADDRESS`; a well-formed
 * protocol number other than 1 or 2 throws `ERR_UNSUPPORTED_NETWORK_PROTOCOL`, which a
 * server answers with 522 (see {@link formatNetworkProtocolsReply}).
 *
 * @example
 * ```ts
 * import { decodeExtendedAddress } from '@ftpwire/address';
 *
 * decodeExtendedAddress('|1|132.235.1.2|6275|');
 * // => { family: 1, host: '132.235.1.2', port: 6275 }
 * decodeExtendedAddress('|2|1080::8:800:200C:417A|5282|');
 * // => { family: 2, host: '1080::8:800:200c:417a', port: 5282 }
 * // Any delimiter of ASCII 33-126, used consistently:
 * decodeExtendedAddress('#1#132.235.1.2#6275#');
 * // => { family: 1, host: '132.235.1.2', port: 6275 }
 * decodeExtendedAddress('|1|132.235.1.2|6275'); // throws AddressError ERR_INVALID_EXTENDED_ADDRESS
 * ```
 */
export function decodeExtendedAddress(arg: string): ExtendedAddress {
  const end = arg.length;
  const d = arg.charCodeAt(0);
  if (end === 0 || d < 33 || d > 126 || isDigit(d)) {
    throw new AddressError(
      CODE,
      `expected a delimiter (ASCII 33-126, not a digit) to open the EPRT address, got ${end === 0 ? 'the end' : quote(arg, 0, 1)}`,
      0,
    );
  }
  const protocol = readDecimal(arg, 1, end, CODE, 'a network protocol number', 65535);
  if (scan.end >= end || arg.charCodeAt(scan.end) !== d) {
    throw new AddressError(
      CODE,
      `expected the delimiter ${quote(arg, 0, 1)} after the network protocol, got ${scan.end < end ? quote(arg, scan.end, end) : 'the end'}`,
      scan.end,
    );
  }
  if (protocol !== 1 && protocol !== 2) {
    throw new AddressError(
      'ERR_UNSUPPORTED_NETWORK_PROTOCOL',
      `network protocol ${protocol} is not 1 (IPv4) or 2 (IPv6)`,
      1,
    );
  }
  if (collides(d, protocol)) {
    throw new AddressError(
      CODE,
      `the delimiter ${quote(arg, 0, 1)} can occur inside an ${protocol === 1 ? 'IPv4' : 'IPv6'} address`,
      0,
    );
  }
  const hostStart = scan.end + 1;
  const hostEnd = findDelimiter(arg, hostStart, end, d);
  if (hostEnd < 0) {
    throw new AddressError(
      CODE,
      `expected the delimiter ${quote(arg, 0, 1)} after the network address`,
      end,
    );
  }
  const host =
    protocol === 1
      ? ipv4Text(readIPv4(arg, hostStart, hostEnd, CODE))
      : ipv6Text(readIPv6(arg, hostStart, hostEnd, CODE));
  const port = readDecimal(arg, hostEnd + 1, end, CODE, 'a TCP port', 65535);
  if (scan.end >= end || arg.charCodeAt(scan.end) !== d) {
    throw new AddressError(
      CODE,
      `expected the delimiter ${quote(arg, 0, 1)} after the port, got ${scan.end < end ? quote(arg, scan.end, end) : 'the end'}`,
      scan.end,
    );
  }
  if (scan.end + 1 !== end) {
    throw new AddressError(
      CODE,
      `expected the end after the closing delimiter, got ${quote(arg, scan.end + 1, end)}`,
      scan.end + 1,
    );
  }
  return { family: protocol, host, port: checkDataPort(arg, port, hostEnd + 1, CODE) };
}

/**
 * Encodes an address as the EPRT argument `<d><net-prt><d><net-addr><d><tcp-port><d>`
 * (RFC 2428 §2). The network protocol is 1 for an IPv4 host and 2 for an IPv6 host unless
 * `family` says otherwise: an IPv4-mapped IPv6 host with `family: 1` is sent as its IPv4
 * address. The host goes out in canonical form (RFC 5952 for IPv6), never with a zone id.
 *
 * @param delimiter one character of ASCII 33-126 that cannot occur in the address (not a
 *   digit or `.`, and for IPv6 not `:` or a hex letter); default `|` as RFC 2428 recommends
 * @example
 * ```ts
 * import { encodeExtendedAddress } from '@ftpwire/address';
 *
 * encodeExtendedAddress({ host: '132.235.1.2', port: 6275 }); // => '|1|132.235.1.2|6275|'
 * encodeExtendedAddress({ host: '1080::8:800:200C:417A', port: 5282 });
 * // => '|2|1080::8:800:200c:417a|5282|'
 * encodeExtendedAddress({ host: '132.235.1.2', port: 6275 }, '!'); // => '!1!132.235.1.2!6275!'
 * encodeExtendedAddress({ host: '::ffff:132.235.1.2', port: 6275, family: 1 });
 * // => '|1|132.235.1.2|6275|'
 * ```
 */
export function encodeExtendedAddress(
  address: HostPort & { readonly family?: 1 | 2 },
  delimiter = '|',
): string {
  checkPort(address.port);
  const parsed = parseAddress(address.host);
  if (parsed.zone !== '') {
    throw new AddressError(
      'ERR_INVALID_HOST',
      `EPRT has no place for a zone id, got ${address.host}`,
      0,
    );
  }
  const family = address.family ?? (parsed.family === 4 ? 1 : 2);
  let host: string;
  if (family === 1) {
    if (parsed.ipv4 < 0) {
      throw new AddressError(
        'ERR_INVALID_HOST',
        `EPRT protocol 1 needs an IPv4 host, got ${address.host}`,
        0,
      );
    }
    host = ipv4Text(parsed.ipv4);
  } else if (family === 2) {
    if (parsed.ipv6 === undefined) {
      throw new AddressError(
        'ERR_INVALID_HOST',
        `EPRT protocol 2 needs an IPv6 host, got ${address.host}`,
        0,
      );
    }
    host = ipv6Text(parsed.ipv6);
  } else {
    throw new AddressError(
      'ERR_UNSUPPORTED_NETWORK_PROTOCOL',
      `network protocol ${String(family)} is not 1 (IPv4) or 2 (IPv6)`,
      0,
    );
  }
  const d = delimiter.charCodeAt(0);
  if (delimiter.length !== 1 || d < 33 || d > 126 || collides(d, family)) {
    throw new AddressError(
      'ERR_INVALID_DELIMITER',
      `an EPRT delimiter is one character of ASCII 33-126 that cannot occur in the address, got ${quote(delimiter)}`,
      0,
    );
  }
  return `${delimiter}${family}${delimiter}${host}${delimiter}${address.port}${delimiter}`;
}
