const ZERO = 0x30;
const NINE = 0x39;
const COMMA = 0x2c;
const HYPHEN = 0x2d;

function isDigit(byte: number): boolean {
  return byte >= ZERO && byte <= NINE;
}

/**
 * Where {@link readPasvTuple} or {@link readPortArgument} found the address: offsets of the
 * first number, the end of h4 and the end of p2, and the values. Each caller keeps one and
 * passes it in: no object per call, though a 227 can come every few hundred bytes.
 */
export class Tuple {
  first = 0;
  hostEnd = 0;
  end = 0;
  host = 0;
  port = 0;
}

/**
 * Reads `h1,h2,h3,h4,p1,p2` at `bytes[i]` as `@ftpwire/address` does (RFC 959 §4.1.2): six
 * decimal numbers up to 255 separated by single commas, host bytes without a leading zero
 * (`010` is octal 8 to `inet_aton`), a port other than 0. Fills `tuple` and returns true, or
 * returns false.
 */
function readSix(bytes: Uint8Array, i: number, stop: number, tuple: Tuple): boolean {
  let host = 0;
  let port = 0;
  for (let field = 0; field < 6; field++) {
    if (field > 0) {
      if (i >= stop || bytes[i] !== COMMA) return false;
      i++;
    }
    const digits = i;
    let value = 0;
    for (; i < stop; i++) {
      const byte = bytes[i]!;
      if (byte < ZERO || byte > NINE) break;
      // Saturate: a run of digits is still read once, and is over 255 either way.
      if (value <= 255) value = value * 10 + byte - ZERO;
    }
    if (i === digits || value > 255) return false;
    if (field < 4) {
      if (i - digits > 1 && bytes[digits] === ZERO) return false;
      host = host * 256 + value;
      if (field === 3) tuple.hostEnd = i;
    } else {
      port = port * 256 + value;
    }
  }
  // Port 0 is never a data port: @ftpwire/address refuses it, so it is no address here either.
  if (port === 0) return false;
  tuple.end = i;
  tuple.host = host;
  tuple.port = port;
  return true;
}

/**
 * Reads the address of the 227 line `bytes[start, stop)` (terminator excluded) into `tuple`, exactly as
 * `parsePasvReply` does, without making strings: RFC 1123 §4.1.2.6 says to scan the text,
 * and the tuple starts at the first number followed by a comma; it may not follow `-` or
 * `,` nor be followed by a seventh number. Returns false wherever `parsePasvReply` throws.
 */
export function readPasvTuple(
  bytes: Uint8Array,
  start: number,
  stop: number,
  tuple: Tuple,
): boolean {
  // The first number followed by a comma ends at the first comma that follows a digit.
  // (A byte loop, not indexOf: that would search past the line to the end of the chunk.)
  let first = -1;
  for (let i = start + 4; i < stop; i++) {
    if (bytes[i] !== COMMA) continue;
    let run = i;
    while (run > start + 3 && isDigit(bytes[run - 1]!)) run--;
    if (run < i) {
      first = run;
      break;
    }
  }
  if (first < 0) return false;
  const before = bytes[first - 1];
  if (before === HYPHEN || before === COMMA) return false;
  if (!readSix(bytes, first, stop, tuple)) return false;
  if (tuple.end < stop && bytes[tuple.end] === COMMA) return false;
  tuple.first = first;
  return true;
}

/** Reads a PORT argument `bytes[start, stop)` exactly as `decodeHostPort` does: six numbers and nothing else. */
export function readPortArgument(
  bytes: Uint8Array,
  start: number,
  stop: number,
  tuple: Tuple,
): boolean {
  if (!readSix(bytes, start, stop, tuple) || tuple.end !== stop) return false;
  tuple.first = start;
  return true;
}

/** Dotted-quad text of an unsigned 32-bit IPv4 value. */
export function ipv4Text(value: number): string {
  return `${value >>> 24}.${(value >>> 16) & 255}.${(value >>> 8) & 255}.${value & 255}`;
}

/** Writes the decimal digits of `value` (0-65535) at `out[at]`; returns the index after them. */
export function writeDecimal(out: Uint8Array, at: number, value: number): number {
  if (value >= 10000) out[at++] = ZERO + Math.floor(value / 10000);
  if (value >= 1000) out[at++] = ZERO + (Math.floor(value / 1000) % 10);
  if (value >= 100) out[at++] = ZERO + (Math.floor(value / 100) % 10);
  if (value >= 10) out[at++] = ZERO + (Math.floor(value / 10) % 10);
  out[at++] = ZERO + (value % 10);
  return at;
}

/** Number of decimal digits of `value` (0-65535). */
export function decimalLength(value: number): number {
  return value >= 10000 ? 5 : value >= 1000 ? 4 : value >= 100 ? 3 : value >= 10 ? 2 : 1;
}
