import { formatIPv6, type HostPort, parseIPv6 } from '@ftpwire/address';
import { crc32c } from './crc32c.js';
import { ProxyError, quote } from './errors.js';

/**
 * The PROXY protocol of HAProxy (`doc/proxy-protocol.txt`, versions 1 and 2): the header a load
 * balancer puts before a relayed connection's first byte to say whose connection it is. Parsed
 * here without I/O, in one pass over at most the bytes the specification allows a header (107
 * for version 1, 16 + 65535 for version 2), so a peer cannot make the proxy hold more.
 */

/**
 * The 12 bytes every version 2 header starts with (§2.2); a NUL and `QUIT\n` make FTP servers
 * hang up.
 *
 * @example
 * ```ts
 * import { formatProxyHeader, PROXY_V2_SIGNATURE } from '@ftpwire/proxy';
 *
 * const header = formatProxyHeader({ version: 2 });
 * PROXY_V2_SIGNATURE.length; // => 12
 * PROXY_V2_SIGNATURE.every((byte, i) => header[i] === byte); // => true
 * ```
 */
export const PROXY_V2_SIGNATURE: Uint8Array = Uint8Array.of(
  0x0d,
  0x0a,
  0x0d,
  0x0a,
  0x00,
  0x0d,
  0x0a,
  0x51,
  0x55,
  0x49,
  0x54,
  0x0a,
);
/** `PROXY `: a version 1 header (§2.1). */
const V1_SIGNATURE = Uint8Array.of(0x50, 0x52, 0x4f, 0x58, 0x59, 0x20);
/** §2.1: "PROXY UNKNOWN ffff:...:ffff ffff:...:ffff 65535 65535\r\n", the worst case. */
export const PROXY_V1_MAX_LENGTH = 107;
/** §2.2: the fixed part; the 16-bit length that ends it counts the bytes that follow. */
const V2_FIXED = 16;
export const PROXY_V2_MAX_LENGTH: number = V2_FIXED + 0xffff;
const CR = 0x0d;
const LF = 0x0a;
const SPACE = 0x20;
const DOT = 0x2e;
/** §2.2.3 */
const TLV_CRC32C = 0x03;

/**
 * A type-length-value entry of a version 2 header (§2.2): ALPN (1), authority (2), CRC32C (3),
 * no-op (4), unique ID (5), SSL (0x20), network namespace (0x30), or an application's own.
 *
 * @example
 * ```ts
 * import { formatProxyHeader, parseProxyHeader, type ProxyHeaderTlv } from '@ftpwire/proxy';
 *
 * // HAProxy's `unique-id` (type 5) correlates the proxy's log with the balancer's.
 * const uniqueId: ProxyHeaderTlv = { type: 5, value: new TextEncoder().encode('a1b2') };
 * const header = parseProxyHeader(
 *   formatProxyHeader({
 *     version: 2,
 *     source: { host: '198.51.100.7', port: 50000 },
 *     destination: { host: '203.0.113.1', port: 21 },
 *     tlvs: [uniqueId],
 *   }),
 * );
 * new TextDecoder().decode(header?.tlvs.find((tlv) => tlv.type === 5)?.value); // => 'a1b2'
 * ```
 */
export interface ProxyHeaderTlv {
  /** 0-255; §2.2.8 reserves 0xE0-0xEF for applications. */
  readonly type: number;
  /** The TLV's value, a copy of its bytes. */
  readonly value: Uint8Array;
}

