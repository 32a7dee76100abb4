/**
 * The PROXY protocol header parser of @ftpwire/proxy (`parseProxyHeader`), the cost a proxy
 * behind HAProxy pays once per connection, against proxy-protocol-js 4.0.6 (the npm package a
 * Node user would otherwise pick), in the same run. Workloads: 1000 headers each, as HAProxy and
 * curl send them: version 1 TCP4 and TCP6 lines, version 2 TCP4 and TCP6, and version 2 with the
 * TLVs HAProxy adds with `proxy-v2-options unique-id,crc32c` (ftpwire verifies the CRC32C;
 * proxy-protocol-js does not). Bytes in, as a socket delivers them: proxy-protocol-js reads
 * version 1 from a string, so its decoding is timed too. Each workload is checked at load: both
 * must read every source address right, or the file throws.
 */

import { formatIPv4, formatIPv6 } from '@ftpwire/address';
import * as ftpwire from '@ftpwire/proxy';
import * as contender from 'proxy-protocol-js';
import { bench, describe } from 'vitest';
import { mulberry32 } from '../test/fixtures/random.js';
import { tag } from './corpus.js';

const { formatProxyHeader, parseProxyHeader } = ftpwire;
const { V1ProxyProtocol, V2ProxyProtocol } = contender;

const sink = { value: 0 };
const options = { time: 1000, warmupTime: 300 };
const random = mulberry32(0x50524f58); // "PROX"
const octet = () => Math.floor(random() * 256);
const port = () => 1024 + Math.floor(random() * 64000);
const ipv4 = () => `${1 + Math.floor(random() * 223)}.${octet()}.${octet()}.${octet()}`;
const ipv6 = () =>
  `2001:db8:${Array.from({ length: 6 }, () => Math.floor(random() * 65536).toString(16)).join(':')}`;
const encoder = new TextEncoder();

interface Workload {
  readonly name: string;
  readonly headers: readonly Buffer[];
  readonly sources: readonly string[];
  readonly version: 1 | 2;
}

function workload(name: string, version: 1 | 2, family: 4 | 6, extras: boolean): Workload {
  const headers: Buffer[] = [];
  const sources: string[] = [];
  for (let i = 0; i < 1000; i++) {
    const host = family === 4 ? ipv4() : ipv6();
    const destination = family === 4 ? '203.0.113.1' : '2001:db8::1';
    const bytes = formatProxyHeader({
      version,
      source: { host, port: port() },
      destination: { host: destination, port: 21 },
      ...(extras
        ? {
            tlvs: [
              { type: 5, value: encoder.encode(`${i.toString(16).padStart(8, '0')}-ftp-lb1`) },
            ],
            checksum: true,
          }
        : {}),
    });
    headers.push(Buffer.from(bytes));
    sources.push(parseProxyHeader(bytes)!.source!.host);
  }
  return { name, headers, sources, version };
}

const workloads = [
  workload('v1 TCP4 (curl --haproxy-protocol, HAProxy send-proxy)', 1, 4, false),
  workload('v1 TCP6', 1, 6, false),
  workload('v2 TCP4 (HAProxy send-proxy-v2)', 2, 4, false),
  workload('v2 TCP6', 2, 6, false),
  workload('v2 TCP4 + unique-id + crc32c TLVs', 2, 4, true),
];

const addressText = (bytes: number[]): string =>
  bytes.length === 4 ? formatIPv4(Uint8Array.from(bytes)) : formatIPv6(Uint8Array.from(bytes));

function ftpwireParse(headers: readonly Buffer[]): number {
  let total = 0;
  for (const header of headers) total += parseProxyHeader(header)!.length;
  return total;
}

function contenderParse(headers: readonly Buffer[], version: 1 | 2): number {
  let total = 0;
  if (version === 1) {
    for (const header of headers)
      total += V1ProxyProtocol.parse(header.toString('latin1')).source.port;
  } else {
    for (const header of headers) total += V2ProxyProtocol.parse(header).command;
  }
  return total;
}

// Both read every source address right, or no figure is posted.
for (const { name, headers, sources, version } of workloads) {
  headers.forEach((header, index) => {
    const ours = parseProxyHeader(header)!.source!.host;
    const theirs =
      version === 1
        ? V1ProxyProtocol.parse(header.toString('latin1')).source.ipAddress
        : addressText(
            (
              V2ProxyProtocol.parse(header).proxyAddress as unknown as {
                sourceAddress: { address: number[] };
              }
            ).sourceAddress.address,
          );
    if (ours !== sources[index] || theirs !== sources[index]) {
      throw new Error(`${name} #${index}: read ${ours} and ${theirs}, expected ${sources[index]}`);
    }
  });
}

for (const { name, headers, version } of workloads) {
  const bytes = headers.reduce((sum, header) => sum + header.length, 0);
  describe(`PROXY header parse, ${name} ${tag({ bytes })}`, () => {
    bench(
      'ftpwire parseProxyHeader',
      () => {
        sink.value += ftpwireParse(headers);
      },
      options,
    );
    bench(
      'proxy-protocol-js',
      () => {
        sink.value += contenderParse(headers, version);
      },
      options,
    );
  });
}
