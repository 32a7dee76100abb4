/**
 * The cost of the PROXY protocol per connection: `parseProxyHeader` against proxy-protocol-js
 * 4.0.6 on 1000 headers per workload (those of bench/proxy-protocol.bench.ts), the contenders
 * taking turns round by round so that a slow spell of the shared machine falls on both alike;
 * medians of the rounds decide, in ns per header. Run: `pnpm build && tsx bench/proxy-protocol-interleaved.ts`
 * (BENCH_ROUNDS, default 200). `pnpm bench` runs it after the vitest benches.
 */
import { contenderParse, ftpwireParse, headerWorkloads } from './proxy-protocol-corpus.js';

const ROUNDS = Number(process.env['BENCH_ROUNDS'] ?? 200);
const WARMUP = 30;
let sink = 0;
console.log(
  `PROXY header parsing, ${ROUNDS} rounds of 1000 headers, contenders taking turns, medians`,
);
for (const { name, headers, version } of headerWorkloads) {
  const contenders: [string, () => void][] = [
    [
      'ftpwire parseProxyHeader',
      () => {
        sink += ftpwireParse(headers);
      },
    ],
    [
      version === 1 ? 'proxy-protocol-js (latin1 text in)' : 'proxy-protocol-js',
      () => {
        sink += contenderParse(headers, version);
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