/**
 * A PROXY protocol header as read. `source` and `destination` are set when it relays a TCP
 * connection over IPv4 or IPv6; otherwise (version 2 `LOCAL`, a load balancer's own health
 * check; version 1 `UNKNOWN`; a family the proxy does not relay, such as UDP or AF_UNIX) the
 * connection's own addresses apply, as §2.1 and §2.2 say.
 *
 * @example
 * ```ts
 * import { type ProxyHeader, parseProxyHeader } from '@ftpwire/proxy';
 *
 * const bytes = new TextEncoder().encode('PROXY TCP4 198.51.100.7 203.0.113.1 50000 21\r\nUSER');
 * const header: ProxyHeader | undefined = parseProxyHeader(bytes);
 * header?.source; // => { host: '198.51.100.7', port: 50000 }
 * header?.length; // => 46
 * // The client's own bytes start after the header.
 * new TextDecoder().decode(bytes.subarray(header?.length)); // => 'USER'
 * ```
 */
export interface ProxyHeader {
  /** 1 for the text header, 2 for the binary one. */
  readonly version: 1 | 2;
  /** `proxy`: on behalf of a client; `local`: the sender's own connection (v2 LOCAL, v1 UNKNOWN). */
  readonly command: 'proxy' | 'local';
  /** The client's address and port, when the header carries TCP addresses. */
  readonly source: HostPort | undefined;
  /** The address and port the client connected to, when the header carries TCP addresses. */
  readonly destination: HostPort | undefined;
  /** Version 2 TLVs in order (a verified CRC32C included); empty for version 1. */
  readonly tlvs: readonly ProxyHeaderTlv[];
  /** Bytes the header took: what follows is the relayed connection's own. */
  readonly length: number;
}

function malformed(message: string, offset: number): ProxyError {
  return new ProxyError('ERR_PROXY_HEADER', message, offset);
}

/**
 * Reads the PROXY protocol header (version 1 or 2) at the start of `bytes`. Returns undefined
 * while `bytes` is a prefix of a header that may still turn out valid ("need more"), the header
 * once it is whole (its `length` says where the connection's own bytes begin), and throws
 * `ProxyError` `ERR_PROXY_HEADER` at the first byte that cannot belong to a valid header:
 * anything else at the start (a connection without a header), a version 1 line without CRLF in
 * 107 bytes, a bare CR or LF, leading zeros, an address of the wrong family, a version or
 * command §2.2 leaves unassigned, an address block shorter than its family's, a TLV running past
 * the header, a CRC32C that does not match. Linear in the header, never reading past it.
 *
 * @example
 * ```ts
 * import { PROXY_V2_SIGNATURE, parseProxyHeader } from '@ftpwire/proxy';
 *
 * const text = (line: string) => new TextEncoder().encode(line);
 * parseProxyHeader(text('PROXY TCP6 2001:db8::7 2001:db8::1 50000 21\r\n'))?.source;
 * // => { host: '2001:db8::7', port: 50000 }
 * parseProxyHeader(text('PROXY TCP4 198.51.100.7')); // => undefined
 * parseProxyHeader(PROXY_V2_SIGNATURE.subarray(0, 5)); // => undefined
 * parseProxyHeader(text('PROXY UNKNOWN\r\n'))?.command; // => 'local'
 * parseProxyHeader(text('USER anonymous\r\n')); // throws ProxyError ERR_PROXY_HEADER at offset 0
 * parseProxyHeader(text('PROXY TCP4 198.51.100.07 203.0.113.1 50000 21\r\n'));
 * // throws ProxyError ERR_PROXY_HEADER at offset 22 (the octet with a leading zero)
 * ```
 */
export function parseProxyHeader(bytes: Uint8Array): ProxyHeader | undefined {
  if (bytes.length === 0) return undefined;
  if (bytes[0] === V1_SIGNATURE[0]) return parseV1(bytes);
  if (bytes[0] === PROXY_V2_SIGNATURE[0]) return parseV2(bytes);
  throw malformed(`expected a PROXY protocol header, got ${quote(latin1(bytes, 0, 12))}`, 0);
}

/**
 * How many bytes the header at the start of `bytes` needs in all, as far as the bytes tell:
 * the exact length of a version 2 header once its fixed 16 bytes are in, else a lower bound.
 * Lets a reader skip re-parsing until enough has come.
 */
