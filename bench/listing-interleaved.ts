/**
 * The issue 13 listing targets measured the way a shared, noisy machine allows: ftpwire and
 * basic-ftp take turns, one iteration each per round, on the seeded 10,000-entry listings of
 * bench/listing-corpus.ts, and ratios come from the medians of each contender's rounds (the
 * best rounds are shown too). `pnpm bench` runs it after the vitest groups; alone:
 * `pnpm build && tsx bench/listing-interleaved.ts` (the built packages).
 * `FTPWIRE_BASELINE_LISTING=<another build's packages/listing/dist>` adds that build's one-shot
 * parsers as contenders, for before/after ratios measured in one run.
 */
import { resolve } from 'node:path';
import {
  baselineFactLines,
  baselineListLines,
  basicFtpList,
  checkTruth,
  dos,
  ENTRIES,
  ftpwireFactLines,
  ftpwireListLines,
  ftpwireStream,
  mlsd,
  unix,
} from './listing-corpus.js';
import { entryFloor, touchFloor } from './listing-floor.js';

const ROUNDS = Number(process.env['BENCH_ROUNDS'] ?? 40);
const WARMUP_ROUNDS = 10;
const RATIO_TARGET = 3;

checkTruth('Unix', unix);
checkTruth('DOS', dos);
checkTruth('MLSD', mlsd);

const baselineDir = process.env['FTPWIRE_BASELINE_LISTING'];
const baseline =
  baselineDir === undefined
    ? undefined
    : ((await import(resolve(baselineDir, 'index.js'))) as typeof import('@ftpwire/listing'));

let sink = 0;
const contenders: (readonly [string, () => number])[] = [
  ['ftpwire parseListLine, Unix', () => ftpwireListLines(unix.text)],
  ['ftpwire ListingParser, Unix, bytes in', () => ftpwireStream(unix.chunks)],
  ['basic-ftp parseList, Unix', () => basicFtpList(unix.text)],
  ['ftpwire parseListLine, DOS', () => ftpwireListLines(dos.text)],
  ['ftpwire ListingParser, DOS, bytes in', () => ftpwireStream(dos.chunks)],
  ['basic-ftp parseList, DOS', () => basicFtpList(dos.text)],
  ['ftpwire parseFacts, MLSD', () => ftpwireFactLines(mlsd.text)],
  ['ftpwire ListingParser, MLSD, bytes in', () => ftpwireStream(mlsd.chunks, 'mlsd')],
  ['basic-ftp parseList, MLSD', () => basicFtpList(mlsd.text, true)],
  ['bound: cut, read each char, 1 object, Unix', () => touchFloor(unix.text)],
  ['bound: cut, read each char, 1 object, DOS', () => touchFloor(dos.text)],
  ['bound: cut, read each char, 1 object, MLSD', () => touchFloor(mlsd.text)],
  ['bound: + the entry (Date, slices), Unix', () => entryFloor(unix.text, true)],
  ['bound: + the entry (Date, slices), DOS', () => entryFloor(dos.text, false)],
];
if (baseline !== undefined) {
  contenders.push(
    ['baseline parseListLine, Unix', () => baselineListLines(unix.text, baseline.parseListLine)],
    ['baseline parseListLine, DOS', () => baselineListLines(dos.text, baseline.parseListLine)],
    ['baseline parseFacts, MLSD', () => baselineFactLines(mlsd.text, baseline.parseFacts)],
  );
}
for (const [what, listing] of [
  ['Unix', unix],
  ['DOS', dos],
  ['MLSD', mlsd],
] as const) {
  const lines = listing.text.split('\r\n').filter(Boolean).length;
  if (touchFloor(listing.text) <= lines) throw new Error(`${what}: the bound read no names`);
  if (what !== 'MLSD' && entryFloor(listing.text, what === 'Unix') <= 2 * lines) {
    throw new Error(`${what}: the entry bound read no names`);
  }
  if (lines !== ENTRIES) throw new Error(`${what}: ${lines} lines, ${ENTRIES} made`);
}
const times = contenders.map(() => [] as number[]);
for (let round = 0; round < ROUNDS + WARMUP_ROUNDS; round++) {
  // The order rotates: in a fixed order the contender after basic-ftp's Unix run paid for its
  // garbage each round (ftpwire's DOS median 20 ms, its best rounds 10); rotated, each pays a
  // share of everyone's collections. (A forced gc() before each run, tried, slowed every
  // allocating contender: basic-ftp's Unix median went from ~19 to ~45 ms.)
  for (let i = 0; i < contenders.length; i++) {
    const index = (i + round) % contenders.length;
    const start = performance.now();
    sink += contenders[index]![1]();
    if (round >= WARMUP_ROUNDS) times[index]!.push(performance.now() - start);
  }
}
const summary = times.map((list) => {
  const sorted = [...list].sort((a, b) => a - b);
  return { median: sorted[sorted.length >> 1]!, min: sorted[0]! };
});
const rate = (ms: number) => `${(((ENTRIES / ms) * 1000) / 1e6).toFixed(2)} M entries/s`;
console.log(
  `listing, interleaved: ${ROUNDS} rounds, ${ENTRIES} entries per listing (checksum ${sink > 0 ? 'ok' : 'zero'})`,
);
contenders.forEach(([name], index) => {
  const { median, min } = summary[index]!;
  console.log(
    `  ${name.padEnd(40)} median ${median.toFixed(2).padStart(7)} ms ${rate(median).padStart(18)}   best ${min.toFixed(2).padStart(7)} ms`,
  );
});
// The bound beside each target: basic-ftp's time over the floor's, the ratio that a parser
// doing no more than the floor would reach.
for (const [label, fast, slow, floor, entry] of [
  ['Unix ls -l, parseListLine', 0, 2, 9, 12],
  ['Unix ls -l, ListingParser bytes in', 1, 2, 9, 12],
  ['DOS, parseListLine', 3, 5, 10, 13],
  ['DOS, ListingParser bytes in', 4, 5, 10, 13],
  ['MLSD, parseFacts', 6, 8, 11, -1],
  ['MLSD, ListingParser bytes in', 7, 8, 11, -1],
] as const) {
  const median = summary[slow]!.median / summary[fast]!.median;
  const best = summary[slow]!.min / summary[fast]!.min;
  const bound = summary[slow]!.median / summary[floor]!.median;
  const withEntry =
    entry === -1
      ? ''
      : `, ${(summary[slow]!.median / summary[entry]!.median).toFixed(2)}x with the entry (Date, slices)`;
  console.log(
    `${median >= RATIO_TARGET ? 'MET   ' : 'MISSED'} #13 ftpwire vs basic-ftp, ${label}: ${median.toFixed(2)}x (medians), ${best.toFixed(2)}x (best rounds); target >= ${RATIO_TARGET}x; bound ${bound.toFixed(2)}x (cut + read each char + 1 object)${withEntry}`,
  );
}
if (baseline !== undefined) {
  for (const [label, fast, slow, before] of [
    ['Unix ls -l, parseListLine', 0, 2, 14],
    ['DOS, parseListLine', 3, 5, 15],
    ['MLSD, parseFacts', 6, 8, 16],
  ] as const) {
    const ratio = (a: number, b: number) => (summary[a]!.median / summary[b]!.median).toFixed(2);
    console.log(
      `baseline ${label}: this build ${ratio(slow, fast)}x basic-ftp, baseline ${ratio(slow, before)}x, this build ${ratio(before, fast)}x the baseline`,
    );
  }
}
