import {
  formatIPv4,
  formatIPv6,
  type HostPort,
  isIPv4,
  normalizeAddress,
  parseIPv4,
  parseIPv6,
} from '@ftpwire/address';
import { crc32c } from './crc32c.js';
import { ProxyError } from './errors.js';
import { PROXY_V2_SIGNATURE, type ProxyHeaderTlv } from './proxy-protocol.js';

/**
 * What {@link formatProxyHeader} writes: the connection's addresses, or none (a connection of
 * the sender's own: version 1 `UNKNOWN`, version 2 `LOCAL`).
 *
 * @example
 * ```ts
 * import { formatProxyHeader, type ProxyHeaderInit } from '@ftpwire/proxy';
 *
 * // A health check of the sender's own: no addresses.
 * const local: ProxyHeaderInit = { version: 1 };
 * new TextDecoder().decode(formatProxyHeader(local)); // => 'PROXY UNKNOWN\r\n'
 * ```
 */
export interface ProxyHeaderInit {
  /** 1 for the text header, 2 for the binary one. */
  readonly version: 1 | 2;
  /** The client's address and port; give `destination` with it. */
  readonly source?: HostPort;
  /** The address and port the client connected to. */
  readonly destination?: HostPort;
  /** Version 2 only: TLVs to append, in order. */
  readonly tlvs?: readonly ProxyHeaderTlv[];
  /** Version 2 only: append a CRC32C TLV over the whole header (§2.2.3). Default false. */
  readonly checksum?: boolean;
}

function invalid(message: string): ProxyError {
  return new ProxyError('ERR_PROXY_HEADER', message);
}

/** An address as 4 or 16 bytes; an IPv4 address beside an IPv6 one is written IPv4-mapped. */
function addressBytes(host: string, family: 4 | 6): Uint8Array {
  const text = normalizeAddress(host);
  if (text.includes('%')) throw invalid(`a PROXY header cannot carry a zone id: ${text}`);
  if (family === 4) return parseIPv4(text);
  return parseIPv6(isIPv4(text) ? `::ffff:${text}` : text);
}

function checkPort(port: number): void {
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw invalid(`a PROXY header port is 0-65535, got ${port}`);
  }
}

/**
 * Writes a PROXY protocol header (HAProxy's `doc/proxy-protocol.txt`): version 1 as its text
 * line, version 2 in binary. Both addresses IPv4 make `TCP4` (family 0x11); otherwise `TCP6`
 * (0x21), an IPv4 address written IPv4-mapped. Throws `ERR_PROXY_HEADER` for a port out of
 * range, an address that is not an IP address, one of `source` and `destination` without the
 * other, or TLVs too long for the 16-bit length.
 *
 * @example
 * ```ts
 * import { formatProxyHeader, parseProxyHeader } from '@ftpwire/proxy';
 *
 * const source = { host: '198.51.100.7', port: 50000 };
 * const destination = { host: '203.0.113.1', port: 21 };
 * new TextDecoder().decode(formatProxyHeader({ version: 1, source, destination }));
 * // => 'PROXY TCP4 198.51.100.7 203.0.113.1 50000 21\r\n'
 * const v2 = formatProxyHeader({ version: 2, source, destination, checksum: true });
 * v2.length; // => 35
 * parseProxyHeader(v2)?.source; // => { host: '198.51.100.7', port: 50000 }
 * formatProxyHeader({ version: 1, source }); // throws ProxyError ERR_PROXY_HEADER
 * ```
 */
export function formatProxyHeader(init: ProxyHeaderInit): Uint8Array {
  const { source, destination } = init;
  if ((source === undefined) !== (destination === undefined)) {
    throw invalid('a PROXY header carries both source and destination, or neither');
  }
  let family: 4 | 6 | undefined;
  let from: Uint8Array | undefined;
  let to: Uint8Array | undefined;
  if (source && destination) {
    checkPort(source.port);
    checkPort(destination.port);
    try {
      family =
        isIPv4(normalizeAddress(source.host)) && isIPv4(normalizeAddress(destination.host)) ? 4 : 6;
      from = addressBytes(source.host, family);
      to = addressBytes(destination.host, family);
    } catch (error) {
      if (error instanceof ProxyError) throw error;
      throw invalid(`a PROXY header carries IP addresses: ${(error as Error).message}`);
    }
  }
  if (init.version === 1) {
    if (!source || !destination) return ascii('PROXY UNKNOWN\r\n');
    const text = family === 4 ? formatIPv4 : formatIPv6;
    return ascii(
      `PROXY TCP${family} ${text(from!)} ${text(to!)} ${source.port} ${destination.port}\r\n`,
    );
  }
  return formatV2(init, family, from, to);
}

function formatV2(
  init: ProxyHeaderInit,
  family: 4 | 6 | undefined,
  from: Uint8Array | undefined,
  to: Uint8Array | undefined,
): Uint8Array {
  const tlvs = init.tlvs ?? [];
  const addressLength = family === undefined ? 0 : family === 4 ? 12 : 36;
  let length = addressLength;
  for (const tlv of tlvs) {
    if (!Number.isInteger(tlv.type) || tlv.type < 0 || tlv.type > 255) {
      throw invalid(`a TLV type is 0-255, got ${tlv.type}`);
    }
    if (tlv.value.length > 0xffff) throw invalid('a TLV value holds at most 65535 bytes');
    length += 3 + tlv.value.length;
  }
  if (init.checksum) length += 7;
  if (length > 0xffff)
    throw invalid(
      `a PROXY version 2 header holds at most 65535 bytes after its first 16, got ${length}`,
    );
  const bytes = new Uint8Array(16 + length);
  bytes.set(PROXY_V2_SIGNATURE);
  // Version 2; command PROXY (1) with addresses, LOCAL (0) without (§2.2).
  bytes[12] = family === undefined ? 0x20 : 0x21;
  bytes[13] = family === undefined ? 0x00 : family === 4 ? 0x11 : 0x21;
  bytes[14] = length >> 8;
  bytes[15] = length & 0xff;
  let at = 16;
  if (from && to) {
    bytes.set(from, at);
    bytes.set(to, at + from.length);
    at += 2 * from.length;
    bytes[at] = init.source!.port >> 8;
    bytes[at + 1] = init.source!.port & 0xff;
    bytes[at + 2] = init.destination!.port >> 8;
    bytes[at + 3] = init.destination!.port & 0xff;
    at += 4;
  }
  for (const tlv of tlvs) {
    bytes[at] = tlv.type;
    bytes[at + 1] = tlv.value.length >> 8;
    bytes[at + 2] = tlv.value.length & 0xff;
    bytes.set(tlv.value, at + 3);
    at += 3 + tlv.value.length;
  }
  if (init.checksum) {
    // §2.2.3: computed over the whole header with the checksum's own four bytes zero.
    bytes[at] = 0x03;
    bytes[at + 2] = 4;
    const crc = crc32c(bytes);
    bytes[at + 3] = crc >>> 24;
    bytes[at + 4] = (crc >>> 16) & 0xff;
    bytes[at + 5] = (crc >>> 8) & 0xff;
    bytes[at + 6] = crc & 0xff;
  }
  return bytes;
}

function ascii(text: string): Uint8Array {
  const bytes = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
  return bytes;
}
