import { AddressError, quote } from './errors.js';
import { ipv4Text, readIPv4 } from './ipv4.js';
import { ipv6Text, isMappedBytes, readIPv6 } from './ipv6.js';

const PERCENT = 0x25;
const COLON = 0x3a;

/**
 * What a NAT or a client policy needs to know about an address.
 *
 * - `unspecified`: `0.0.0.0`, `::` (a server that advertises it means "wherever you reached me").
 * - `loopback`: `127.0.0.0/8`, `::1`.
 * - `private`: RFC 1918, `10/8`, `172.16/12`, `192.168/16`.
 * - `shared`: RFC 6598 shared address space `100.64/10`, used between a carrier-grade NAT and its customers.
 * - `link-local`: `169.254/16` (RFC 3927), `fe80::/10`.
 * - `unique-local`: `fc00::/7` (RFC 4193), the IPv6 counterpart of `private`.
 * - `documentation`: `192.0.2/24`, `198.51.100/24`, `203.0.113/24` (RFC 5737), `2001:db8::/32` (RFC 3849), `3fff::/20` (RFC 9637).
 * - `multicast`: `224/4`, `ff00::/8`.
 * - `reserved`: other special-purpose space no host should be dialled at (`0/8`, `240/4` with the
 *   broadcast address, `198.18/15` benchmarking, `192.0.0/24`, `::/96` other than `::` and `::1`,
 *   deprecated site-local `fec0::/10`, discard-only `100::/64`).
 * - `public`: everything else.
 *
 * IPv4-mapped IPv6 addresses (`::ffff:10.0.0.1`, what a dual-stack socket reports for an IPv4
 * peer) are classified as the IPv4 address they carry.
 *
 * @example
 * ```ts
 * import { type AddressKind, classifyAddress } from '@ftpwire/address';
 *
 * // Kinds no data connection should ever be dialled at, whatever a server advertises.
 * const undialable = new Set<AddressKind>(['unspecified', 'multicast', 'reserved']);
 * undialable.has(classifyAddress('0.0.0.0')); // => true
 * undialable.has(classifyAddress('240.0.0.1')); // => true
 * undialable.has(classifyAddress('10.0.1.121')); // => false
 * ```
 */
export type AddressKind =
  | 'unspecified'
  | 'loopback'
  | 'private'
  | 'shared'
  | 'link-local'
  | 'unique-local'
  | 'documentation'
  | 'multicast'
  | 'reserved'
  | 'public';

/** A host address read from text: an IPv4 value, or 16 IPv6 bytes, plus any zone id. */
export interface ParsedAddress {
  readonly family: 4 | 6;
  /** The IPv4 value (unsigned 32-bit), also for IPv4-mapped IPv6 addresses; otherwise -1. */
  readonly ipv4: number;
  /** The 16 bytes of an IPv6 address; undefined for IPv4. */
  readonly ipv6: Uint8Array | undefined;
  /** The zone id without `%`, or '' (socket addresses of link-local peers carry one). */
  readonly zone: string;
}

function hasColon(text: string): boolean {
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === COLON) return true;
  return false;
}

/**
 * Reads an IPv4 or IPv6 address as a socket reports it: a zone id is allowed on IPv6.
 * Throws ERR_INVALID_HOST with the offset of the offending character.
 */
export function parseAddress(text: string): ParsedAddress {
  if (!hasColon(text)) {
    return {
      family: 4,
      ipv4: readIPv4(text, 0, text.length, 'ERR_INVALID_HOST'),
      ipv6: undefined,
      zone: '',
    };
  }
  let end = text.indexOf('%');
  let zone = '';
  if (end < 0) {
    end = text.length;
  } else {
    zone = text.slice(end + 1);
    // RFC 4007 §11.2: a zone id is a non-empty interface name or index.
    for (let i = end + 1; i < text.length; i++) {
      const unit = text.charCodeAt(i);
      if (unit <= 0x20 || unit >= 0x7f || unit === PERCENT) {
        throw new AddressError(
          'ERR_INVALID_HOST',
          `a zone id must be printable ASCII, got ${quote(text, i)}`,
          i,
        );
      }
    }
    if (zone === '') {
      throw new AddressError('ERR_INVALID_HOST', 'a zone id after "%" must not be empty', end);
    }
  }
  const bytes = readIPv6(text, 0, end, 'ERR_INVALID_HOST');
  const ipv4 = isMappedBytes(bytes)
    ? ((bytes[12]! << 24) | (bytes[13]! << 16) | (bytes[14]! << 8) | bytes[15]!) >>> 0
    : -1;
  return { family: 6, ipv4, ipv6: bytes, zone };
}

