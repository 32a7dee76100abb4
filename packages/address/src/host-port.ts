import { parseAddress } from './classify.js';
import { AddressError, type AddressErrorCode } from './errors.js';
import { checkDataPort, expectChar, readDecimal, scan } from './numbers.js';

const ZERO = 0x30;
const COMMA = 0x2c;

/**
 * A data-connection address: where to connect or listen. The decoders return it with the
 * host in canonical form, so two addresses compare with `===` on their fields.
 *
 * @example
 * ```ts
 * import { decodeHostPort, encodeHostPort, type HostPort } from '@ftpwire/address';
 *
 * // A client in active mode tells the server where it listens (PORT, RFC 959 §4.1.2).
 * const listening: HostPort = { host: '192.0.2.7', port: 50000 };
 * const port = `PORT ${encodeHostPort(listening)}\r\n`;
 * port; // => 'PORT 192,0,2,7,195,80\r\n'
 * decodeHostPort('192,0,2,7,195,80'); // => listening
 * ```
 */
export interface HostPort {
  /** An IPv4 dotted quad, or an IPv6 address in RFC 5952 canonical form. */
  host: string;
  /** A TCP port, 1-65535: port 0 is never a data address. */
  port: number;
}

/**
 * Throws `ERR_INVALID_PORT` unless `port` is an integer 1-65535: the encoders never write an
 * address the decoders refuse, and port 0 is refused (see `checkDataPort`).
 */
export function checkPort(port: number): void {
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw new AddressError('ERR_INVALID_PORT', `a port must be an integer 1-65535, got ${port}`, 0);
  }
}

/**
 * The IPv4 value of a host given to an encoder: a dotted quad, or an IPv4-mapped IPv6
 * address (a dual-stack socket's view of an IPv4 address). Anything else throws
 * `ERR_INVALID_HOST`.
 */
export function ipv4OfHost(host: string, form: string): number {
  const address = parseAddress(host);
  if (address.ipv4 < 0 || address.zone !== '') {
    throw new AddressError('ERR_INVALID_HOST', `${form} carries only IPv4 hosts, got ${host}`, 0);
  }
  return address.ipv4;
}

/**
 * Decimal text of every byte, with and without the dot that follows it in a dotted quad:
 * joining four table entries is cheaper than formatting four numbers, and a 227 parse pays
 * for little else.
 */
const BYTE_DOT: readonly string[] = Array.from({ length: 256 }, (_, byte) => `${byte}.`);
const BYTE: readonly string[] = Array.from({ length: 256 }, (_, byte) => `${byte}`);

/** Where the last {@link canonicalByte} stopped. Module-local: the hot path crosses no import. */
let byteEnd = 0;

/**
 * A byte in canonical form (1-3 digits, no leading zero, at most 255) at `text[i]`, leaving
 * `byteEnd` after it; -1 for anything else.
 */
function canonicalByte(text: string, i: number): number {
  let digit = text.charCodeAt(i) - ZERO;
  // Written as "in range" so that NaN (past the end) fails too.
  if (!(digit >= 0 && digit <= 9)) return -1;
  let value = digit;
  digit = text.charCodeAt(++i) - ZERO;
  if (digit >= 0 && digit <= 9) {
    if (value === 0) return -1;
    value = value * 10 + digit;
    digit = text.charCodeAt(++i) - ZERO;
    if (digit >= 0 && digit <= 9) {
      value = value * 10 + digit;
      digit = text.charCodeAt(++i) - ZERO;
      if (value > 255 || (digit >= 0 && digit <= 9)) return -1;
    }
  }
  byteEnd = i;
  return value;
}

/**
 * The fast path of the `h1,h2,h3,h4,p1,p2` decoders: the tuple at `text[i]` in canonical
 * form (no zero padding), ending exactly at `end` when `whole`, or else not followed by a
 * comma; undefined for anything else, which the caller then reads with the validating
 * {@link readHostPort} to accept a zero-padded port byte or throw the precise error.
 */
export function readCanonicalHostPort(
  text: string,
  i: number,
  end: number,
  whole: boolean,
): HostPort | undefined {
  const h1 = canonicalByte(text, i);
  if (h1 < 0 || text.charCodeAt(byteEnd) !== COMMA) return undefined;
  const h2 = canonicalByte(text, byteEnd + 1);
  if (h2 < 0 || text.charCodeAt(byteEnd) !== COMMA) return undefined;
  const h3 = canonicalByte(text, byteEnd + 1);
  if (h3 < 0 || text.charCodeAt(byteEnd) !== COMMA) return undefined;
  const h4 = canonicalByte(text, byteEnd + 1);
  if (h4 < 0 || text.charCodeAt(byteEnd) !== COMMA) return undefined;
  const p1 = canonicalByte(text, byteEnd + 1);
  if (p1 < 0 || text.charCodeAt(byteEnd) !== COMMA) return undefined;
  const p2 = canonicalByte(text, byteEnd + 1);
  // Port 0 too goes to the validating path, which refuses it with its offset.
  if (p2 < 0 || byteEnd > end || (p1 === 0 && p2 === 0)) return undefined;
  if (whole ? byteEnd !== end : text.charCodeAt(byteEnd) === COMMA) return undefined;
  return { host: BYTE_DOT[h1]! + BYTE_DOT[h2]! + BYTE_DOT[h3]! + BYTE[h4]!, port: p1 * 256 + p2 };
}