export function proxyHeaderNeeds(bytes: Uint8Array): number {
  if (bytes.length >= V2_FIXED && bytes[0] === PROXY_V2_SIGNATURE[0]) {
    return V2_FIXED + ((bytes[14]! << 8) | bytes[15]!);
  }
  return bytes.length + 1;
}

function matchPrefix(bytes: Uint8Array, signature: Uint8Array, what: string): boolean {
  const n = Math.min(bytes.length, signature.length);
  for (let i = 0; i < n; i++) {
    if (bytes[i] !== signature[i]) {
      throw malformed(`expected ${what}, got ${quote(latin1(bytes, 0, signature.length))}`, i);
    }
  }
  return bytes.length >= signature.length;
}

// --- version 1 -------------------------------------------------------------------------------

function parseV1(bytes: Uint8Array): ProxyHeader | undefined {
  if (!matchPrefix(bytes, V1_SIGNATURE, 'a PROXY protocol header ("PROXY ")')) return undefined;
  // §2.1: "If the CRLF sequence is not found in the first 107 characters, the receiver should
  // declare the line invalid": the CR may be at index 105 at the latest.
  const lastCr = PROXY_V1_MAX_LENGTH - 2;
  const limit = Math.min(bytes.length, lastCr + 1);
  let end = -1;
  for (let i = V1_SIGNATURE.length; i < limit; i++) {
    const byte = bytes[i]!;
    // §2.1: "The receiver must not tolerate a single CR or LF character to end the line".
    if (byte === LF) throw malformed('a PROXY line ended with LF without CR', i);
    if (byte === CR) {
      if (i + 1 === bytes.length) return undefined;
      if (bytes[i + 1] !== LF) throw malformed('a CR in a PROXY line not followed by LF', i);
      end = i;
      break;
    }
  }
  if (end < 0) {
    if (bytes.length <= lastCr) return undefined;
    throw malformed(`no CRLF within the ${PROXY_V1_MAX_LENGTH} bytes of a PROXY line`, limit);
  }
  const length = end + 2;
  const fields = splitFields(bytes, V1_SIGNATURE.length, end);
  const protocol = fields[0]!;
  if (isWord(bytes, protocol, UNKNOWN)) {
    // §2.1: "the receiver must ignore anything presented before the CRLF is found".
    return {
      version: 1,
      command: 'local',
      source: undefined,
      destination: undefined,
      tlvs: [],
      length,
    };
  }
  const family = isWord(bytes, protocol, TCP4) ? 4 : isWord(bytes, protocol, TCP6) ? 6 : 0;
  if (family === 0) {
    throw malformed(
      `expected TCP4, TCP6 or UNKNOWN, got ${quote(latin1(bytes, protocol.start, protocol.end))}`,
      protocol.start,
    );
  }
  if (fields.length !== 5) {
    throw malformed(
      `a TCP${family} PROXY line has 4 fields after TCP${family}, got ${fields.length - 1}`,
      protocol.start,
    );
  }
  return {
    version: 1,
    command: 'proxy',
    source: { host: readV1Address(bytes, fields[1]!, family), port: readV1Port(bytes, fields[3]!) },
    destination: {
      host: readV1Address(bytes, fields[2]!, family),
      port: readV1Port(bytes, fields[4]!),
    },
    tlvs: [],
    length,
  };
}

const UNKNOWN = ascii('UNKNOWN');
const TCP4 = ascii('TCP4');
const TCP6 = ascii('TCP6');

function ascii(text: string): Uint8Array {
  return Uint8Array.from(text, (char) => char.charCodeAt(0));
}

/** A field as byte offsets: no string is made of a line until a value needs one. */
interface Field {
  readonly start: number;
  readonly end: number;
}

function isWord(bytes: Uint8Array, field: Field, word: Uint8Array): boolean {
  if (field.end - field.start !== word.length) return false;
  for (let i = 0; i < word.length; i++) if (bytes[field.start + i] !== word[i]) return false;
  return true;
}