function inRange(value: number, prefix: number, bits: number): boolean {
  // Unsigned shifts: a /n prefix compares the top n bits.
  return value >>> (32 - bits) === prefix >>> (32 - bits);
}

function classifyIPv4(value: number): AddressKind {
  if (value === 0) return 'unspecified';
  const first = value >>> 24;
  if (first === 127) return 'loopback';
  if (first === 10 || inRange(value, 0xac100000, 12) || inRange(value, 0xc0a80000, 16)) {
    return 'private';
  }
  if (inRange(value, 0x64400000, 10)) return 'shared';
  if (inRange(value, 0xa9fe0000, 16)) return 'link-local';
  if (
    inRange(value, 0xc0000200, 24) ||
    inRange(value, 0xc6336400, 24) ||
    inRange(value, 0xcb007100, 24)
  ) {
    return 'documentation';
  }
  if (first >= 224 && first <= 239) return 'multicast';
  if (
    first === 0 ||
    first >= 240 ||
    inRange(value, 0xc6120000, 15) ||
    inRange(value, 0xc0000000, 24)
  ) {
    return 'reserved';
  }
  return 'public';
}

function classifyIPv6(bytes: Uint8Array): AddressKind {
  const b0 = bytes[0]!;
  const b1 = bytes[1]!;
  if (b0 === 0xff) return 'multicast';
  if ((b0 & 0xfe) === 0xfc) return 'unique-local';
  if (b0 === 0xfe && (b1 & 0xc0) === 0x80) return 'link-local';
  if (b0 === 0xfe && (b1 & 0xc0) === 0xc0) return 'reserved';
  if (b0 === 0x20 && b1 === 0x01 && bytes[2] === 0x0d && bytes[3] === 0xb8) return 'documentation';
  if (b0 === 0x3f && b1 === 0xff && (bytes[2]! & 0xf0) === 0) return 'documentation';
  let zeroPrefix = 0;
  while (zeroPrefix < 16 && bytes[zeroPrefix] === 0) zeroPrefix++;
  if (zeroPrefix === 16) return 'unspecified';
  if (zeroPrefix === 15 && bytes[15] === 1) return 'loopback';
  if (zeroPrefix >= 12) return 'reserved';
  if (b0 === 0x01 && b1 === 0x00 && zeroPrefix === 0) {
    let discard = true;
    for (let i = 2; i < 8; i++) if (bytes[i] !== 0) discard = false;
    if (discard) return 'reserved';
  }
  return 'public';
}

/** Classifies a parsed address; IPv4-mapped addresses as their IPv4 address. */
export function kindOf(address: ParsedAddress): AddressKind {
  if (address.ipv4 >= 0) return classifyIPv4(address.ipv4);
  return classifyIPv6(address.ipv6!);
}

/**
 * Classifies an IPv4 or IPv6 address for NAT and passive-host policies. Accepts what a
 * socket reports: a zone id on IPv6 (`fe80::1%eth0`), IPv4-mapped IPv6 (`::ffff:10.0.0.1`,
 * classified as the IPv4 address it carries). Throws `ERR_INVALID_HOST` for anything else,
 * host names included: classify after resolving.
 *
 * @example
 * ```ts
 * import { classifyAddress } from '@ftpwire/address';
 *
 * classifyAddress('10.0.1.121'); // => 'private'
 * classifyAddress('100.64.0.1'); // => 'shared'
 * classifyAddress('::ffff:127.0.0.1'); // => 'loopback'
 * classifyAddress('fe80::1%eth0'); // => 'link-local'
 * classifyAddress('2001:db8::1'); // => 'documentation'
 * classifyAddress('193.21.1.121'); // => 'public'
 * classifyAddress('ftp.example.com'); // throws AddressError ERR_INVALID_HOST
 * ```
 */
