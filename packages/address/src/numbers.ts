import { AddressError, type AddressErrorCode, quote } from './errors.js';

const ZERO = 0x30;
const NINE = 0x39;
const HYPHEN = 0x2d;

/** Where the last {@link readDecimal} stopped: one past its last digit. */
export const scan: { end: number } = { end: 0 };

export function isDigit(unit: number): boolean {
  return unit >= ZERO && unit <= NINE;
}

/**
 * Reads the decimal number at `text[i]` (digits up to `end`), checks it against `max` and
 * leaves `scan.end` one past its last digit. Never wraps or masks: a value over `max`, a sign,
 * or no digit at all throws `code` at the number.
 *
 * `hostByte` forbids a leading zero: the callers' host bytes become dotted-quad text that
 * `inet_aton` would read as octal (`010` is 8), so the same reply would reach different
 * hosts in different clients. Ports and counts stay decimal whatever their zeros.
 */
export function readDecimal(
  text: string,
  i: number,
  end: number,
  code: AddressErrorCode,
  what: string,
  max: number,
  hostByte = false,
): number {
  const start = i;
  let value = 0;
  while (i < end) {
    const unit = text.charCodeAt(i);
    if (unit < ZERO || unit > NINE) break;
    // Saturate instead of growing: a megabyte of digits is still only compared once.
    if (value <= max) value = value * 10 + (unit - ZERO);
    i++;
  }
  if (i === start) {
    const unit = i < end ? text.charCodeAt(i) : -1;
    throw new AddressError(
      code,
      unit === HYPHEN
        ? `${what} is negative: ${quote(text, i, Math.min(end, i + 12))}`
        : `expected ${what}, got ${i < end ? quote(text, i, end) : 'the end'}`,
      i,
    );
  }
  if (value > max) {
    throw new AddressError(
      code,
      `${what} ${quote(text, start, Math.min(i, start + 20))} is over ${max}`,
      start,
    );
  }
  if (hostByte && i - start > 1 && text.charCodeAt(start) === ZERO) {
    throw new AddressError(
      code,
      `${what} ${quote(text, start, i)} has a leading zero (octal to inet_aton, decimal to RFC 959)`,
      start,
    );
  }
  scan.end = i;
  return value;
}

/**
 * Returns `port` unless it is 0, which throws `code` at `at`. TCP port 0 is reserved (RFC
 * 6335 §6): no data connection can be made to it, and a PORT, EPRT or passive reply that names
 * it comes from a broken or hostile peer. The Linux nf_conntrack_ftp helper and ProFTPD refuse
 * it too.
 */
export function checkDataPort(
  text: string,
  port: number,
  at: number,
  code: AddressErrorCode,
): number {
  if (port === 0) {
    throw new AddressError(
      code,
      `port 0 is not a data port (reserved), got ${quote(text, at, at + 12)}`,
      at,
    );
  }
  return port;
}

/** Throws `code` unless `text[i]` is the character `unit`. */
export function expectChar(
  text: string,
  i: number,
  end: number,
  unit: number,
  code: AddressErrorCode,
  what: string,
): void {
  if (i >= end || text.charCodeAt(i) !== unit) {
    throw new AddressError(
      code,
      `expected "${String.fromCharCode(unit)}" ${what}, got ${i < end ? quote(text, i, end) : 'the end'}`,
      i,
    );
  }
}
