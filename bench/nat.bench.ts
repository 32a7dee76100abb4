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
import { NatRewriter, NatSession, ReplyRewriter } from '@ftpwire/nat';
import { bench, describe } from 'vitest';
import { lightCorpus, lightLargeChunks, lightSegments } from './corpus.js';
import {
  natCorpus as corpus,
  PUBLIC,
  passThroughPair,
  regexRewriter,
  replyRewriteStream,
  runCore,
  runNode,
  runReplies,
  runWeb,
  type Step,
  natSink as sink,
  steps,
} from './nat-contenders.js';
import { natLowerBound } from './nat-floor.js';

const SEGMENT_SIZE = 1460;
const LARGE_CHUNK_SIZE = 64 * 1024;
const options = { time: 1000, warmupTime: 300 };
const replyBytes = corpus.replies;
const large = steps(LARGE_CHUNK_SIZE);
const segments = steps(SEGMENT_SIZE);

function tag(fields: Readonly<Record<string, number>>): string {
  return `[${Object.entries(fields)
    .map(([key, value]) => `${key}=${value}`)
    .join(' ')}]`;
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

/**
 * Issue 15, target 1: the one-direction rewriter (`createReplyRewriteStream`, `rewriteHosts:
 * 'all'`) against the regex rewriter, on the dense replies and on the lighter corpus (about one
 * 227 per 1.5 KB, multi-line banners, FEAT, STAT and HELP), at 64 KiB and 1460 B.
 */
const oneDirection = [
  ['dense, 64 KiB chunks', large.map((step) => step.replies), replyBytes.length],
  ['dense, 1460-byte chunks', segments.map((step) => step.replies), replyBytes.length],
  ['light, 64 KiB chunks', lightLargeChunks, lightCorpus.length],
  ['light, 1460-byte chunks', lightSegments, lightCorpus.length],
] as const;
for (const [label, chunks] of oneDirection) {
  // Checked once: the stream delivers what the sync rewriter does, and rewrites something.
  let rewritten = 0;
  const sync = new ReplyRewriter({
    publicHost: PUBLIC,
    rewriteHosts: 'all',
    onRewrite: () => rewritten++,
  });
  let expected = 0;
  for (const chunk of chunks) sync.push(chunk, (piece) => (expected += piece.length));
  sync.end((piece) => (expected += piece.length));
  const delivered = await runReplies(replyRewriteStream(), chunks);
  if (delivered !== expected || rewritten === 0) {
    throw new Error(
      `reply rewrite stream, ${label}: delivered ${delivered} bytes, expected ${expected}`,
    );
  }
}
for (const [label, chunks, bytes] of oneDirection) {
  describe(`reply rewrite stream, ${label} ${tag({ bytes, chunks: chunks.length })}`, () => {
    bench(
      'ftpwire createReplyRewriteStream',
      async () => {
        sink.value += await runReplies(replyRewriteStream(), chunks);
      },
      options,
    );
    bench(
      'regex rewriter TransformStream',
      async () => {
        sink.value += await runReplies(regexRewriter(), chunks);
      },
      options,
    );
  });
}
