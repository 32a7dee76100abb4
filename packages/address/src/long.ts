import { parseAddress } from './classify.js';
import { AddressError, type AddressErrorCode, quote } from './errors.js';
import { checkPort, type HostPort } from './host-port.js';
import { ipv4Text } from './ipv4.js';
import { ipv6Text } from './ipv6.js';
import { checkDataPort, expectChar, readDecimal, scan } from './numbers.js';
import { findTuple } from './pasv.js';
import { checkReplyCode, checkReplyText, type ReplyLike, replyTextOf } from './reply-text.js';

const COMMA = 0x2c;
const HYPHEN = 0x2d;

/**
 * An LPRT/228 address: RFC 1639 address family 4 (IPv4) or 6 (IPv6), host and port.
 *
 * @example
 * ```ts
 * import { type LongAddress, parseLpsvReply } from '@ftpwire/address';
 *
 * const address: LongAddress = parseLpsvReply(
 *   '228 Entering Long Passive Mode (6,16,32,1,13,184,0,0,0,0,0,0,0,0,0,0,0,1,2,24,131)',
 * );
 * address; // => { family: 6, host: '2001:db8::1', port: 6275 }
 * ```
 */
export interface LongAddress extends HostPort {
  /** RFC 1639 §2 address family, the IP version: 4 or 6. */
  family: 4 | 6;
}

/**
 * Reads `af,hal,h1,...,pal,p1,p2` at `text[start]` and leaves `scan.end` after the last
 * port byte. RFC 1639 §2: every field is a decimal 8-bit value; `af` is the IP version, `hal`
 * the host length in bytes (4 or 16), `pal` the port length (2 for TCP).
 */
function readLongAddress(
  text: string,
  start: number,
  end: number,
  code: AddressErrorCode,
): LongAddress {
  const family = readDecimal(text, start, end, code, 'the address family af', 255);
  if (family !== 4 && family !== 6) {
    throw new AddressError(
      'ERR_UNSUPPORTED_NETWORK_PROTOCOL',
      `address family ${family} is not 4 (IPv4) or 6 (IPv6)`,
      start,
    );
  }
  expectChar(text, scan.end, end, COMMA, code, 'after af');
  const lengthAt = scan.end + 1;
  const hostLength = readDecimal(text, lengthAt, end, code, 'the host length hal', 255);
  const expected = family === 4 ? 4 : 16;
  if (hostLength !== expected) {
    throw new AddressError(
      code,
      `address family ${family} has a host length of ${expected}, got ${hostLength}`,
      lengthAt,
    );
  }
  const bytes = new Uint8Array(hostLength);
  for (let b = 0; b < hostLength; b++) {
    expectChar(text, scan.end, end, COMMA, code, `before host byte h${b + 1}`);
    bytes[b] = readDecimal(text, scan.end + 1, end, code, `host byte h${b + 1}`, 255, true);
  }
  expectChar(text, scan.end, end, COMMA, code, 'after the host');
  const portLengthAt = scan.end + 1;
  const portLength = readDecimal(text, portLengthAt, end, code, 'the port length pal', 255);
  if (portLength !== 2) {
    throw new AddressError(code, `a TCP port has a length of 2, got ${portLength}`, portLengthAt);
  }
  expectChar(text, scan.end, end, COMMA, code, 'before port byte p1');
  const portAt = scan.end + 1;
  const p1 = readDecimal(text, portAt, end, code, 'port byte p1', 255);
  expectChar(text, scan.end, end, COMMA, code, 'before port byte p2');
  const p2 = readDecimal(text, scan.end + 1, end, code, 'port byte p2', 255);
  const host =
    family === 4
      ? ipv4Text(((bytes[0]! << 24) | (bytes[1]! << 16) | (bytes[2]! << 8) | bytes[3]!) >>> 0)
      : ipv6Text(bytes);
  return { family, host, port: checkDataPort(text, p1 * 256 + p2, portAt, code) };
}

/**
 * Decodes the LPRT argument `af,hal,h1,...,pal,p1,p2` (RFC 1639 §2), the form a 228 reply
 * carries: `4,4,132,235,1,2,2,24,131` or `6,16,` followed by 16 host bytes and `2,p1,p2`.
 * Every field is a decimal byte; a wrong host length for the family, a port length other
 * than 2, a value over 255, a missing or extra field throws `ERR_INVALID_LONG_ADDRESS`. An
 * address family other than 4 or 6 throws `ERR_UNSUPPORTED_NETWORK_PROTOCOL` (a server
 * answers 521). IPv6 hosts come out in RFC 5952 form.
 *
 * @example
 * ```ts
 * import { decodeLongAddress } from '@ftpwire/address';
 *
 * decodeLongAddress('4,4,132,235,1,2,2,24,131');
 * // => { family: 4, host: '132.235.1.2', port: 6275 }
 * decodeLongAddress('4,16,132,235,1,2,2,24,131'); // throws AddressError ERR_INVALID_LONG_ADDRESS
 * ```
 */
export function decodeLongAddress(arg: string): LongAddress {
  const end = arg.length;
  const address = readLongAddress(arg, 0, end, 'ERR_INVALID_LONG_ADDRESS');
  if (scan.end !== end) {
    throw new AddressError(
      'ERR_INVALID_LONG_ADDRESS',
      `expected the end after port byte p2, got ${quote(arg, scan.end, end)}`,
      scan.end,
    );
  }
  return address;
}

