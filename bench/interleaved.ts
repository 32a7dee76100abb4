/**
 * The issues' ratio targets measured the way a shared, noisy machine allows: the contenders take
 * turns, one iteration each per round, so a slow spell of the machine falls on all of them
 * alike; ratios come from the medians of each contender's rounds (the fastest rounds are shown
 * too). vitest bench runs each contender for a second or more in a row, where one slow spell
 * can move a ratio by a third: `pnpm bench` runs this after it, and these verdicts decide.
 * Runs the built packages: `pnpm build && pnpm bench:interleaved`. `BENCH_ROUNDS` sets the
 * rounds (default 40); `BENCH_ONLY=reply` or `BENCH_ONLY=nat` runs one half.
 */
import {
  corpus,
  expectCount,
  expectedLines,
  expectedReplies,
  largeChunks,
  largeChunkTexts,
  lightCorpus,
  lightLargeChunks,
  lightSegments,
  segments,
  segmentTexts,
  wholeLineChunks,
  wholeLineTexts,
} from './corpus.js';
import { rangeLines, textLines } from './line-contenders.js';
import {
  natCorpus,
  oneDirectionRewrites,
  PUBLIC,
  regexRewriter,
  replyRewriteStream,
  runCore,
  runNode,
  runReplies,
  runWeb,
  sessionPair,
  steps,
} from './nat-contenders.js';
import { natLowerBound } from './nat-floor.js';
import {
  basicFtpReplies as basicFtp,
  basicFtpRepliesFromBytes as basicFtpBytes,
  ftpwireReplies as ftpwire,
  toBuffers,
} from './reply-contenders.js';

const ROUNDS = Number(process.env['BENCH_ROUNDS'] ?? 40);
const ONLY = process.env['BENCH_ONLY'] ?? '';
const WARMUP_ROUNDS = 8;
const LINES_PER_SECOND_TARGET = 15e6;

type Run = () => unknown;
interface Contender {
  readonly name: string;
  readonly bytes: number;
  readonly run: Run;
}
/** A verdict: `fast` must take at most 1/`ratio` of `slow`'s time (medians). */
interface Target {
  readonly label: string;
  readonly fast: string;
  readonly slow: string;
  readonly ratio: number;
  readonly issue: number;
  /**
   * Contenders whose times added up bound `fast` from below (nat-floor.ts and the stream it
   * must run in; the line splitter a reply parser stands on): the ratio `fast` could reach if
   * it cost nothing beyond them.
   */
  readonly bound?: readonly string[];
}

const contenders: Contender[] = [];
const targets: Target[] = [];
const add = (name: string, bytes: number, run: Run) => contenders.push({ name, bytes, run });

