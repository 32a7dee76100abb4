/** Helpers for the reply tests. */
import { type Reply, ReplyError, ReplyParser, type ReplyParserOptions } from '@ftpwire/reply';

export {
  chunksOf,
  concat,
  latin1,
  readAll,
  show,
  splitAt,
  streamOf,
  utf8,
} from '../lines/helpers.ts';

/** Runs `step` and returns the `ReplyError` it throws; fails if it throws nothing or something else. */
export function replyErrorOf(step: () => unknown): ReplyError {
  try {
    step();
  } catch (error) {
    if (error instanceof ReplyError) return error;
    throw error;
  }
  throw new Error('expected a ReplyError, nothing was thrown');
}

/** Pushes every chunk through a fresh parser and ends it; returns the replies. */
export function parseChunks(
  chunks: readonly Uint8Array[],
  options: ReplyParserOptions = {},
): Reply[] {
  const parser = new ReplyParser(options);
  const replies = chunks.flatMap((chunk) => parser.push(chunk));
  replies.push(...parser.end());
  return replies;
}

/** The parts of a reply that tests compare. */
export function summary(reply: Reply): { code: number; lines: string[] } {
  return { code: reply.code, lines: reply.lines };
}