export function classifyAddress(host: string): AddressKind {
  return kindOf(parseAddress(host));
}

/** Kinds that are local to a host or site: no peer across the internet can reach them. */
export function isPrivateKind(kind: AddressKind): boolean {
  return (
    kind === 'private' ||
    kind === 'shared' ||
    kind === 'link-local' ||
    kind === 'unique-local' ||
    kind === 'loopback'
  );
}

/**
 * Whether an address is one a NAT hides, local to a host or site and unreachable across the
 * internet: RFC 1918 private, shared `100.64/10`, link-local, unique-local `fc00::/7` and
 * loopback. This is the test FileZilla and basic-ftp apply to a 227 address. Throws
 * `ERR_INVALID_HOST` for text that is not an address.
 *
 * @example
 * ```ts
 * import { isPrivateAddress } from '@ftpwire/address';
 *
 * isPrivateAddress('192.168.1.2'); // => true
 * isPrivateAddress('fd00::1'); // => true
 * isPrivateAddress('193.21.1.121'); // => false
 * ```
 */
export function isPrivateAddress(host: string): boolean {
  return isPrivateKind(classifyAddress(host));
}

/**
 * Whether an address is IPv4-mapped IPv6 (`::ffff:a.b.c.d`, RFC 4291 §2.5.5.2), which is
 * how a dual-stack socket reports an IPv4 peer.
 *
 * @example
 * ```ts
 * import { isIPv4MappedAddress } from '@ftpwire/address';
 *
 * isIPv4MappedAddress('::ffff:192.0.2.1'); // => true
 * isIPv4MappedAddress('192.0.2.1'); // => false
 * ```
 */
export function isIPv4MappedAddress(host: string): boolean {
  const address = parseAddress(host);
  return address.family === 6 && address.ipv4 >= 0;
}

/** Canonical text of a parsed address: IPv4-mapped as IPv4, IPv6 in RFC 5952 form, zone kept. */
export function addressText(address: ParsedAddress): string {
  if (address.ipv4 >= 0) return ipv4Text(address.ipv4);
  const text = ipv6Text(address.ipv6!);
  return address.zone === '' ? text : `${text}%${address.zone}`;
}

/**
 * Rewrites an address in the one form to compare and dial: IPv4 as a dotted quad,
 * IPv4-mapped IPv6 as the IPv4 address it carries, other IPv6 in RFC 5952 canonical form
 * with any zone id kept.
 *
 * @example
 * ```ts
 * import { normalizeAddress } from '@ftpwire/address';
 *
 * normalizeAddress('::FFFF:10.0.0.1'); // => '10.0.0.1'
 * normalizeAddress('FE80:0:0:0:0:0:0:1%eth0'); // => 'fe80::1%eth0'
 * ```
 */
export function normalizeAddress(host: string): string {
  return addressText(parseAddress(host));
}

/**
 * Whether two texts name the same address (after {@link normalizeAddress}: `::ffff:10.0.0.1`
 * is `10.0.0.1`, case and `::` compression do not matter; zone ids must match).
 *
 * @example
 * ```ts
 * import { sameAddress } from '@ftpwire/address';
 *
 * sameAddress('::ffff:10.0.0.1', '10.0.0.1'); // => true
 * sameAddress('2001:DB8::1', '2001:db8:0:0::1'); // => true
 * sameAddress('fe80::1%eth0', 'fe80::1%eth1'); // => false
 * ```
 */
export function sameAddress(a: string, b: string): boolean {
  return normalizeAddress(a) === normalizeAddress(b);
}
