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
 * included in the time.
 *
 * Checked once at module load, outside timing: every implementation must deliver every byte,
 * and the session must rewrite exactly the 227 replies that answer a PASV, or the file throws.
 */
import { Writable } from 'node:stream';
import { NatRewriter, NatSession } from '@ftpwire/nat';
import { NodeNatSession } from '@ftpwire/nat/node';
import { bench, describe } from 'vitest';
import { allTranscripts, type Transcript } from '../test/fixtures/transcripts/transcripts.js';

const TARGET_BYTES = 4 * 1024 * 1024;
const SEGMENT_SIZE = 1460;
const LARGE_CHUNK_SIZE = 64 * 1024;
const PUBLIC = '193.21.1.121';
const options = { time: 1000, warmupTime: 300 };

/** Every result feeds this sum, a store the compiler must keep. */
const sink = { value: 0 };

/** mulberry32: a tiny, well-mixed 32-bit PRNG; enough for reproducible test data. */
function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const random = mulberry32(0x4e415454); // "NATT"
const int = (min: number, max: number): number => min + Math.floor(random() * (max - min + 1));

interface Exchange {
  readonly command: string;
  readonly replies: readonly string[];
}

/** A transcript cut into exchanges: a client line and the server lines up to the next one. */
function exchanges(transcript: Transcript): Exchange[] {
  const out: { command: string; replies: string[] }[] = [];
  for (const line of transcript.lines) {
    if (line.from === 'client') out.push({ command: line.text, replies: [] });
    else out.at(-1)?.replies.push(line.text);
  }
  return out;
}

/** How often each verb comes up in a busy session (transfers dominate). */
const WEIGHTS: Readonly<Record<string, number>> = {
  PASV: 24,
  EPSV: 5,
  LIST: 10,
  NLST: 6,
  RETR: 14,
  SIZE: 8,
  MDTM: 6,
  CWD: 8,
  PWD: 3,
  TYPE: 4,
  NOOP: 3,
  PORT: 3,
  EPRT: 2,
  FEAT: 1,
  HELP: 1,
  STAT: 1,
};

const pool: Exchange[] = [];
for (const transcript of allTranscripts()) {
  for (const exchange of exchanges(transcript)) {
    const verb = exchange.command.split(' ')[0]!.toUpperCase();
    for (let k = 0; k < (WEIGHTS[verb] ?? 0); k++) pool.push(exchange);
  }
}

/** The connection: greeting, then exchanges until TARGET_BYTES of replies. */
function generate() {
  const exchangesOut: { command: string; reply: string }[] = [];
  let replyBytes = '220 (vsFTPd 3.0.3)\r\n'.length;
  let pasv = 0;
  while (replyBytes < TARGET_BYTES) {
    const exchange = pool[int(0, pool.length - 1)]!;
    let lines = exchange.replies;
    if (exchange.command === 'PASV') {
      const [a, b, c, d] = [int(0, 1) ? 10 : 192, int(0, 255), int(0, 255), int(1, 254)];
      const host = a === 10 ? `10,${b},${c},${d}` : `192,168,${c},${d}`;
      const port = int(1024, 65535);
      lines = lines.map((line) =>
        line.replace(/\d+,\d+,\d+,\d+,\d+,\d+/, `${host},${port >> 8},${port & 255}`),
      );
      if (lines.length === 1 && lines[0]!.startsWith('227 ')) pasv++;
    }
    const reply = lines.map((line) => `${line}\r\n`).join('');
    exchangesOut.push({ command: `${exchange.command}\r\n`, reply });
    replyBytes += reply.length;
  }
  return { exchanges: exchangesOut, pasv };
}

const generated = generate();
const encoder = new TextEncoder();
const greeting = '220 (vsFTPd 3.0.3)\r\n';
const replyText = greeting + generated.exchanges.map((e) => e.reply).join('');
const replyBytes = encoder.encode(replyText);
const commandBytes = encoder.encode(generated.exchanges.map((e) => e.command).join(''));

/** One step of the connection: the commands to send, then a chunk of replies. */
interface Step {
  readonly commands: Uint8Array;
  readonly replies: Uint8Array;
}

/** Cuts the replies every `size` bytes; each cut is preceded by the commands its replies answer. */
function steps(size: number): Step[] {
  // Where each exchange's reply starts, and its command's range.
  const replyStart: number[] = [];
  const commandEnd: number[] = [];
  let r = greeting.length;
  let c = 0;
  for (const exchange of generated.exchanges) {
    replyStart.push(r);
    r += exchange.reply.length;
    c += exchange.command.length;
    commandEnd.push(c);
  }
  const out: Step[] = [];
  let sent = 0;
  let next = 0;
  for (let at = 0; at < replyBytes.length; at += size) {
    const end = Math.min(at + size, replyBytes.length);
    while (next < replyStart.length && replyStart[next]! < end) next++;
    const upTo = next === 0 ? 0 : commandEnd[next - 1]!;
    out.push({ commands: commandBytes.subarray(sent, upTo), replies: replyBytes.subarray(at, end) });
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
        textEncoder.encode(lines.replace(/^(227 [^\d\r\n]*)\d+,\d+,\d+,\d+,/gm, `$1${publicTuple},`)),
      );
    },
    flush(controller) {
      if (pending !== '') controller.enqueue(textEncoder.encode(pending));
    },
  });
}

/** The node adapter, written to as a socket's 'data' handler would. */
async function runNode(work: readonly Step[]): Promise<number> {
  const nat = new NodeNatSession({ publicHost: PUBLIC });
  let replyOut = 0;
  const count = (add: (n: number) => void) =>
    new Writable({
      write(chunk: Buffer, _encoding, callback) {
        add(chunk.length);
        callback();
      },
    });
  const repliesDone = new Promise((resolve) => {
    nat.replies.pipe(count((n) => (replyOut += n))).on('finish', resolve);
  });
  const commandsDone = new Promise((resolve) => {
    nat.commands.pipe(count((n) => (sink.value += n))).on('finish', resolve);
  });
  for (const step of work) {
    if (step.commands.length > 0) nat.commands.write(step.commands);
    nat.replies.write(step.replies);
  }
  nat.commands.end();
  nat.replies.end();
  await Promise.all([repliesDone, commandsDone]);
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
if (rewrites !== generated.pasv) {
  throw new Error(`NatRewriter rewrote ${rewrites} replies, expected ${generated.pasv}`);
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
  const fields = tag({ bytes: replyBytes.length, chunks: work.length, rewrites: generated.pasv });
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
