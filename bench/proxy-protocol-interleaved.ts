/**
 * The cost of the PROXY protocol per connection: `parseProxyHeader` against proxy-protocol-js
 * 4.0.6 on 1000 headers per workload (those of bench/proxy-protocol.bench.ts), the contenders
 * taking turns round by round so that a slow spell of the shared machine falls on both alike;
 * medians of the rounds decide, in ns per header. Run: `pnpm build && tsx bench/proxy-protocol-interleaved.ts`
 * (BENCH_ROUNDS, default 200). `pnpm bench` runs it after the vitest benches.
 */
import { formatIPv4, formatIPv6 } from '@ftpwire/address';
import { formatProxyHeader, parseProxyHeader } from '@ftpwire/proxy';
import { V1ProxyProtocol, V2ProxyProtocol } from 'proxy-protocol-js';
import { mulberry32 } from '../test/fixtures/random.js';

const ROUNDS = Number(process.env['BENCH_ROUNDS'] ?? 200);
const WARMUP = 30;
const random = mulberry32(0x50524f58);
const octet = () => Math.floor(random() * 256);
const ipv4 = () => `${1 + Math.floor(random() * 223)}.${octet()}.${octet()}.${octet()}`;
const ipv6 = () =>
  formatIPv6(Uint8Array.from([0x20, 0x01, 0x0d, 0xb8, ...Array.from({ length: 12 }, octet)]));
const encoder = new TextEncoder();

function workload(version: 1 | 2, family: 4 | 6, extras: boolean) {
  const headers: Buffer[] = [];
  const sources: string[] = [];
  for (let i = 0; i < 1000; i++) {
    const host = family === 4 ? ipv4() : ipv6();
    headers.push(
      Buffer.from(
        formatProxyHeader({
          version,
          source: { host, port: 1024 + i },
          destination: { host: family === 4 ? '203.0.113.1' : '2001:db8::1', port: 21 },
          ...(extras
            ? { tlvs: [{ type: 5, value: encoder.encode(`${i}-ftp-lb1`) }], checksum: true }
            : {}),
        }),
      ),
    );
    sources.push(host);
  }
  return { headers, sources, version };
}

const workloads = [
  ['v1 TCP4 (curl --haproxy-protocol)', workload(1, 4, false)],
  ['v1 TCP6', workload(1, 6, false)],
  ['v2 TCP4 (HAProxy send-proxy-v2)', workload(2, 4, false)],
  ['v2 TCP6', workload(2, 6, false)],
  ['v2 TCP4 + unique-id + CRC32C', workload(2, 4, true)],
] as const;

const addressText = (bytes: number[]) =>
  bytes.length === 4 ? formatIPv4(Uint8Array.from(bytes)) : formatIPv6(Uint8Array.from(bytes));
let sink = 0;
console.log(
  `PROXY header parsing, ${ROUNDS} rounds of 1000 headers, contenders taking turns, medians`,
);
for (const [name, { headers, sources, version }] of workloads) {
  // Both must read every source address right, or no figure is posted.
  headers.forEach((header, i) => {
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
    if (ours !== sources[i] || theirs !== sources[i]) {
      throw new Error(`${name} #${i}: read ${ours} and ${theirs}, expected ${sources[i]}`);
    }
  });
  const contenders: [string, () => void][] = [
    [
      'ftpwire parseProxyHeader',
      () => {
        for (const header of headers) sink += parseProxyHeader(header)!.length;
      },
    ],
    [
      version === 1 ? 'proxy-protocol-js (latin1 text in)' : 'proxy-protocol-js',
      () => {
        if (version === 1) {
          for (const header of headers)
            sink += V1ProxyProtocol.parse(header.toString('latin1')).source.port;
        } else {
          for (const header of headers) sink += V2ProxyProtocol.parse(header).command;
        }
      },
    ],
  ];
  const times = contenders.map(() => [] as number[]);
  for (let round = 0; round < ROUNDS + WARMUP; round++) {
    for (let k = 0; k < contenders.length; k++) {
      const index = (k + round) % contenders.length;
      const start = performance.now();
      contenders[index]![1]();
      if (round >= WARMUP) times[index]!.push(performance.now() - start);
    }
  }
  const medians = times.map((list) => [...list].sort((a, b) => a - b)[list.length >> 1]!);
  console.log(`  ${name}`);
  contenders.forEach(([label], i) => {
    console.log(
      `    ${label.padEnd(36)} ${((medians[i]! * 1e6) / headers.length).toFixed(0).padStart(6)} ns/header   ${(medians[i]! / medians[0]!).toFixed(2)}x ftpwire's time`,
    );
  });
}
if (sink === 0) console.log('(nothing parsed)');