if (ONLY === '' || ONLY === 'reply') {
  const segmentBuffers = toBuffers(segments);
  expectCount('ftpwire, segments', ftpwire(segments), expectedReplies);
  expectCount('ftpwire, 64 KiB', ftpwire(largeChunks), expectedReplies);
  expectCount('ftpwire, whole lines', ftpwire(wholeLineChunks), expectedReplies);
  expectCount('basic-ftp, whole lines', basicFtp(wholeLineTexts), expectedReplies);
  expectCount('LineSplitter, segments', rangeLines(segments), expectedLines);
  expectCount('LineSplitter text, segments', textLines(segments), expectedLines);
  const size = corpus.length;
  add('ftpwire ReplyParser, whole-line chunks', size, () => ftpwire(wholeLineChunks));
  add('basic-ftp, whole-line chunks, pre-decoded', size, () => basicFtp(wholeLineTexts));
  add('ftpwire ReplyParser, 1460-B segments', size, () => ftpwire(segments));
  add('basic-ftp, 1460-B segments, pre-decoded', size, () => basicFtp(segmentTexts));
  add('basic-ftp, 1460-B segments, bytes in', size, () => basicFtpBytes(segmentBuffers));
  add('ftpwire ReplyParser, 64 KiB chunks', size, () => ftpwire(largeChunks));
  add('basic-ftp, 64 KiB chunks, pre-decoded', size, () => basicFtp(largeChunkTexts));
  add('ftpwire LineSplitter onLineRange, segments', size, () => rangeLines(segments));
  // The splitter's text path alone, what ReplyParser cannot go below (the bound of target 3).
  add('LineSplitter onTextLine only, whole-line chunks', size, () => textLines(wholeLineChunks));
  add('LineSplitter onTextLine only, 1460-B segments', size, () => textLines(segments));
  add('LineSplitter onTextLine only, 64 KiB chunks', size, () => textLines(largeChunks));
  for (const [label, fast, slow, bound] of [
    [
      'pre-decoded, whole-line chunks',
      'ftpwire ReplyParser, whole-line chunks',
      'basic-ftp, whole-line chunks, pre-decoded',
      'LineSplitter onTextLine only, whole-line chunks',
    ],
    [
      'pre-decoded, segments',
      'ftpwire ReplyParser, 1460-B segments',
      'basic-ftp, 1460-B segments, pre-decoded',
      'LineSplitter onTextLine only, 1460-B segments',
    ],
    [
      'bytes in, segments',
      'ftpwire ReplyParser, 1460-B segments',
      'basic-ftp, 1460-B segments, bytes in',
      'LineSplitter onTextLine only, 1460-B segments',
    ],
    [
      'pre-decoded, 64 KiB',
      'ftpwire ReplyParser, 64 KiB chunks',
      'basic-ftp, 64 KiB chunks, pre-decoded',
      'LineSplitter onTextLine only, 64 KiB chunks',
    ],
  ] as const) {
    targets.push({
      label: `ReplyParser vs basic-ftp ${label}`,
      fast,
      slow,
      ratio: 3,
      issue: 15,
      bound: [bound],
    });
  }
}

if (ONLY === '' || ONLY === 'nat') {
  const dense64 = steps(64 * 1024);
  const dense1460 = steps(1460);
  const denseBytes = natCorpus.replies.length;
  const publicTuple = new TextEncoder().encode(PUBLIC.replaceAll('.', ','));
  // The same replies without the commands: no PASV is outstanding, nothing is rewritten.
  const repliesOnly64 = dense64.map((step) => ({
    commands: new Uint8Array(0),
    replies: step.replies,
  }));
  for (const [label, chunks, bytes] of [
    ['dense, 64 KiB', dense64.map((step) => step.replies), denseBytes],
    ['dense, 1460 B', dense1460.map((step) => step.replies), denseBytes],
    ['light, 64 KiB', lightLargeChunks, lightCorpus.length],
    ['light, 1460 B', lightSegments, lightCorpus.length],
  ] as const) {
    const work = chunks.map((replies) => ({ commands: new Uint8Array(0), replies }));
    const rewrites = oneDirectionRewrites(chunks);
    const found = natLowerBound(work, publicTuple, undefined, true);
    if (found !== rewrites) {
      throw new Error(`one-direction bound, ${label}: ${found} 227s, expected ${rewrites}`);
    }
    add(`createReplyRewriteStream, ${label}`, bytes, () =>
      runReplies(replyRewriteStream(), chunks),
    );
    add(`regex rewriter, ${label}`, bytes, () => runReplies(regexRewriter(), chunks));
    add(`do-nothing TransformStream, ${label}`, bytes, () =>
      runReplies(new TransformStream(), chunks),
    );
    add(`lower bound (2), one direction, ${label}`, bytes, () =>
      natLowerBound(work, publicTuple, (out) => out.length, true),
    );
    targets.push({
      label: `createReplyRewriteStream vs regex rewriter, ${label}`,
      fast: `createReplyRewriteStream, ${label}`,
      slow: `regex rewriter, ${label}`,
      ratio: 1,
      issue: 15,
      bound: [`lower bound (2), one direction, ${label}`, `do-nothing TransformStream, ${label}`],
    });
  }
  for (const [label, work] of [
    ['dense, 64 KiB', dense64],
    ['dense, 1460 B', dense1460],
  ] as const) {
    add(`NatRewriter sync core, ${label}`, denseBytes, () => runCore(work));
    add(`lower bound (2), ${label}`, denseBytes, () =>
      natLowerBound(work, publicTuple, (bytes) => bytes.length),
    );
    // The bound builds one array per chunk, as pushJoined does; push hands out views instead.
    add(`NatRewriter sync core pushJoined, ${label}`, denseBytes, () => runCore(work, true));
    for (const core of ['NatRewriter sync core', 'NatRewriter sync core pushJoined']) {
      targets.push({
        label: `${core} vs nat-floor bound (2), ${label}`,
        fast: `${core}, ${label}`,
        slow: `lower bound (2), ${label}`,
        ratio: 0.8,
        issue: 15,
      });
    }
  }
  add('NatRewriter sync core, no PASV outstanding, 64 KiB', denseBytes, () =>
    runCore(repliesOnly64),
  );
  add('regex rewriter, no PASV outstanding, 64 KiB', denseBytes, () =>
    runWeb({ commands: new TransformStream(), replies: regexRewriter() }, repliesOnly64),
  );
  targets.push({
    label: 'NatRewriter sync core vs regex rewriter, no PASV outstanding, 64 KiB',
    fast: 'NatRewriter sync core, no PASV outstanding, 64 KiB',
    slow: 'regex rewriter, no PASV outstanding, 64 KiB',
    ratio: 2.5,
    issue: 15,
  });
  add('NodeNatSession, dense, 1460 B', denseBytes, () => runNode(dense1460));
  add('NatSession (Web Streams), dense, 1460 B', denseBytes, () =>
    runWeb(sessionPair(), dense1460),
  );
  targets.push({
    label: 'NodeNatSession vs NatSession (Web Streams), dense, 1460 B',
    fast: 'NodeNatSession, dense, 1460 B',
    slow: 'NatSession (Web Streams), dense, 1460 B',
    ratio: 1,
    issue: 15,
  });
}

