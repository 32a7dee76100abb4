import { AddressError, type AddressErrorCode, quote } from './errors.js';

const ZERO = 0x30;
const NINE = 0x39;
const DOT = 0x2e;

/**
 * Reads a strict dotted quad in `text[start, end)` and returns it as an unsigned 32-bit
 * number, or throws `code` at the offending character.
 *
 * Strict means exactly four decimal octets of 1-3 digits, each 0-255, and no leading zero:
 * `inet_aton` (glibc, hence CPython and Node's resolver) reads `010` as octal 8 and `1.2.3`
 * or `0x7f.1` as valid, so any of these would reach different hosts in different programs.
 */
export function readIPv4(
  text: string,
  start: number,
  end: number,
  code: AddressErrorCode = 'ERR_INVALID_IPV4',
): number {
  let value = 0;
  let i = start;
  for (let octet = 0; octet < 4; octet++) {
    if (octet > 0) {
      if (i >= end || text.charCodeAt(i) !== DOT) {
        throw new AddressError(
          code,
          `expected "." before octet ${octet + 1} of an IPv4 address, got ${describe(text, i, end)}`,
          i,
        );
      }
      i++;
    }
    const digitsStart = i;
    let number = 0;
    while (i < end) {
      const unit = text.charCodeAt(i);
      if (unit < ZERO || unit > NINE) break;
      if (i - digitsStart === 3) {
        throw new AddressError(code, `IPv4 octet ${octet + 1} has more than 3 digits`, digitsStart);
      }
      number = number * 10 + (unit - ZERO);
      i++;
    }
    if (i === digitsStart) {
      throw new AddressError(
        code,
        `expected a decimal octet ${octet + 1} of an IPv4 address, got ${describe(text, i, end)}`,
        i,
      );
    }
    if (number > 255) {
      throw new AddressError(code, `IPv4 octet ${octet + 1} is ${number}, over 255`, digitsStart);
    }
    if (i - digitsStart > 1 && text.charCodeAt(digitsStart) === ZERO) {
      throw new AddressError(
        code,
        `IPv4 octet ${octet + 1} ${quote(text, digitsStart, i)} has a leading zero (octal to inet_aton)`,
        digitsStart,
      );
    }
    value = value * 256 + number;
  }
  if (i < end) {
    throw new AddressError(
      code,
      `expected the end of an IPv4 address, got ${describe(text, i, end)}`,
      i,
    );
  }
  return value;
}

function describe(text: string, at: number, end: number): string {
  return at >= end ? 'the end' : quote(text, at, end);
}

/** Dotted-quad text of an unsigned 32-bit IPv4 value. */
export function ipv4Text(value: number): string {
  return `${value >>> 24}.${(value >>> 16) & 255}.${(value >>> 8) & 255}.${value & 255}`;
}

/**
 * Parses a strict dotted-quad IPv4 address into its 4 bytes, network order. Refuses
 * leading zeros (`010` is octal 8 to `inet_aton`), octets over 255, fewer or more than
 * four parts, and anything around the address.
 *
 * @example
 * ```ts
 * import { parseIPv4 } from '@ftpwire/address';
 *
 * parseIPv4('192.0.2.1'); // => Uint8Array.of(192, 0, 2, 1)
 * parseIPv4('192.0.2.01'); // throws AddressError ERR_INVALID_IPV4 at offset 8
 * parseIPv4('3221225985'); // throws AddressError ERR_INVALID_IPV4
 * ```
 */
export function parseIPv4(text: string): Uint8Array {
  const value = readIPv4(text, 0, text.length);
  return new Uint8Array([value >>> 24, (value >>> 16) & 255, (value >>> 8) & 255, value & 255]);
}

/**
 * Formats 4 bytes as a dotted-quad IPv4 address.
 *
 * @example
 * ```ts
 * import { formatIPv4 } from '@ftpwire/address';
 *
 * formatIPv4(new Uint8Array([10, 0, 1, 121])); // => '10.0.1.121'
 * formatIPv4(new Uint8Array(16)); // throws AddressError ERR_INVALID_IPV4
 * ```
 */
export function formatIPv4(bytes: Uint8Array): string {
  if (bytes.length !== 4) {
    throw new AddressError(
      'ERR_INVALID_IPV4',
      `an IPv4 address has 4 bytes, got ${bytes.length}`,
      0,
    );
  }
  return `${bytes[0]}.${bytes[1]}.${bytes[2]}.${bytes[3]}`;
}

/**
 * Whether `text` is a strict dotted-quad IPv4 address (as {@link parseIPv4} accepts).
 *
 * @example
 * ```ts
 * import { isIPv4 } from '@ftpwire/address';
 *
 * isIPv4('10.0.0.1'); // => true
 * isIPv4('10.1'); // => false
 * isIPv4('010.0.0.1'); // => false
 * ```
 */
export function isIPv4(text: string): boolean {
  try {
    readIPv4(text, 0, text.length);
    return true;
  } catch {
    return false;
  }
}
