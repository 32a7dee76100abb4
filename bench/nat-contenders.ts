/**
 * The NAT contenders, shared by nat.bench.ts and interleaved.ts so that both time exactly the
 * same work: the session's dense traffic cut into steps (commands, then the replies they get),
 * the session's adapters and sync core, and what a user would otherwise put on the stream (a
 * do-nothing TransformStream, a regex rewriter). Each returns the reply bytes it delivered.
 */
import { once } from 'node:events';
import { createReplyRewriteStream, NatRewriter, NatSession, ReplyRewriter } from '@ftpwire/nat';
import { NodeNatSession } from '@ftpwire/nat/node';
import { sessionCorpus } from '../test/fixtures/transcripts/session-corpus.js';

export const PUBLIC = '193.21.1.121';
/** Every result feeds this sum, a store the compiler must keep. */
export const natSink = { value: 0 };

/** The dense control connection: one PASV and its 227 every ~150 bytes of replies. */
export const natCorpus = sessionCorpus(4 * 1024 * 1024);

/** One step of the connection: the commands to send, then a chunk of replies. */
export interface Step {
  readonly commands: Uint8Array;
  readonly replies: Uint8Array;
}

/** Cuts the replies every `size` bytes; each cut is preceded by the commands its replies answer. */
export function steps(size: number): Step[] {
  const out: Step[] = [];
  let sent = 0;
  let next = 0;
  const replies = natCorpus.replies;
  for (let at = 0; at < replies.length; at += size) {
    const end = Math.min(at + size, replies.length);
    while (next < natCorpus.replyStarts.length && natCorpus.replyStarts[next]! < end) next++;
    const upTo = next === 0 ? 0 : natCorpus.commandEnds[next - 1]!;
    out.push({
      commands: natCorpus.commands.subarray(sent, upTo),
      replies: replies.subarray(at, end),
    });
    sent = upTo;
  }
  return out;
}

/** Any pair of byte streams: the session, or the baselines. */
export interface WebPair {
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
export async function runWeb(pair: WebPair, work: readonly Step[]): Promise<number> {
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
  natSink.value += await commandsOut;
  return repliesOut;
}

/** One direction only: reply chunks through a stream. Returns the bytes out. */
export async function runReplies(
  stream: TransformStream<Uint8Array, Uint8Array>,
  chunks: readonly Uint8Array[],
): Promise<number> {
  const out = drain(stream.readable);
  const writer = stream.writable.getWriter();
  for (const chunk of chunks) await writer.write(chunk);
  await writer.close();
  return out;
}

export function passThroughPair(): WebPair {
  return { commands: new TransformStream(), replies: new TransformStream() };
}

export function sessionPair(): WebPair {
  return new NatSession({ publicHost: PUBLIC });
}

/** The one-direction rewriter users who see only replies take (issue 15, target 1). */
export function replyRewriteStream(): TransformStream<Uint8Array, Uint8Array> {
  return createReplyRewriteStream({ publicHost: PUBLIC, rewriteHosts: 'all' });
}

/**
 * The straightforward rewriter: buffer to the last LF, decode, regex-replace 227 lines, encode.
 * Wrong where it matters (it rewrites unsolicited 227s and 227 lines inside multi-line
 * replies), but what a user benchmarks against.
 */
export function regexRewriter(): TransformStream<Uint8Array, Uint8Array> {
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
export async function runNode(work: readonly Step[]): Promise<number> {
  const nat = new NodeNatSession({ publicHost: PUBLIC });
  let replyOut = 0;
  nat.commands.on('data', (chunk: Buffer) => {
    natSink.value += chunk.length;
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

/**
 * The synchronous core: what the adapters add on top of it. `push` emits views of each chunk
 * around every rewrite; `pushJoined` (what the stream adapters call) one array per chunk.
 */
export function runCore(work: readonly Step[], joined = false): number {
  const nat = new NatRewriter({ publicHost: PUBLIC });
  let replyOut = 0;
  const toServer = (piece: Uint8Array) => {
    natSink.value += piece.length;
  };
  const toClient = (piece: Uint8Array) => {
    replyOut += piece.length;
  };
  for (const step of work) {
    if (joined) {
      if (step.commands.length > 0) nat.commands.pushJoined(step.commands, toServer);
      nat.replies.pushJoined(step.replies, toClient);
    } else {
      if (step.commands.length > 0) nat.commands.push(step.commands, toServer);
      nat.replies.push(step.replies, toClient);
    }
  }
  nat.commands.end(toServer);
  nat.replies.end(toClient);
  return replyOut;
}

/** How many 227 lines the one-direction rewriter rewrites in `chunks` (checked against bounds). */
export function oneDirectionRewrites(chunks: readonly Uint8Array[]): number {
  let rewrites = 0;
  const rewriter = new ReplyRewriter({
    publicHost: PUBLIC,
    rewriteHosts: 'all',
    onRewrite: () => rewrites++,
  });
  for (const chunk of chunks) rewriter.push(chunk, () => undefined);
  rewriter.end(() => undefined);
  return rewrites;
}
