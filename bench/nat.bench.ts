/**
 * The NAT session on realistic control traffic, against what a user would otherwise put on
 * the stream: a do-nothing TransformStream (the floor any Web Streams stage costs) and a
 * straightforward regex-based rewriter (buffer to the last line feed, decode, `replace` every
 * `227 ...h1,h2,h3,h4,` line, encode), in the same run, at 64 KiB and 1460-byte chunks.
 *
 * Traffic: one long control connection built from the real transcripts in
 * test/fixtures/transcripts (vsftpd, ProFTPD, Pure-FTPd, ftp-srv, IIS): a seeded sequence of
 * their command/reply exchanges (PASV and EPSV with their transfers, SIZE, MDTM, CWD, PWD,
 * TYPE, NOOP, PORT, EPRT, now and then FEAT, HELP, STAT), each PASV answered by its server's
 * 227 with a fresh private address and port. Every contender gets both directions: before
 * each reply chunk, the commands its replies answer go through the commands side (a second
 * do-nothing stream for the baselines). Rates are reply bytes per second, the command side
 * included in the time. The session adapters run with their default delivery (one array per
 * input chunk); the sync core is listed for reference, without any stream. Two lower bounds
 * (nat-floor.ts) show what any correct session must at least spend on this traffic: the line
 * starts and the reply pairing alone, and that plus the 227 numbers and the rewritten output.
 *
 * Checked once at module load, outside timing: every implementation must deliver every byte,
 * and the session must rewrite exactly the 227 replies that answer a PASV, or the file throws.
 */
import { once } from 'node:events';
import { NatRewriter, NatSession } from '@ftpwire/nat';
import { NodeNatSession } from '@ftpwire/nat/node';
import { bench, describe } from 'vitest';
import { sessionCorpus } from '../test/fixtures/transcripts/session-corpus.js';
import { natLowerBound } from './nat-floor.js';

const TARGET_BYTES = 4 * 1024 * 1024;
const SEGMENT_SIZE = 1460;
const LARGE_CHUNK_SIZE = 64 * 1024;
const PUBLIC = '193.21.1.121';
const options = { time: 1000, warmupTime: 300 };

/** Every result feeds this sum, a store the compiler must keep. */
const sink = { value: 0 };

const corpus = sessionCorpus(TARGET_BYTES);
const replyBytes = corpus.replies;

/** One step of the connection: the commands to send, then a chunk of replies. */
interface Step {
  readonly commands: Uint8Array;
  readonly replies: Uint8Array;
}

/** Cuts the replies every `size` bytes; each cut is preceded by the commands its replies answer. */
function steps(size: number): Step[] {
  const out: Step[] = [];
  let sent = 0;
  let next = 0;
  for (let at = 0; at < replyBytes.length; at += size) {
    const end = Math.min(at + size, replyBytes.length);
    while (next < corpus.replyStarts.length && corpus.replyStarts[next]! < end) next++;
    const upTo = next === 0 ? 0 : corpus.commandEnds[next - 1]!;
    out.push({
      commands: corpus.commands.subarray(sent, upTo),
      replies: replyBytes.subarray(at, end),
    });
    sent = upTo;
  }
  return out;
}

const large = steps(LARGE_CHUNK_SIZE);
const segments = steps(SEGMENT_SIZE);

function tag(fields: Readonly<Record<string, number>>): string {
  return `[${Object.entries(fields)
    .map(([key, value]) => `${key}=${value}`)
    .join(' ')}]`;
}

/** Any pair of byte streams: the session, or the baselines. */
interface WebPair {
  readonly commands: TransformStream<Uint8Array, Uint8Array>;
  readonly replies: TransformStream<Uint8Array, Uint8Array>;
}

async function drain(readable: ReadableStream<Uint8Array>): Promise<number> {
  const reader = readable.getReader();
  let bytes = 0;
  for (let read = await reader.read(); !read.done; read = await reader.read()) {
    bytes += read.value.length;
  }
  return bytes;
}

/** Drives a pair as a proxy does: each step's commands, then its replies. Returns reply bytes out. */
async function runWeb(pair: WebPair, work: readonly Step[]): Promise<number> {
  const commandsOut = drain(pair.commands.readable);
  const repliesOut = drain(pair.replies.readable);
  const commands = pair.commands.writable.getWriter();
  const replies = pair.replies.writable.getWriter();
  for (const step of work) {
    if (step.commands.length > 0) await commands.write(step.commands);
    await replies.write(step.replies);
  }
  await commands.close();
  await replies.close();
  sink.value += await commandsOut;
  return repliesOut;
}

function passThroughPair(): WebPair {
  return { commands: new TransformStream(), replies: new TransformStream() };
}

/** The straightforward rewriter: buffer to the last LF, decode, regex-replace 227 lines, encode. */
function regexRewriter(): TransformStream<Uint8Array, Uint8Array> {
  const decoder = new TextDecoder();
  const textEncoder = new TextEncoder();
  const publicTuple = PUBLIC.replaceAll('.', ',');
  let pending = '';
  return new TransformStream({
    transform(chunk, controller) {
      pending += decoder.decode(chunk, { stream: true });
      const end = pending.lastIndexOf('\n') + 1;
      if (end === 0) return;
      const lines = pending.slice(0, end);
      pending = pending.slice(end);
      controller.enqueue(
        textEncoder.encode(
          lines.replace(/^(227 [^\d\r\n]*)\d+,\d+,\d+,\d+,/gm, `$1${publicTuple},`),
        ),
      );
    },
    flush(controller) {
      if (pending !== '') controller.enqueue(textEncoder.encode(pending));
    },
  });
}

