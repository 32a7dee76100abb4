import { AddressError, type AddressErrorCode, quote } from './errors.js';
import { ipv4Text, readIPv4 } from './ipv4.js';

const COLON = 0x3a;
const DOT = 0x2e;
const PERCENT = 0x25;
/** Longest IPv6 text: six 4-digit groups, then a dotted quad (`ffff:...:ffff:255.255.255.255`). */
const MAX_TEXT = 45;

function hexValue(unit: number): number {
  if (unit >= 0x30 && unit <= 0x39) return unit - 0x30;
  const lower = unit | 0x20;
  if (lower >= 0x61 && lower <= 0x66) return lower - 0x61 + 10;
  return -1;
}

function describe(text: string, at: number, end: number): string {
  return at >= end ? 'the end' : quote(text, at, end);
}

/**
 * Reads an IPv6 address in `text[start, end)` in any RFC 4291 §2.2 text form (full, `::`
 * compressed, embedded dotted quad in the last 32 bits, either case) into 16 bytes, or
 * throws `code` at the offending character. A zone id (`%eth0`, RFC 4007 §11) is refused:
 * the FTP address forms have no place for one.
 */
export function readIPv6(
  text: string,
  start: number,
  end: number,
  code: AddressErrorCode = 'ERR_INVALID_IPV6',
): Uint8Array {
  const bytes = new Uint8Array(16);
  if (end - start > MAX_TEXT) {
    throw new AddressError(
      code,
      `an IPv6 address has at most ${MAX_TEXT} characters, got ${end - start}`,
      start,
    );
  }
  // Groups before "::" fill from the front; those after it are collected and moved to the back.
  const groups: number[] = [];
  let compressAt = -1;
  let i = start;
  if (i + 1 < end && text.charCodeAt(i) === COLON && text.charCodeAt(i + 1) === COLON) {
    compressAt = 0;
    i += 2;
  }
  while (i < end || (compressAt < 0 && groups.length === 0)) {
    const groupStart = i;
    let value = 0;
    while (i < end) {
      const digit = hexValue(text.charCodeAt(i));
      if (digit < 0) break;
      if (i - groupStart === 4) {
        throw new AddressError(code, 'an IPv6 group has more than 4 hex digits', groupStart);
      }
      value = value * 16 + digit;
      i++;
    }
    if (i < end && text.charCodeAt(i) === DOT) {
      // RFC 4291 §2.2 form 3: the last 32 bits as a dotted quad.
      if (groups.length > 6) {
        throw new AddressError(
          code,
          'an embedded IPv4 address leaves no room in 128 bits',
          groupStart,
        );
      }
      const v4 = readIPv4(text, groupStart, end, code);
      groups.push(v4 >>> 16, v4 & 0xffff);
      i = end;
      break;
    }
    if (i === groupStart) {
      const unit = text.charCodeAt(i);
      throw new AddressError(
        code,
        i < end && unit === PERCENT
          ? `a zone id ${quote(text, i, end)} has no place in this address`
          : `expected an IPv6 hex group, got ${describe(text, i, end)}`,
        i,
      );
    }
    groups.push(value);
    if (groups.length > 8) {
      throw new AddressError(code, 'an IPv6 address has more than 8 groups', groupStart);
    }
    if (i === end) break;
    const unit = text.charCodeAt(i);
    if (unit !== COLON) {
      throw new AddressError(
        code,
        unit === PERCENT
          ? `a zone id ${quote(text, i, end)} has no place in this address`
          : `expected ":" in an IPv6 address, got ${quote(text, i, end)}`,
        i,
      );
    }
    i++;
    if (i < end && text.charCodeAt(i) === COLON) {
      if (compressAt >= 0) {
        throw new AddressError(code, 'an IPv6 address may hold "::" only once', i - 1);
      }
      compressAt = groups.length;
      i++;
    } else if (i === end) {
      throw new AddressError(code, 'an IPv6 address cannot end in a single ":"', i - 1);
    }
  }
  if (compressAt < 0) {
    if (groups.length !== 8) {
      throw new AddressError(
        code,
        `an IPv6 address without "::" has 8 groups, got ${groups.length}`,
        start,
      );
    }
  } else if (groups.length > 7) {
    // RFC 4291 §2.2: "::" stands for one or more groups of zeros.
    throw new AddressError(code, '"::" must stand for at least one zero group', start);
  }
  const tail = groups.length - (compressAt < 0 ? groups.length : compressAt);
  for (let g = 0; g < groups.length; g++) {
    const slot = g < groups.length - tail ? g : 8 - (groups.length - g);
    const value = groups[g]!;
    bytes[slot * 2] = value >>> 8;
    bytes[slot * 2 + 1] = value & 255;
  }
  return bytes;
}

/** Whether 16 bytes are an IPv4-mapped IPv6 address, `::ffff:0:0/96` (RFC 4291 §2.5.5.2). */
export function isMappedBytes(bytes: Uint8Array): boolean {
  for (let i = 0; i < 10; i++) if (bytes[i] !== 0) return false;
  return bytes[10] === 0xff && bytes[11] === 0xff;
}

