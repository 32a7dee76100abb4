/**
 * The reply parser on a seeded session corpus (bench/corpus.ts), against what a user would
 * otherwise pick: basic-ftp's `parseControlResponse`, driven the way its client drives it (on
 * strings decoded before timing, the conservative comparison of issue 2, and with bytes in,
 * the like-for-like one), and ftp-response-parser's Transform stream. Every workload is checked once at module load, outside
 * timing: ftpwire must produce the true reply count or the file throws; the others' counts are
 * recorded in their bench names (`[emits=N]`) for the report, since basic-ftp is known to
 * mis-parse a line cut by a chunk boundary.
 */
import { createRequire } from 'node:module';
import { parseReply, ReplyParserStream } from '@ftpwire/reply';
import { parseControlResponse } from 'basic-ftp/dist/parseControlResponse.js';
import { bench, describe } from 'vitest';
import {
  corpus,
  expectCount,
  expectedLines,
  expectedReplies,
  largeChunks,
  largeChunkTexts,
  segments,
  segmentTexts,
  sink,
  tag,
} from './corpus.js';
import {
  basicFtpReplies,
  basicFtpRepliesFromBytes,
  ftpwireReplies,
  toBuffers,
} from './reply-contenders.js';

/** The headline comparison (issue 2): 1460-byte segments. The whole `pnpm bench` should stay near a minute. */
const options = { time: 1500, warmupTime: 1000 };
/** Secondary groups. */
const shortOptions = { time: 500, warmupTime: 200 };
/** Workloads slow enough that tinybench's default of at least 10 iterations would overrun `time`. */
const slowOptions = { iterations: 4 };

async function ftpwireStreamReplies(chunks: readonly Uint8Array[]): Promise<number> {
  let next = 0;
  const source = new ReadableStream<Uint8Array>({
    pull(controller) {
      const chunk = chunks[next++];
      if (chunk === undefined) controller.close();
      else controller.enqueue(chunk);
    },
  });
  const reader = source.pipeThrough(new ReplyParserStream()).getReader();
  let count = 0;
  let checksum = 0;
  for (let read = await reader.read(); !read.done; read = await reader.read()) {
    count++;
    checksum += read.value.code + read.value.lines.length;
  }
  sink.value += checksum;
  return count;
}

interface FtpResponse {
  readonly code: number;
  readonly text: string;
}
interface FtpResponseParser {
  on(event: 'data', listener: (response: FtpResponse) => void): unknown;
  write(chunk: Buffer): boolean;
  end(): void;
}
// ftp-response-parser 1.0.1 is CommonJS without types.
const FtpResponseParser = createRequire(import.meta.url)(
  'ftp-response-parser',
) as new () => FtpResponseParser;

/** It calls `chunk.toString()`, so it must get Buffers (views, made here outside timing). */
const segmentBuffers = toBuffers(segments);
const largeChunkBuffers = toBuffers(largeChunks);

/** Its 'data' events fire synchronously inside `write` (readable-stream 1.1 in flowing mode). */
function ftpResponseParserReplies(buffers: readonly Buffer[]): number {
  let count = 0;
  let checksum = 0;
  const parser = new FtpResponseParser();
  parser.on('data', (response) => {
    count++;
    checksum += response.code + response.text.length;
  });
  for (const buffer of buffers) parser.write(buffer);
  parser.end();
  sink.value += checksum;
  return count;
}

const PASV_TEXT = '227 Entering Passive Mode (10,0,1,121,195,80).\r\n';
const PASV_BYTES = new TextEncoder().encode(PASV_TEXT);

// Checked once, outside timing.
expectCount('ftpwire ReplyParser, segments', ftpwireReplies(segments), expectedReplies);
expectCount('ftpwire ReplyParser, 64 KiB chunks', ftpwireReplies(largeChunks), expectedReplies);
expectCount('ftpwire ReplyParserStream', await ftpwireStreamReplies(segments), expectedReplies);
expectCount('ftpwire parseReply', parseReply(PASV_BYTES).lines.length, 1);
const basicFtpSegmentEmits = basicFtpReplies(segmentTexts);
expectCount(
  'basic-ftp with its decoding',
  basicFtpRepliesFromBytes(segmentBuffers),
  basicFtpSegmentEmits,
);
const basicFtpLargeEmits = basicFtpReplies(largeChunkTexts);
const ftpResponseParserSegmentEmits = ftpResponseParserReplies(segmentBuffers);
const ftpResponseParserLargeEmits = ftpResponseParserReplies(largeChunkBuffers);

const workload = tag({ bytes: corpus.length, replies: expectedReplies, lines: expectedLines });

describe(`replies, 1460-byte segments ${workload}`, () => {
  bench(
    'ftpwire ReplyParser',
    () => {
      ftpwireReplies(segments);
    },
    options,
  );
  bench(
    `basic-ftp parseControlResponse ${tag({ emits: basicFtpSegmentEmits })}`,
    () => {
      basicFtpReplies(segmentTexts);
    },
    options,
  );
  bench(
    `basic-ftp parseControlResponse, bytes in ${tag({ emits: basicFtpSegmentEmits })}`,
    () => {
      basicFtpRepliesFromBytes(segmentBuffers);
    },
    options,
  );
  bench(
    `ftp-response-parser ${tag({ emits: ftpResponseParserSegmentEmits })}`,
    () => {
      ftpResponseParserReplies(segmentBuffers);
    },
    { ...options, ...slowOptions },
  );
});

describe(`replies, 64 KiB chunks ${workload}`, () => {
  bench(
    'ftpwire ReplyParser',
    () => {
      ftpwireReplies(largeChunks);
    },
    shortOptions,
  );
  bench(
    `basic-ftp parseControlResponse ${tag({ emits: basicFtpLargeEmits })}`,
    () => {
      basicFtpReplies(largeChunkTexts);
    },
    shortOptions,
  );
  bench(
    `ftp-response-parser ${tag({ emits: ftpResponseParserLargeEmits })}`,
    () => {
      ftpResponseParserReplies(largeChunkBuffers);
    },
    { ...shortOptions, ...slowOptions },
  );
});

describe(`replies through Web Streams, 1460-byte segments ${workload}`, () => {
  bench(
    'ftpwire ReplyParser push',
    () => {
      ftpwireReplies(segments);
    },
    shortOptions,
  );
  bench(
    'ftpwire ReplyParserStream',
    async () => {
      await ftpwireStreamReplies(segments);
    },
    { ...shortOptions, ...slowOptions },
  );
});

describe(`one-shot, one 227 line ${tag({ bytes: PASV_BYTES.length, replies: 1, lines: 1 })}`, () => {
  bench(
    'ftpwire parseReply bytes',
    () => {
      sink.value += parseReply(PASV_BYTES).code;
    },
    shortOptions,
  );
  bench(
    'ftpwire parseReply string',
    () => {
      sink.value += parseReply(PASV_TEXT).code;
    },
    shortOptions,
  );
  bench(
    'basic-ftp parseControlResponse',
    () => {
      const [message] = parseControlResponse(PASV_TEXT).messages;
      sink.value += Number.parseInt(message!.substring(0, 3), 10);
    },
    shortOptions,
  );
});
