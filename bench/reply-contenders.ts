/**
 * The reply parsers under comparison, each driven the way its user drives it, shared by
 * reply.bench.ts and interleaved.ts so that both time exactly the same work. Each returns the
 * number of replies and adds a checksum to `sink` once per run.
 */
import { StringDecoder } from 'node:string_decoder';
import { ReplyParser } from '@ftpwire/reply';
import { parseControlResponse } from 'basic-ftp/dist/parseControlResponse.js';
import { sink } from './corpus.js';

export function ftpwireReplies(chunks: readonly Uint8Array[]): number {
  let count = 0;
  let checksum = 0;
  const parser = new ReplyParser({
    onReply: (reply) => {
      count++;
      checksum += reply.code + reply.lines.length;
    },
  });
  for (const chunk of chunks) parser.push(chunk);
  parser.end();
  sink.value += checksum;
  return count;
}

/**
 * basic-ftp 6.2.6 `FtpContext._onControlSocketData`: the socket has `setEncoding`, so each chunk
 * is a string; the held rest is prepended and the whole string re-parsed; each message's code is
 * read with `parseInt`. Left out: its log call, its 64 KiB size guard and the `FTPError` it
 * allocates for 4yz/5yz replies, all of which would only slow it down.
 */
export function basicFtpReplies(texts: readonly string[]): number {
  let partial = '';
  let count = 0;
  let checksum = 0;
  for (const chunk of texts) {
    const parsed = parseControlResponse(partial + chunk);
    partial = parsed.rest;
    for (const message of parsed.messages) {
      count++;
      checksum += Number.parseInt(message.substring(0, 3), 10) + message.length;
    }
  }
  sink.value += checksum;
  return count;
}

/**
 * The same with bytes in, as ftpwire gets them: decoding by the `StringDecoder` that a socket's
 * `setEncoding('utf8')` uses is timed too.
 */
export function basicFtpRepliesFromBytes(buffers: readonly Buffer[]): number {
  const decoder = new StringDecoder('utf8');
  let partial = '';
  let count = 0;
  let checksum = 0;
  for (const buffer of buffers) {
    const parsed = parseControlResponse(partial + decoder.write(buffer));
    partial = parsed.rest;
    for (const message of parsed.messages) {
      count++;
      checksum += Number.parseInt(message.substring(0, 3), 10) + message.length;
    }
  }
  sink.value += checksum;
  return count;
}

/** Buffers viewing the same bytes, for parsers that call `toString()` or take Buffers. */
export const toBuffers = (chunks: readonly Uint8Array[]): Buffer[] =>
  chunks.map((chunk) => Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength));
