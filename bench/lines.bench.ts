/**
 * The line splitter alone on the session corpus (bench/corpus.ts), through each of its ways of
 * handing out lines, against the string splitting a hand-rolled client does (basic-ftp and
 * ftp-response-parser both split decoded text on `/\r?\n/`). Each workload is checked once at
 * module load, outside timing: a wrong line count throws.
 */
import { LineSplitter, LineSplitterStream } from '@ftpwire/lines';
import { bench, describe } from 'vitest';
import {
  corpus,
  expectCount,
  expectedLines,
  largeChunks,
  largeChunkTexts,
  segments,
  segmentTexts,
  sink,
  tag,
} from './corpus.js';
import { rangeLines, stringSplitLines } from './line-contenders.js';

/** The headline comparison (issue 2): 1460-byte segments. The whole `pnpm bench` should stay near a minute. */
const options = { time: 1000, warmupTime: 300 };
/** Secondary groups. */
const shortOptions = { time: 500, warmupTime: 200 };
/** Workloads slow enough that tinybench's default of at least 10 iterations would overrun `time`. */
const slowOptions = { iterations: 4 };

/** One `Uint8Array` view per line (a copy for lines spanning chunks). */
function viewLines(chunks: readonly Uint8Array[]): number {
  let count = 0;
  let total = 0;
  const splitter = new LineSplitter({
    onLine: (line) => {
      count++;
      total += line.length;
    },
  });
  for (const chunk of chunks) splitter.push(chunk);
  splitter.end();
  sink.value += total;
  return count;
}

/** No handler: `push` returns an array of views per chunk. */
function arrayLines(chunks: readonly Uint8Array[]): number {
  let count = 0;
  let total = 0;
  const splitter = new LineSplitter();
  for (const chunk of chunks) {
    for (const line of splitter.push(chunk)) {
      count++;
      total += line.length;
    }
  }
  for (const line of splitter.end()) {
    count++;
    total += line.length;
  }
  sink.value += total;
  return count;
}

async function streamLines(chunks: readonly Uint8Array[]): Promise<number> {
  let next = 0;
  const source = new ReadableStream<Uint8Array>({
    pull(controller) {
      const chunk = chunks[next++];
      if (chunk === undefined) controller.close();
      else controller.enqueue(chunk);
    },
  });
  const reader = source.pipeThrough(new LineSplitterStream()).getReader();
  let count = 0;
  let total = 0;
  for (let read = await reader.read(); !read.done; read = await reader.read()) {
    count++;
    total += read.value.length;
  }
  sink.value += total;
  return count;
}

// Checked once, outside timing.
for (const [name, chunks] of [
  ['segments', segments],
  ['64 KiB chunks', largeChunks],
] as const) {
  expectCount(`ftpwire LineSplitter onLineRange, ${name}`, rangeLines(chunks), expectedLines);
  expectCount(`ftpwire LineSplitter onLine, ${name}`, viewLines(chunks), expectedLines);
  expectCount(`ftpwire LineSplitter push, ${name}`, arrayLines(chunks), expectedLines);
}
expectCount('ftpwire LineSplitterStream', await streamLines(segments), expectedLines);
expectCount('string split', stringSplitLines(segmentTexts), expectedLines);
expectCount('string split, 64 KiB chunks', stringSplitLines(largeChunkTexts), expectedLines);

const workload = tag({ bytes: corpus.length, lines: expectedLines });

describe(`lines, 1460-byte segments ${workload}`, () => {
  bench(
    'ftpwire LineSplitter onLineRange',
    () => {
      rangeLines(segments);
    },
    options,
  );
  bench(
    'ftpwire LineSplitter onLine',
    () => {
      viewLines(segments);
    },
    options,
  );
  bench(
    'ftpwire LineSplitter push',
    () => {
      arrayLines(segments);
    },
    options,
  );
  bench(
    'ftpwire LineSplitterStream',
    async () => {
      await streamLines(segments);
    },
    { ...options, ...slowOptions },
  );
  bench(
    'string split /\\r?\\n/ (basic-ftp style, pre-decoded)',
    () => {
      stringSplitLines(segmentTexts);
    },
    options,
  );
});

describe(`lines, 64 KiB chunks ${workload}`, () => {
  bench(
    'ftpwire LineSplitter onLineRange',
    () => {
      rangeLines(largeChunks);
    },
    shortOptions,
  );
  bench(
    'ftpwire LineSplitter onLine',
    () => {
      viewLines(largeChunks);
    },
    shortOptions,
  );
  bench(
    'string split /\\r?\\n/ (basic-ftp style, pre-decoded)',
    () => {
      stringSplitLines(largeChunkTexts);
    },
    shortOptions,
  );
});