/**
 * Reads `h1,h2,h3,h4,p1,p2` at `text[start]`, validating every field, and leaves `scan.end`
 * after `p2`. RFC 959 §4.1.2: each field is a decimal 8-bit value; none may be missing,
 * signed or over 255; the port they make may not be 0.
 */
export function readHostPort(
  text: string,
  start: number,
  end: number,
  code: AddressErrorCode,
): HostPort {
  const h1 = readDecimal(text, start, end, code, 'host byte h1', 255, true);
  expectChar(text, scan.end, end, COMMA, code, 'after h1');
  const h2 = readDecimal(text, scan.end + 1, end, code, 'host byte h2', 255, true);
  expectChar(text, scan.end, end, COMMA, code, 'after h2');
  const h3 = readDecimal(text, scan.end + 1, end, code, 'host byte h3', 255, true);
  expectChar(text, scan.end, end, COMMA, code, 'after h3');
  const h4 = readDecimal(text, scan.end + 1, end, code, 'host byte h4', 255, true);
  expectChar(text, scan.end, end, COMMA, code, 'after h4');
  const portAt = scan.end + 1;
  const p1 = readDecimal(text, portAt, end, code, 'port byte p1', 255);
  expectChar(text, scan.end, end, COMMA, code, 'after p1');
  const p2 = readDecimal(text, scan.end + 1, end, code, 'port byte p2', 255);
  const port = checkDataPort(text, p1 * 256 + p2, portAt, code);
  return { host: `${h1}.${h2}.${h3}.${h4}`, port };
}

/**
 * Decodes the `h1,h2,h3,h4,p1,p2` argument of PORT (RFC 959 §4.1.2), the same form a 227
 * reply carries. Every field must be a decimal byte: a value over 255, a sign, a missing or
 * seventh field, port 0, or anything around the six numbers throws `ERR_INVALID_HOST_PORT`
 * (nothing is masked or wrapped). Host bytes may not have a leading zero (`010` would be
 * octal 8 to `inet_aton`); port bytes may.
 *
 * @example
 * ```ts
 * import { decodeHostPort } from '@ftpwire/address';
 *
 * decodeHostPort('10,0,1,121,15,6'); // => { host: '10.0.1.121', port: 3846 }
 * decodeHostPort('10,0,1,121,015,006'); // => { host: '10.0.1.121', port: 3846 }
 * decodeHostPort('10,0,1,121,256,6'); // throws AddressError ERR_INVALID_HOST_PORT at offset 11
 * ```
 */
export function decodeHostPort(text: string): HostPort {
  const end = text.length;
  const canonical = readCanonicalHostPort(text, 0, end, true);
  if (canonical !== undefined) return canonical;
  const hostPort = readHostPort(text, 0, end, 'ERR_INVALID_HOST_PORT');
  if (scan.end !== end) {
    throw new AddressError(
      'ERR_INVALID_HOST_PORT',
      text.charCodeAt(scan.end) === COMMA
        ? 'expected six numbers, got a seventh field'
        : 'expected the end after the port byte p2',
      scan.end,
    );
  }
  return hostPort;
}

/**
 * Encodes a host and port as `h1,h2,h3,h4,p1,p2` for PORT or a 227 reply. The host must be
 * IPv4 (an IPv4-mapped IPv6 address is taken as the IPv4 address it carries); otherwise
 * `ERR_INVALID_HOST`. A port outside 1-65535 throws `ERR_INVALID_PORT`.
 *
 * @example
 * ```ts
 * import { encodeHostPort } from '@ftpwire/address';
 *
 * encodeHostPort({ host: '193.21.1.121', port: 3846 }); // => '193,21,1,121,15,6'
 * encodeHostPort({ host: '::ffff:193.21.1.121', port: 3846 }); // => '193,21,1,121,15,6'
 * encodeHostPort({ host: '2001:db8::1', port: 3846 }); // throws AddressError ERR_INVALID_HOST
 * ```
 */
export function encodeHostPort(hp: HostPort): string {
  checkPort(hp.port);
  const v = ipv4OfHost(hp.host, 'the h1,h2,h3,h4,p1,p2 form');
  return `${v >>> 24},${(v >>> 16) & 255},${(v >>> 8) & 255},${v & 255},${hp.port >>> 8},${hp.port & 255}`;
}