/** §2.1: fields separated by exactly one space each, none empty. */
function splitFields(bytes: Uint8Array, start: number, end: number): Field[] {
  const fields: Field[] = [];
  let at = start;
  for (let i = start; i <= end; i++) {
    if (i < end && bytes[i] !== SPACE) continue;
    if (i === at) throw malformed('an empty field (two spaces, or a space at an end)', i);
    fields.push({ start: at, end: i });
    at = i + 1;
  }
  return fields;
}

function readV1Address(bytes: Uint8Array, field: Field, family: 4 | 6): string {
  if (family === 4) {
    // A strict dotted quad is its own canonical text: read in place, the text made once.
    return readDottedQuad(bytes, field);
  }
  const text = latin1(bytes, field.start, field.end);
  try {
    return formatIPv6(parseIPv6(text));
  } catch (error) {
    const within = (error as { offset?: number }).offset ?? 0;
    throw malformed(
      `expected an IPv6 address, got ${quote(text)}: ${(error as Error).message}`,
      field.start + within,
    );
  }
}

/**
 * §2.1: "exactly 4 integers in the range [0..255] ... separated by exactly one dot ... Heading
 * zeroes are not permitted" (`010` is octal 8 to inet_aton).
 */
function readDottedQuad(bytes: Uint8Array, field: Field): string {
  let at = field.start;
  let text = '';
  for (let octet = 0; octet < 4; octet++) {
    if (octet > 0) {
      if (at >= field.end || bytes[at] !== DOT) {
        throw malformed(`expected "." before octet ${octet + 1} of an IPv4 address`, at);
      }
      at++;
    }
    const digits = at;
    let value = 0;
    while (at < field.end && at - digits < 3) {
      const digit = bytes[at]! - 0x30;
      if (digit < 0 || digit > 9) break;
      value = value * 10 + digit;
      at++;
    }
    if (at === digits)
      throw malformed(`expected a decimal octet ${octet + 1} of an IPv4 address`, at);
    if (value > 255 || (at - digits > 1 && bytes[digits] === 0x30)) {
      throw malformed(`IPv4 octet ${octet + 1} is over 255 or has a leading zero`, digits);
    }
    text = octet === 0 ? `${value}` : `${text}.${value}`;
  }
  if (at !== field.end) throw malformed('expected the end of an IPv4 address', at);
  return text;
}

function readV1Port(bytes: Uint8Array, field: Field): number {
  let port = 0;
  for (let i = field.start; i < field.end; i++) {
    const digit = bytes[i]! - 0x30;
    if (digit < 0 || digit > 9 || i - field.start >= 5) {
      throw malformed(
        `expected a decimal port 0-65535, got ${quote(latin1(bytes, field.start, field.end))}`,
        i,
      );
    }
    port = port * 10 + digit;
  }
  if ((field.end - field.start > 1 && bytes[field.start] === 0x30) || port > 65535) {
    throw malformed(
      `expected a port 0-65535 without a leading zero, got ${quote(latin1(bytes, field.start, field.end))}`,
      field.start,
    );
  }
  return port;
}

// --- version 2 -------------------------------------------------------------------------------

/** Bytes of the address block by family (§2.2): unspecified, IPv4, IPv6, AF_UNIX. */
const ADDRESS_LENGTH = [0, 12, 36, 216] as const;