/** The RFC 5952 text of 16 bytes (assumed 16 long). */
export function ipv6Text(bytes: Uint8Array): string {
  if (isMappedBytes(bytes)) {
    // RFC 5952 §5: mixed notation is recommended for the well-known IPv4-mapped prefix.
    return `::ffff:${ipv4Text(((bytes[12]! << 24) | (bytes[13]! << 16) | (bytes[14]! << 8) | bytes[15]!) >>> 0)}`;
  }
  // RFC 5952 §4.2: shorten the longest run of two or more zero groups, the first on a tie.
  let bestStart = -1;
  let bestLength = 1;
  let runStart = -1;
  for (let g = 0; g <= 8; g++) {
    const zero = g < 8 && bytes[g * 2] === 0 && bytes[g * 2 + 1] === 0;
    if (zero) {
      if (runStart < 0) runStart = g;
    } else if (runStart >= 0) {
      if (g - runStart > bestLength) {
        bestStart = runStart;
        bestLength = g - runStart;
      }
      runStart = -1;
    }
  }
  let text = '';
  let separate = false;
  for (let g = 0; g < 8; g++) {
    if (g === bestStart) {
      text += '::';
      g += bestLength - 1;
      separate = false;
      continue;
    }
    if (separate) text += ':';
    separate = true;
    // RFC 5952 §4.1 and §4.3: no leading zeros, lowercase hex. Two table lookups per group:
    // Number#toString(16) costs several times more, and a PROXY header formats two addresses.
    const high = bytes[g * 2]!;
    const low = bytes[g * 2 + 1]!;
    text += high === 0 ? HEX[low]! : HEX[high]! + HEX_PADDED[low]!;
  }
  return text;
}

/** Lowercase hex of a byte without leading zeros, and with them (two digits). */
const HEX: readonly string[] = Array.from({ length: 256 }, (_, byte) => byte.toString(16));
const HEX_PADDED: readonly string[] = HEX.map((hex) => hex.padStart(2, '0'));

/**
 * Parses an IPv6 address in any RFC 4291 text form (`::` compression, an embedded dotted
 * quad in the last 32 bits, any case) into its 16 bytes. Refuses zone ids (`fe80::1%eth0`),
 * which no FTP address form carries; strip one yourself if you parse a socket address.
 *
 * @example
 * ```ts
 * import { parseIPv6 } from '@ftpwire/address';
 *
 * parseIPv6('1080::8:800:200C:417A');
 * // => Uint8Array.of(0x10, 0x80, 0, 0, 0, 0, 0, 0, 0, 8, 8, 0, 0x20, 0x0c, 0x41, 0x7a)
 * parseIPv6('::ffff:192.0.2.1');
 * // => Uint8Array.of(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 255, 255, 192, 0, 2, 1)
 * parseIPv6('fe80::1%eth0'); // throws AddressError ERR_INVALID_IPV6
 * ```
 */
export function parseIPv6(text: string): Uint8Array {
  return readIPv6(text, 0, text.length);
}

/**
 * Formats 16 bytes as an IPv6 address in RFC 5952 canonical form: lowercase, no leading
 * zeros, the longest run of two or more zero groups as `::` (the first on a tie), and
 * IPv4-mapped addresses as `::ffff:a.b.c.d` (RFC 5952 §5).
 *
 * @example
 * ```ts
 * import { formatIPv6, parseIPv6 } from '@ftpwire/address';
 *
 * formatIPv6(parseIPv6('2001:0DB8:0:0:0:0:0:0001')); // => '2001:db8::1'
 * // A single zero group stays (RFC 5952 §4.2.2):
 * formatIPv6(parseIPv6('2001:db8:0:1:1:1:1:1')); // => '2001:db8:0:1:1:1:1:1'
 * formatIPv6(Uint8Array.of(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 255, 255, 10, 0, 0, 1));
 * // => '::ffff:10.0.0.1'
 * ```
 */
export function formatIPv6(bytes: Uint8Array): string {
  if (bytes.length !== 16) {
    throw new AddressError(
      'ERR_INVALID_IPV6',
      `an IPv6 address has 16 bytes, got ${bytes.length}`,
      0,
    );
  }
  return ipv6Text(bytes);
}

/**
 * Rewrites any IPv6 text form in RFC 5952 canonical form.
 *
 * @example
 * ```ts
 * import { canonicalIPv6 } from '@ftpwire/address';
 *
 * canonicalIPv6('2001:DB8:0000:0000:0000:0000:0000:0001'); // => '2001:db8::1'
 * canonicalIPv6('2001:db8:0:0:1:0:0:1'); // => '2001:db8::1:0:0:1'
 * ```
 */
export function canonicalIPv6(text: string): string {
  return ipv6Text(readIPv6(text, 0, text.length));
}

/**
 * Whether `text` is an IPv6 address without a zone id (as {@link parseIPv6} accepts).
 *
 * @example
 * ```ts
 * import { isIPv6 } from '@ftpwire/address';
 *
 * isIPv6('::1'); // => true
 * isIPv6('fe80::1%eth0'); // => false
 * isIPv6('1:2:3:4:5:6:7:8:9'); // => false
 * ```
 */
export function isIPv6(text: string): boolean {
  try {
    readIPv6(text, 0, text.length);
    return true;
  } catch {
    return false;
  }
}
