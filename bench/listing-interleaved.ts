/**
 * The issue 13 listing targets measured the way a shared, noisy machine allows: ftpwire and
 * basic-ftp take turns, one iteration each per round, on the seeded 10,000-entry listings of
 * bench/listing-corpus.ts, and ratios come from the medians of each contender's rounds (the
 * best rounds are shown too). `pnpm bench` runs it after the vitest groups; alone:
 * `pnpm build && tsx bench/listing-interleaved.ts` (the built packages).
 */
import {
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

const ROUNDS = Number(process.env['BENCH_ROUNDS'] ?? 40);
const WARMUP_ROUNDS = 10;
const RATIO_TARGET = 3;

checkTruth('Unix', unix);
checkTruth('DOS', dos);
checkTruth('MLSD', mlsd);

let sink = 0;
const contenders = [
  ['ftpwire parseListLine, Unix', () => ftpwireListLines(unix.text)],
  ['ftpwire ListingParser, Unix, bytes in', () => ftpwireStream(unix.chunks)],
  ['basic-ftp parseList, Unix', () => basicFtpList(unix.text)],
  ['ftpwire parseListLine, DOS', () => ftpwireListLines(dos.text)],
  ['ftpwire ListingParser, DOS, bytes in', () => ftpwireStream(dos.chunks)],
  ['basic-ftp parseList, DOS', () => basicFtpList(dos.text)],
  ['ftpwire parseFacts, MLSD', () => ftpwireFactLines(mlsd.text)],
  ['ftpwire ListingParser, MLSD, bytes in', () => ftpwireStream(mlsd.chunks, 'mlsd')],
  ['basic-ftp parseList, MLSD', () => basicFtpList(mlsd.text, true)],
] as const;
const times = contenders.map(() => [] as number[]);
for (let round = 0; round < ROUNDS + WARMUP_ROUNDS; round++) {
  contenders.forEach(([, run], index) => {
    const start = performance.now();
    sink += run();
    if (round >= WARMUP_ROUNDS) times[index]!.push(performance.now() - start);
  });
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
for (const [label, fast, slow] of [
  ['Unix ls -l, parseListLine', 0, 2],
  ['Unix ls -l, ListingParser bytes in', 1, 2],
  ['DOS, parseListLine', 3, 5],
  ['DOS, ListingParser bytes in', 4, 5],
  ['MLSD, parseFacts', 6, 8],
  ['MLSD, ListingParser bytes in', 7, 8],
] as const) {
  const median = summary[slow]!.median / summary[fast]!.median;
  const best = summary[slow]!.min / summary[fast]!.min;
  console.log(
    `${median >= RATIO_TARGET ? 'MET   ' : 'MISSED'} #13 ftpwire vs basic-ftp, ${label}: ${median.toFixed(2)}x (medians), ${best.toFixed(2)}x (best rounds); target >= ${RATIO_TARGET}x`,
  );
}