function parseV2(bytes: Uint8Array): ProxyHeader | undefined {
  if (!matchPrefix(bytes, PROXY_V2_SIGNATURE, 'a PROXY protocol version 2 signature')) {
    return undefined;
  }
  if (bytes.length <= 12) return undefined;
  const versionCommand = bytes[12]!;
  // §2.2: "it must always be sent as \x2 and the receiver must only accept this value".
  if (versionCommand >> 4 !== 2) {
    throw malformed(`PROXY protocol version ${versionCommand >> 4}, expected 2`, 12);
  }
  const command = versionCommand & 0x0f;
  if (command > 1) throw malformed(`PROXY command ${command} is unassigned (0 LOCAL, 1 PROXY)`, 12);
  if (bytes.length <= 13) return undefined;
  const familyProtocol = bytes[13]!;
  const family = familyProtocol >> 4;
  const transport = familyProtocol & 0x0f;
  if (family > 3 || transport > 2) {
    throw malformed(`address family and protocol 0x${hex(familyProtocol)} are unassigned`, 13);
  }
  if (bytes.length < V2_FIXED) return undefined;
  const length = V2_FIXED + ((bytes[14]! << 8) | bytes[15]!);
  if (bytes.length < length) return undefined;
  if (command === 0) {
    // §2.2 LOCAL: "use the real connection endpoints and discard the protocol block".
    return {
      version: 2,
      command: 'local',
      source: undefined,
      destination: undefined,
      tlvs: [],
      length,
    };
  }
  const addressLength = ADDRESS_LENGTH[family as 0 | 1 | 2 | 3];
  if (length - V2_FIXED < addressLength) {
    throw malformed(
      `a family ${family} address block has ${addressLength} bytes, the header leaves ${length - V2_FIXED}`,
      14,
    );
  }
  const tlvs = readTlvs(bytes, V2_FIXED + addressLength, length);
  // Only TCP over IPv4 or IPv6 is relayed; §2.2 lets a receiver treat other valid
  // combinations as unspecified and keep the connection's own addresses.
  const tcp = transport === 1 && (family === 1 || family === 2);
  let source: HostPort | undefined;
  let destination: HostPort | undefined;
  if (tcp) {
    const size = family === 1 ? 4 : 16;
    const text = family === 1 ? dottedQuad : formatIPv6;
    const at = V2_FIXED;
    const ports = at + 2 * size;
    source = {
      host: text(bytes.subarray(at, at + size)),
      port: (bytes[ports]! << 8) | bytes[ports + 1]!,
    };
    destination = {
      host: text(bytes.subarray(at + size, ports)),
      port: (bytes[ports + 2]! << 8) | bytes[ports + 3]!,
    };
  }
  return { version: 2, command: 'proxy', source, destination, tlvs, length };
}

function readTlvs(bytes: Uint8Array, start: number, end: number): ProxyHeaderTlv[] {
  const tlvs: ProxyHeaderTlv[] = [];
  let at = start;
  while (at < end) {
    if (end - at < 3) throw malformed('a TLV cut short by the end of the header', at);
    const type = bytes[at]!;
    const size = (bytes[at + 1]! << 8) | bytes[at + 2]!;
    if (at + 3 + size > end) {
      throw malformed(`a TLV of ${size} bytes runs past the end of the header`, at);
    }
    // Copied (not a view of the socket's buffer, which Buffer's slice() would give).
    const value = new Uint8Array(bytes.subarray(at + 3, at + 3 + size));
    if (type === TLV_CRC32C) checkCrc(bytes, at, size, end);
    tlvs.push({ type, value });
    at += 3 + size;
  }
  return tlvs;
}

/** §2.2.3: the checksum of the whole header with its own four bytes zeroed. */
function checkCrc(bytes: Uint8Array, at: number, size: number, end: number): void {
  if (size !== 4) throw malformed(`a CRC32C TLV holds 4 bytes, got ${size}`, at);
  const field = at + 3;
  const sent =
    ((bytes[field]! << 24) |
      (bytes[field + 1]! << 16) |
      (bytes[field + 2]! << 8) |
      bytes[field + 3]!) >>>
    0;
  // A copy: Buffer's own slice() is a view, and zeroing it would change the caller's bytes.
  const copy = new Uint8Array(bytes.subarray(0, end));
  copy.fill(0, field, field + 4);
  const computed = crc32c(copy);
  if (computed !== sent) {
    throw malformed(
      `CRC32C 0x${sent.toString(16).padStart(8, '0')} does not match the header's 0x${computed.toString(16).padStart(8, '0')}`,
      field,
    );
  }
}