/**
 * Encodes an address as the LPRT argument `af,hal,h1,...,pal,p1,p2` (RFC 1639 §2), port
 * length 2. The family is 4 for an IPv4 host and 6 for an IPv6 host unless `family` says
 * otherwise: an IPv4-mapped IPv6 host with `family: 4` is sent as its IPv4 address.
 *
 * @example
 * ```ts
 * import { encodeLongAddress } from '@ftpwire/address';
 *
 * encodeLongAddress({ host: '132.235.1.2', port: 6275 }); // => '4,4,132,235,1,2,2,24,131'
 * encodeLongAddress({ host: '::1', port: 6275 });
 * // => '6,16,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,1,2,24,131'
 * ```
 */
export function encodeLongAddress(hp: HostPort & { readonly family?: 4 | 6 }): string {
  checkPort(hp.port);
  const parsed = parseAddress(hp.host);
  if (parsed.zone !== '') {
    throw new AddressError(
      'ERR_INVALID_HOST',
      `LPRT has no place for a zone id, got ${hp.host}`,
      0,
    );
  }
  const family = hp.family ?? parsed.family;
  const port = `2,${hp.port >>> 8},${hp.port & 255}`;
  if (family === 4) {
    const v = parsed.ipv4;
    if (v < 0) {
      throw new AddressError(
        'ERR_INVALID_HOST',
        `LPRT family 4 needs an IPv4 host, got ${hp.host}`,
        0,
      );
    }
    return `4,4,${v >>> 24},${(v >>> 16) & 255},${(v >>> 8) & 255},${v & 255},${port}`;
  }
  if (family === 6) {
    if (parsed.ipv6 === undefined) {
      throw new AddressError(
        'ERR_INVALID_HOST',
        `LPRT family 6 needs an IPv6 host, got ${hp.host}`,
        0,
      );
    }
    return `6,16,${parsed.ipv6.join(',')},${port}`;
  }
  throw new AddressError(
    'ERR_UNSUPPORTED_NETWORK_PROTOCOL',
    `address family ${String(family)} is not 4 (IPv4) or 6 (IPv6)`,
    0,
  );
}

/**
 * Reads the data address of a 228 reply to LPSV, `228 Entering Long Passive Mode
 * (af,hal,h1,...,pal,p1,p2)` (RFC 1639 §3). Like {@link parsePasvReply} it scans for the
 * first number followed by a comma and validates every field; errors are
 * `ERR_INVALID_LPSV_REPLY`, or `ERR_UNEXPECTED_REPLY_CODE` for another code than 228.
 *
 * @example
 * ```ts
 * import { parseLpsvReply } from '@ftpwire/address';
 *
 * parseLpsvReply('228 Entering Long Passive Mode (4,4,132,235,1,2,2,24,131)');
 * // => { family: 4, host: '132.235.1.2', port: 6275 }
 * parseLpsvReply('227 Entering Passive Mode (132,235,1,2,24,131)');
 * // throws AddressError ERR_UNEXPECTED_REPLY_CODE
 * ```
 */
export function parseLpsvReply(reply: string | ReplyLike): LongAddress {
  const text = replyTextOf(reply, 228);
  checkReplyCode(text, 228, 'ERR_INVALID_LPSV_REPLY');
  const start = 3;
  const end = text.length;
  const first = findTuple(text, start, end);
  if (first < 0) {
    throw new AddressError(
      'ERR_INVALID_LPSV_REPLY',
      `expected af,hal,h1,...,pal,p1,p2 in the 228 reply, got ${quote(text, 0, end)}`,
      start,
    );
  }
  const before = text.charCodeAt(first - 1);
  if (before === HYPHEN || before === COMMA) {
    throw new AddressError(
      'ERR_INVALID_LPSV_REPLY',
      `expected af before ${quote(text, first - 1, first + 12)}`,
      first - 1,
    );
  }
  const address = readLongAddress(text, first, end, 'ERR_INVALID_LPSV_REPLY');
  if (scan.end < end && text.charCodeAt(scan.end) === COMMA) {
    throw new AddressError(
      'ERR_INVALID_LPSV_REPLY',
      `expected the end of the address after port byte p2, got ${quote(text, scan.end, scan.end + 12)}`,
      scan.end,
    );
  }
  return address;
}

/**
 * Formats a 228 reply, `228 <text> (af,hal,h1,...,pal,p1,p2)` with CRLF (RFC 1639 §3). The
 * text may not contain CR, LF, NUL, parentheses or digits, for the reason given at
 * {@link formatPasvReply}.
 *
 * @param text the message before the address; default `Entering Long Passive Mode`
 * @example
 * ```ts
 * import { formatLpsvReply } from '@ftpwire/address';
 *
 * formatLpsvReply({ host: '132.235.1.2', port: 6275 });
 * // => '228 Entering Long Passive Mode (4,4,132,235,1,2,2,24,131)\r\n'
 * ```
 */
export function formatLpsvReply(hp: HostPort, text = 'Entering Long Passive Mode'): string {
  checkReplyText(text, '0123456789()', 'RFC 1123 clients scan the text for the first digit');
  return `228 ${text} (${encodeLongAddress(hp)})\r\n`;
}