const times = contenders.map(() => [] as number[]);
for (let round = 0; round < ROUNDS + WARMUP_ROUNDS; round++) {
  for (let index = 0; index < contenders.length; index++) {
    const start = performance.now();
    const result = contenders[index]!.run();
    if (result instanceof Promise) await result;
    // The first rounds warm the JIT up and are not counted.
    if (round >= WARMUP_ROUNDS) times[index]!.push(performance.now() - start);
  }
}
const summary = new Map(
  contenders.map((contender, index) => {
    const sorted = [...times[index]!].sort((a, b) => a - b);
    return [contender.name, { median: sorted[sorted.length >> 1]!, min: sorted[0]!, contender }];
  }),
);
const rate = (bytes: number, ms: number) => `${(bytes / ms / 1000).toFixed(0)} MB/s`;
console.log(`interleaved: ${ROUNDS} rounds`);
for (const { median, min, contender } of summary.values()) {
  console.log(
    `  ${contender.name.padEnd(60)} median ${rate(contender.bytes, median).padStart(9)}   best ${rate(contender.bytes, min).padStart(9)}`,
  );
}
const verdict = (met: boolean) => (met ? 'MET   ' : 'MISSED');
for (const target of targets) {
  const fast = summary.get(target.fast)!;
  const slow = summary.get(target.slow)!;
  const median = slow.median / fast.median;
  const bound = target.bound
    ? `; bound ${(slow.median / target.bound.reduce((sum, name) => sum + summary.get(name)!.median, 0)).toFixed(2)}x (${target.bound.join(' + ')})`
    : '';
  console.log(
    `${verdict(median >= target.ratio)} #${target.issue} ${target.label}: ${median.toFixed(2)}x (medians), ${(slow.min / fast.min).toFixed(2)}x (best rounds); target >= ${target.ratio}x${bound}`,
  );
}
const lines = summary.get('ftpwire LineSplitter onLineRange, segments');
if (lines) {
  const linesPerSecond = expectedLines / (lines.median / 1000);
  console.log(
    `${verdict(linesPerSecond >= LINES_PER_SECOND_TARGET)} #2 LineSplitter onLineRange, segments: ${(linesPerSecond / 1e6).toFixed(1)} M lines/s (median), ${(expectedLines / lines.min / 1000).toFixed(1)} M (best round); target >= ${LINES_PER_SECOND_TARGET / 1e6} M`,
  );
}
