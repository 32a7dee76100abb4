import { isIPv4, normalizeAddress, parseIPv4, parseIPv6 } from '@ftpwire/address';
import { ProxyError, quote } from './errors.js';

/** A range as the 16 bytes of an IPv6 address (IPv4 ones IPv4-mapped) and a prefix length. */
interface Range {
  readonly bytes: Uint8Array;
  readonly prefix: number;
}

/** An address as 16 bytes: IPv4 as `::ffff:a.b.c.d`, so one comparison serves both families. */
function toBytes(text: string): Uint8Array {
  if (isIPv4(text)) {
    const bytes = new Uint8Array(16);
    bytes[10] = 0xff;
    bytes[11] = 0xff;
    bytes.set(parseIPv4(text), 12);
    return bytes;
  }
  return parseIPv6(text);
}

function matches(range: Range, bytes: Uint8Array): boolean {
  const whole = range.prefix >> 3;
  for (let i = 0; i < whole; i++) if (range.bytes[i] !== bytes[i]) return false;
  const bits = range.prefix & 7;
  if (bits === 0) return true;
  const mask = (0xff << (8 - bits)) & 0xff;
  return (range.bytes[whole]! & mask) === (bytes[whole]! & mask);
}

/**
 * Address ranges in CIDR notation (`192.0.2.0/24`, `2001:db8::/32`, or a bare address for just
 * itself), IPv4 and IPv6 alike: the peers trusted to send a PROXY protocol header. An IPv4
 * address written IPv4-mapped (`::ffff:192.0.2.7`, what a dual-stack socket reports) is the same
 * address.
 */
export class AddressRanges {
  readonly #ranges: readonly Range[];
  /** The ranges as given, normalized, for logs. */
  readonly texts: readonly string[];

  private constructor(ranges: readonly Range[], texts: readonly string[]) {
    this.#ranges = ranges;
    this.texts = texts;
  }

  /** Reads each text as a range; throws `ERR_INVALID_OPTION` naming the first bad one. */
  static parse(texts: readonly string[], name = 'proxyProtocolFrom'): AddressRanges {
    const ranges: Range[] = [];
    const shown: string[] = [];
    for (const text of texts) {
      const slash = typeof text === 'string' ? text.indexOf('/') : -1;
      const host = slash < 0 ? text : text.slice(0, slash);
      let bytes: Uint8Array;
      let ipv4: boolean;
      try {
        ipv4 = isIPv4(host);
        bytes = toBytes(host);
      } catch {
        throw new ProxyError(
          'ERR_INVALID_OPTION',
          `${name} expects ADDRESS/PREFIX ranges (192.0.2.0/24, 2001:db8::/32), got ${quote(String(text))}`,
        );
      }
      const max = ipv4 ? 32 : 128;
      let prefix = max;
      if (slash >= 0) {
        const digits = text.slice(slash + 1);
        prefix = /^\d{1,3}$/.test(digits) ? Number(digits) : -1;
        if (prefix < 0 || prefix > max) {
          throw new ProxyError(
            'ERR_INVALID_OPTION',
            `${name}: the prefix length of ${quote(text)} must be 0-${max}`,
          );
        }
      }
      ranges.push({ bytes, prefix: ipv4 ? prefix + 96 : prefix });
      shown.push(`${normalizeAddress(host)}/${prefix}`);
    }
    return new AddressRanges(ranges, shown);
  }

  get size(): number {
    return this.#ranges.length;
  }

  /** Whether `address` (any text form; a zone id never matches) lies in one of the ranges. */
  includes(address: string): boolean {
    let bytes: Uint8Array;
    try {
      const text = normalizeAddress(address);
      if (text.includes('%')) return false;
      bytes = toBytes(text);
    } catch {
      return false;
    }
    for (const range of this.#ranges) if (matches(range, bytes)) return true;
    return false;
  }
}
