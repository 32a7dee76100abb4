// A fuzz harness for @ftpwire/reply's streaming ReplyParser, in one file to copy into your own
// project (it needs only fast-check and @ftpwire/reply). It feeds the parser random bytes and
// structured FTP replies, cut into random chunks, and checks three laws:
//
//   1. any chunking yields the same replies and the same error as one whole chunk;
//   2. every error is a ReplyError with a known `code` and an `offset` inside the input;
//   3. well-formed replies (written by formatReply) parse back to exactly their wire lines.
//
//   FUZZ_RUNS=100000 tsx fuzz-reply-parser.ts      (default 1000 runs per law)
//   FUZZ_SEED=1234 tsx fuzz-reply-parser.ts         (replay a run; a failure prints its seed)

import {
  formatReply,
  type Reply,
  ReplyError,
  type ReplyErrorCode,
  ReplyParser,
} from '@ftpwire/reply';
import fc from 'fast-check';

const runs = Number(process.env['FUZZ_RUNS'] ?? 1000);
const seed = Number(process.env['FUZZ_SEED'] ?? Date.now() % 2 ** 31);

/** Every code a parser may throw; a new one is a change the caller must hear about. */
const PARSE_ERRORS: ReadonlySet<ReplyErrorCode> = new Set([
  'ERR_MALFORMED_REPLY',
  'ERR_UNCLOSED_REPLY',
  'ERR_TOO_MANY_LINES',
  'ERR_LINE_TOO_LONG',
]);

const encoder = new TextEncoder();

function concat(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

// --- Inputs -------------------------------------------------------------------------------
// Pure noise rarely gets past the first three bytes, so most of each input is built from the
// pieces replies are made of, and the limits are set low so that they are reached.
const MAX_LINE = 256;
const MAX_LINES = 8;

/** Reply text: any Unicode (sent as UTF-8, RFC 2640), without the CR, LF and NUL it may not hold. */
const text = fc.string({ unit: 'binary', maxLength: 24 }).map((s) => s.replace(/[\r\n\0]/g, ' '));

/** Middle lines of multi-line replies are where RFC 959 §4.2 framing goes wrong. */
const middleLine = fc.oneof(text, fc.constantFrom('211 End', '211-x', '2110', ' 211 ', '999'));

const wellFormed = fc
  .record({
    code: fc.integer({ min: 100, max: 599 }),
    lines: fc.array(middleLine, { minLength: 1, maxLength: MAX_LINES - 1 }),
  })
  .map(({ code, lines }) => formatReply(code, lines));

const piece = fc.oneof(
  { weight: 4, arbitrary: wellFormed.map((wire) => encoder.encode(wire)) },
  {
    weight: 2,
    arbitrary: fc
      .constantFrom('211-', '211 ', '227 ', '\r\n', '\n', '\r', '-', ' ', '\xff', '0')
      .map((s) => encoder.encode(s)),
  },
  { weight: 1, arbitrary: fc.uint8Array({ maxLength: 16 }) },
  { weight: 1, arbitrary: fc.constant(new Uint8Array(MAX_LINE + 1).fill(0x41)) },
);

const noisy = fc.array(piece, { maxLength: 10 }).map(concat);

/** Cut points: the chunk lengths to split an input into (the last chunk takes the rest). */
const cuts = fc.array(fc.integer({ min: 0, max: 20 }), { maxLength: 30 });

function chunksOf(input: Uint8Array, lengths: readonly number[]): Uint8Array[] {
  const chunks: Uint8Array[] = [];
  let at = 0;
  for (const length of lengths) {
    if (at >= input.length) break;
    // Empty chunks too: a socket may deliver them, and they must change nothing.
    chunks.push(input.subarray(at, at + length));
    at += length;
  }
  chunks.push(input.subarray(at));
  return chunks;
}

// --- One run --------------------------------------------------------------------------------
interface Outcome {
  readonly replies: string[];
  readonly error?: string;
}

/** Everything the parser says about `chunks`, as comparable strings. */
function parse(chunks: readonly Uint8Array[], inputLength: number): Outcome {
  const replies: string[] = [];
  const record = (reply: Reply) =>
    replies.push(JSON.stringify([reply.offset, reply.code, reply.lines, reply.text]));
  const parser = new ReplyParser({
    maxLineLength: MAX_LINE,
    maxReplyLines: MAX_LINES,
    onReply: record,
  });
  try {
    for (const chunk of chunks) parser.push(chunk);
    parser.end();
    return { replies };
  } catch (error) {
    // Law 2: anything but a ReplyError is a crash in the parser, not a verdict on the input.
    if (!(error instanceof ReplyError)) throw error;
    if (!PARSE_ERRORS.has(error.code)) throw new Error(`unexpected ReplyError code ${error.code}`);
    if (!Number.isInteger(error.offset) || error.offset < 0 || error.offset > inputLength) {
      throw new Error(
        `${error.code} offset ${error.offset} outside the input (${inputLength} bytes)`,
      );
    }
    return { replies, error: `${error.code}@${error.offset}` };
  }
}

// --- Laws -----------------------------------------------------------------------------------
let failed = false;

function check<Ts>(name: string, law: fc.IProperty<Ts>): void {
  const started = performance.now();
  const result = fc.check(law, { numRuns: runs, seed });
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  if (result.failed) {
    failed = true;
    console.error(`FAIL ${name}\n${fc.defaultReportMessage(result)}`);
  } else {
    console.log(`ok   ${name}: ${runs} runs, ${seconds} s`);
  }
}

check(
  'any chunking yields the same replies and the same error',
  fc.property(noisy, cuts, (input, lengths) => {
    const whole = parse([input], input.length);
    const split = parse(chunksOf(input, lengths), input.length);
    if (JSON.stringify(whole) !== JSON.stringify(split)) {
      throw new Error(
        `chunking changed the outcome:\n  whole ${JSON.stringify(whole)}\n  split ${JSON.stringify(split)}`,
      );
    }
  }),
);

check(
  'every error is a ReplyError with a known code and an offset inside the input',
  // parse() states the law; plain random bytes here as well as reply-shaped ones.
  fc.property(fc.oneof(noisy, fc.uint8Array({ maxLength: 256 })), cuts, (input, lengths) => {
    parse(chunksOf(input, lengths), input.length);
  }),
);

check(
  'well-formed replies parse back to exactly their wire lines',
  fc.property(fc.array(wellFormed, { maxLength: 6 }), cuts, (wires, lengths) => {
    const input = encoder.encode(wires.join(''));
    const parser = new ReplyParser({ maxReplyLines: MAX_LINES });
    const replies = chunksOf(input, lengths).flatMap((chunk) => parser.push(chunk));
    replies.push(...parser.end());
    const sent = wires.map((wire) => wire.split('\r\n').slice(0, -1));
    const got = replies.map((reply) => reply.lines);
    if (JSON.stringify(got) !== JSON.stringify(sent)) {
      throw new Error(
        `replies differ:\n  sent ${JSON.stringify(sent)}\n  got  ${JSON.stringify(got)}`,
      );
    }
  }),
);

console.log(`seed ${seed} (FUZZ_SEED=${seed} replays this run)`);
process.exitCode = failed ? 1 : 0;