/** Four bytes as dotted-quad text, without a copy or a check (any four bytes are an address). */
function dottedQuad(bytes: Uint8Array): string {
  return `${bytes[0]}.${bytes[1]}.${bytes[2]}.${bytes[3]}`;
}

function hex(byte: number): string {
  return byte.toString(16).padStart(2, '0');
}

function latin1(bytes: Uint8Array, start: number, end: number): string {
  // One native call for the field (at most 107 bytes), not one string per byte.
  return String.fromCharCode.apply(
    null,
    bytes.subarray(start, Math.min(end, bytes.length)) as unknown as number[],
  );
}

// --- streaming -------------------------------------------------------------------------------

/**
 * Reads a PROXY protocol header from a connection's first chunks, however they are cut: `push`
 * returns undefined until the header is whole, then the header and the bytes after it in that
 * chunk (the connection's own). It holds at most the header's bytes (107, or 16 + the length a
 * version 2 header announces); a version 2 header is parsed once, when all of it is in, and a
 * version 1 line (107 bytes at most) is scanned again per chunk until its CRLF comes.
 *
 * @example
 * ```ts
 * import { ProxyHeaderParser } from '@ftpwire/proxy';
 *
 * const text = (line: string) => new TextEncoder().encode(line);
 * const parser = new ProxyHeaderParser();
 * parser.push(text('PROXY TCP4 198.51.100.7 ')); // => undefined
 * const done = parser.push(text('203.0.113.1 50000 21\r\nUSER anonymous\r\n'));
 * done?.header.source?.host; // => '198.51.100.7'
 * new TextDecoder().decode(done?.rest); // => 'USER anonymous\r\n'
 * new ProxyHeaderParser().push(text('SYST\r\n')); // throws ProxyError ERR_PROXY_HEADER
 * ```
 */
export class ProxyHeaderParser {
  #buffer: Uint8Array = new Uint8Array(0);
  #needed = 1;
  #done = false;

  /** Bytes received and not yet part of a whole header. */
  get buffered(): number {
    return this.#buffer.length;
  }

  /**
   * The next bytes of the connection. Throws `ERR_PROXY_HEADER` as soon as they cannot be a
   * header, and after the header was read (the parser has no more to do).
   */
  push(chunk: Uint8Array):
    | {
        /** The header, whole. */
        header: ProxyHeader;
        /** The bytes of `chunk` after the header: the connection's own. */
        rest: Uint8Array;
      }
    | undefined {
    if (this.#done) throw malformed('the PROXY header was already read', 0);
    const held = this.#buffer.length;
    const version1 = (held > 0 ? this.#buffer[0] : chunk[0]) === V1_SIGNATURE[0];
    const cap = version1 ? PROXY_V1_MAX_LENGTH : PROXY_V2_MAX_LENGTH;
    // Only what a header can hold is kept: the rest of the chunk is the connection's.
    const take = Math.min(chunk.length, Math.max(0, cap - held));
    const buffer = new Uint8Array(held + take);
    buffer.set(this.#buffer);
    buffer.set(chunk.subarray(0, take), held);
    this.#buffer = buffer;
    if (buffer.length < this.#needed && buffer.length < cap && take === chunk.length) {
      // A version 2 header whose length is known: nothing to parse before it is all here.
      return undefined;
    }
    const header = parseProxyHeader(buffer);
    if (header === undefined) {
      this.#needed = proxyHeaderNeeds(buffer);
      if (take < chunk.length) {
        // A valid header fits in `cap` bytes: one still incomplete there never will be.
        throw malformed(`no complete PROXY header within ${cap} bytes`, cap);
      }
      return undefined;
    }
    this.#done = true;
    this.#buffer = new Uint8Array(0);
    const rest = chunk.subarray(header.length - held);
    return { header, rest };
  }
}
