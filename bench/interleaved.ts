/**
 * The issue 2 comparison measured the way a shared, noisy machine allows: the contenders take
 * turns, one iteration each per round, so a slow spell of the machine falls on all of them
 * alike, and the ratios come from the median and the fastest of each contender's rounds.
 * (vitest bench runs each contender for a second or more in a row: there, one slow spell can
 * move a ratio by a third.) Runs the built packages: `pnpm build && pnpm bench:interleaved`.
 */
import {
  expectCount,
  expectedReplies,
  largeChunks,
  largeChunkTexts,
  segments,
  segmentTexts,
} from './corpus.js';
import {
  basicFtpReplies as basicFtp,
  basicFtpRepliesFromBytes as basicFtpBytes,
  ftpwireReplies as ftpwire,
  toBuffers,
} from './reply-contenders.js';

const ROUNDS = Number(process.env['BENCH_ROUNDS'] ?? 60);
const corpusBytes = segments.reduce((sum, chunk) => sum + chunk.length, 0);

const segmentBuffers = toBuffers(segments);

expectCount('ftpwire, segments', ftpwire(segments), expectedReplies);
expectCount('ftpwire, 64 KiB', ftpwire(largeChunks), expectedReplies);

const contenders: readonly [string, () => unknown][] = [
  ['ftpwire ReplyParser, 1460-B segments', () => ftpwire(segments)],
  ['basic-ftp, 1460-B segments, pre-decoded', () => basicFtp(segmentTexts)],
  ['basic-ftp, 1460-B segments, bytes in', () => basicFtpBytes(segmentBuffers)],
  ['ftpwire ReplyParser, 64 KiB chunks', () => ftpwire(largeChunks)],
  ['basic-ftp, 64 KiB chunks, pre-decoded', () => basicFtp(largeChunkTexts)],
];
const times = contenders.map(() => [] as number[]);
for (let round = 0; round < ROUNDS + 10; round++) {
  contenders.forEach(([, run], index) => {
    const start = performance.now();
    run();
    // The first ten rounds warm the JIT up and are not counted.
    if (round >= 10) times[index]!.push(performance.now() - start);
  });
}
const summary = times.map((list) => {
  const sorted = [...list].sort((a, b) => a - b);
  return { median: sorted[sorted.length >> 1]!, min: sorted[0]! };
});
const rate = (ms: number) => `${(corpusBytes / ms / 1000).toFixed(0)} MB/s`;
console.log(
  `reply parser, interleaved: ${ROUNDS} rounds, ${corpusBytes} bytes, ${expectedReplies} replies`,
);
contenders.forEach(([name], index) => {
  const { median, min } = summary[index]!;
  console.log(
    `  ${name.padEnd(42)} median ${rate(median).padStart(9)}   best ${rate(min).padStart(9)}`,
  );
});
const ratio = (fast: number, slow: number) => {
  const a = summary[fast]!;
  const b = summary[slow]!;
  return `${(b.median / a.median).toFixed(2)}x (medians), ${(b.min / a.min).toFixed(2)}x (best rounds)`;
};
console.log(`ftpwire vs basic-ftp pre-decoded, segments: ${ratio(0, 1)}`);
console.log(`ftpwire vs basic-ftp bytes in, segments:    ${ratio(0, 2)}`);
console.log(`ftpwire vs basic-ftp pre-decoded, 64 KiB:   ${ratio(3, 4)}`);