/** The node adapter, written to as a socket's 'data' handler would, read through 'data' events. */
async function runNode(work: readonly Step[]): Promise<number> {
  const nat = new NodeNatSession({ publicHost: PUBLIC });
  let replyOut = 0;
  nat.commands.on('data', (chunk: Buffer) => {
    sink.value += chunk.length;
  });
  nat.replies.on('data', (chunk: Buffer) => {
    replyOut += chunk.length;
  });
  const done = Promise.all([once(nat.commands, 'end'), once(nat.replies, 'end')]);
  for (const step of work) {
    if (step.commands.length > 0) nat.commands.write(step.commands);
    nat.replies.write(step.replies);
  }
  nat.commands.end();
  nat.replies.end();
  await done;
  return replyOut;
}

/** The synchronous core, for reference: what the adapters add on top of it. */
function runCore(work: readonly Step[]): number {
  const nat = new NatRewriter({ publicHost: PUBLIC });
  let replyOut = 0;
  const toServer = (piece: Uint8Array) => {
    sink.value += piece.length;
  };
  const toClient = (piece: Uint8Array) => {
    replyOut += piece.length;
  };
  for (const step of work) {
    if (step.commands.length > 0) nat.commands.push(step.commands, toServer);
    nat.replies.push(step.replies, toClient);
  }
  nat.commands.end(toServer);
  nat.replies.end(toClient);
  return replyOut;
}

// Load-time checks: every contender delivers every byte; the session rewrites exactly the
// 227 replies that answer a PASV ("(h1,...)" grows or shrinks, so count the events instead).
let rewrites = 0;
const checker = new NatRewriter({ publicHost: PUBLIC, onRewrite: () => rewrites++ });
for (const step of segments) {
  checker.commands.push(step.commands, () => undefined);
  checker.replies.push(step.replies, () => undefined);
}
if (rewrites !== corpus.pasvReplies) {
  throw new Error(`NatRewriter rewrote ${rewrites} replies, expected ${corpus.pasvReplies}`);
}
/** The public host as a 227 writes it, for the lower bound that builds output. */
const publicTuple = new TextEncoder().encode(PUBLIC.replaceAll('.', ','));
for (const [name, work] of [
  ['64 KiB', large],
  ['1460', segments],
] as const) {
  for (const output of [undefined, publicTuple]) {
    const found = natLowerBound(work, output);
    if (found !== corpus.pasvReplies) {
      throw new Error(
        `lower bound, ${name}: found ${found} 227 replies, expected ${corpus.pasvReplies}`,
      );
    }
  }
}
const expectedOut = runCore(segments);
for (const [name, out] of [
  ['core 64 KiB', runCore(large)],
  ['session 1460', await runWeb(new NatSession({ publicHost: PUBLIC }), segments)],
  ['node 1460', await runNode(segments)],
  ['pass-through 1460', await runWeb(passThroughPair(), segments)],
] as const) {
  const want = name.startsWith('pass-through') ? replyBytes.length : expectedOut;
  if (out !== want) throw new Error(`${name}: delivered ${out} reply bytes, expected ${want}`);
}

for (const [label, work] of [
  ['64 KiB chunks', large],
  ['1460-byte chunks', segments],
] as const) {
  const fields = tag({
    bytes: replyBytes.length,
    chunks: work.length,
    rewrites: corpus.pasvReplies,
  });
  describe(`nat session replies, ${label} ${fields}`, () => {
    bench(
      'ftpwire NatSession (Web Streams)',
      async () => {
        sink.value += await runWeb(new NatSession({ publicHost: PUBLIC }), work);
      },
      options,
    );
    bench(
      'ftpwire NodeNatSession (@ftpwire/nat/node)',
      async () => {
        sink.value += await runNode(work);
      },
      options,
    );
    bench(
      'ftpwire NatRewriter (sync core, no stream)',
      () => {
        sink.value += runCore(work);
      },
      options,
    );
    bench(
      'lower bound: line starts and reply pairing only (bench/nat-floor.ts)',
      () => {
        sink.value += natLowerBound(work, undefined);
      },
      options,
    );
    bench(
      'lower bound: pairing, the six numbers, output (bench/nat-floor.ts)',
      () => {
        let out = 0;
        sink.value += natLowerBound(work, publicTuple, (bytes) => {
          out += bytes.length;
        });
        sink.value += out;
      },
      options,
    );
    bench(
      'do-nothing TransformStream pair',
      async () => {
        sink.value += await runWeb(passThroughPair(), work);
      },
      options,
    );
    bench(
      'regex rewriter TransformStream',
      async () => {
        sink.value += await runWeb(
          { commands: new TransformStream(), replies: regexRewriter() },
          work,
        );
      },
      options,
    );
  });
}

/** The same replies without the commands: nothing answers a PASV, so nothing is rewritten. */
const repliesOnly: Step[] = large.map((step) => ({
  commands: new Uint8Array(0),
  replies: step.replies,
}));
describe(`nat session replies, 64 KiB chunks, no command seen ${tag({ bytes: replyBytes.length, chunks: repliesOnly.length })}`, () => {
  bench(
    'ftpwire NatSession (Web Streams)',
    async () => {
      sink.value += await runWeb(new NatSession({ publicHost: PUBLIC }), repliesOnly);
    },
    options,
  );
  bench(
    'ftpwire NodeNatSession (@ftpwire/nat/node)',
    async () => {
      sink.value += await runNode(repliesOnly);
    },
    options,
  );
  bench(
    'do-nothing TransformStream pair',
    async () => {
      sink.value += await runWeb(passThroughPair(), repliesOnly);
    },
    options,
  );
  bench(
    'regex rewriter TransformStream',
    async () => {
      sink.value += await runWeb(
        { commands: new TransformStream(), replies: regexRewriter() },
        repliesOnly,
      );
    },
    options,
  );
});
