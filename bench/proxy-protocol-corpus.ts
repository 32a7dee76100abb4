/**
 * The PROXY protocol headers both PROXY benches time (`proxy-protocol.bench.ts`, vitest groups;
 * `proxy-protocol-interleaved.ts`, contenders taking turns): 1000 seeded headers per workload,
 * as HAProxy and curl send them, and the two parsers' loops over them. Every workload is checked
 * at load: both parsers must read each source address as it was written, or no figure is posted.
 */
import { formatIPv4, formatIPv6 } from '@ftpwire/address';
import { formatProxyHeader, parseProxyHeader } from '@ftpwire/proxy';
import { V1ProxyProtocol, V2ProxyProtocol } from 'proxy-protocol-js';
import { mulberry32 } from '../test/fixtures/random.js';

export interface HeaderWorkload {
  readonly name: string;
  readonly headers: readonly Buffer[];
  /** Each header's source address, in the canonical text both parsers must give. */
  readonly sources: readonly string[];
  readonly version: 1 | 2;
}

const random = mulberry32(0x50524f58); // "PROX"
const octet = () => Math.floor(random() * 256);
const ipv4 = () => `${1 + Math.floor(random() * 223)}.${octet()}.${octet()}.${octet()}`;
const ipv6 = () =>
  formatIPv6(Uint8Array.from([0x20, 0x01, 0x0d, 0xb8, ...Array.from({ length: 12 }, octet)]));
const encoder = new TextEncoder();

function workload(name: string, version: 1 | 2, family: 4 | 6, extras: boolean): HeaderWorkload {
  const headers: Buffer[] = [];
  const sources: string[] = [];
  for (let i = 0; i < 1000; i++) {
    const host = family === 4 ? ipv4() : ipv6();
    const bytes = formatProxyHeader({
      version,
      source: { host, port: 1024 + i },
      destination: { host: family === 4 ? '203.0.113.1' : '2001:db8::1', port: 21 },
      // What HAProxy adds with `proxy-v2-options unique-id,crc32c`.
      ...(extras
        ? { tlvs: [{ type: 5, value: encoder.encode(`${i}-ftp-lb1`) }], checksum: true }
        : {}),
    });
    headers.push(Buffer.from(bytes));
    sources.push(host);
  }
  return { name, headers, sources, version };
}

export const headerWorkloads: readonly HeaderWorkload[] = [
  workload('v1 TCP4 (curl --haproxy-protocol, HAProxy send-proxy)', 1, 4, false),
  workload('v1 TCP6', 1, 6, false),
  workload('v2 TCP4 (HAProxy send-proxy-v2)', 2, 4, false),
  workload('v2 TCP6', 2, 6, false),
  workload('v2 TCP4 + unique-id + CRC32C TLVs', 2, 4, true),
];

const addressText = (bytes: number[]): string =>
  bytes.length === 4 ? formatIPv4(Uint8Array.from(bytes)) : formatIPv6(Uint8Array.from(bytes));

/** proxy-protocol-js's reading of a header's source address, as text. */
function contenderSource(header: Buffer, version: 1 | 2): string {
  if (version === 1) return V1ProxyProtocol.parse(header.toString('latin1')).source.ipAddress;
  const address = V2ProxyProtocol.parse(header).proxyAddress as unknown as {
    sourceAddress: { address: number[] };
  };
  return addressText(address.sourceAddress.address);
}

for (const { name, headers, sources, version } of headerWorkloads) {
  headers.forEach((header, i) => {
    const ours = parseProxyHeader(header)!.source!.host;
    const theirs = contenderSource(header, version);
    if (ours !== sources[i] || theirs !== sources[i]) {
      throw new Error(`${name} #${i}: read ${ours} and ${theirs}, expected ${sources[i]}`);
    }
  });
}

/** ftpwire's parse of every header; the sum of the lengths keeps the work observable. */
export function ftpwireParse(headers: readonly Buffer[]): number {
  let total = 0;
  for (const header of headers) total += parseProxyHeader(header)!.length;
  return total;
}

/** proxy-protocol-js's; version 1 from text, so its decoding of the bytes is timed too. */
export function contenderParse(headers: readonly Buffer[], version: 1 | 2): number {
  let total = 0;
  if (version === 1) {
    for (const header of headers) {
      total += V1ProxyProtocol.parse(header.toString('latin1')).source.port;
    }
  } else {
    for (const header of headers) total += V2ProxyProtocol.parse(header).command;
  }
  return total;
}
