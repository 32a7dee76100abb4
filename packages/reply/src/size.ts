import { ReplyError } from './errors.js';
import type { Reply } from './reply.js';
import { replyLinesOf } from './reply-lines.js';
import { quoteText } from './text.js';

const ZERO = 0x30;
const SPACE = 0x20;

/** Where the last {@link readByteCount} stopped: one past its last digit. */
export const digits: { end: number } = { end: 0 };

/**
 * The decimal number of the ASCII digits at `text[start]` (none reads as 0), leaving
 * `digits.end` after them. The value is exact up to `Number.MAX_SAFE_INTEGER`: every step is
 * exact while it stays there, and past it the value only grows, so {@link checkByteCount}
 * still sees that it is too large.
 */
export function readByteCount(text: string, start: number): number {
  let i = start;
  let value = 0;
  let unit = text.charCodeAt(i);
  while (unit >= ZERO && unit <= 0x39) {
    value = value * 10 + (unit - ZERO);
    unit = text.charCodeAt(++i);
  }
  digits.end = i;
  return value;
}

/**
 * Returns `value` unless it is past `Number.MAX_SAFE_INTEGER`, which throws
 * `ERR_SIZE_TOO_LARGE` at `start`: a double would round it, and a resumed transfer would
 * start at the wrong byte.
 */
export function checkByteCount(value: number, text: string, start: number, end: number): number {
  if (value > Number.MAX_SAFE_INTEGER) {
    throw new ReplyError(
      'ERR_SIZE_TOO_LARGE',
      `size ${quoteText(text, start, end)} is past Number.MAX_SAFE_INTEGER (${Number.MAX_SAFE_INTEGER})`,
      start,
    );
  }
  return value;
}

/** Index of the first character at or after `i` that is not an ASCII digit. */
export function skipDigits(text: string, i: number): number {
  let unit = text.charCodeAt(i);
  while (unit >= ZERO && unit <= 0x39) unit = text.charCodeAt(++i);
  return i;
}

/**
 * Reads the size of a 213 reply to SIZE (RFC 3659 §4: `213 <digits>`), in bytes (octets in
 * the current TYPE). Spaces before the number are skipped; after it comes the end of the line
 * or a space and commentary, which is ignored. Anything else (no digits, a sign, `1.5`,
 * `1,234`, a multi-line reply) throws `ReplyError` `ERR_INVALID_SIZE_REPLY`; a size past
 * `Number.MAX_SAFE_INTEGER` (8 PiB) throws `ERR_SIZE_TOO_LARGE` instead of coming back
 * rounded; another code throws `ERR_UNEXPECTED_REPLY_CODE`.
 *
 * @param reply the reply as wire text starting with its code (a final CRLF is fine), or a
 *   parsed `Reply`
 * @example
 * ```ts
 * import { parseSizeReply } from '@ftpwire/reply';
 *
 * parseSizeReply('213 1048576'); // => 1048576
 * parseSizeReply('213 9007199254740991'); // => Number.MAX_SAFE_INTEGER
 * parseSizeReply('213 9007199254740993'); // throws ReplyError ERR_SIZE_TOO_LARGE at offset 4
 * parseSizeReply('550 readme.txt: No such file or directory.');
 * // throws ReplyError ERR_UNEXPECTED_REPLY_CODE
 * ```
 */
export function parseSizeReply(reply: string | Reply): number {
  const lines = replyLinesOf(reply, 213);
  const line = lines[0]!;
  if (lines.length > 1) {
    throw new ReplyError(
      'ERR_INVALID_SIZE_REPLY',
      `expected a single-line 213 reply (RFC 3659 §4), got ${lines.length} lines`,
      0,
    );
  }
  let start = 3;
  while (line.charCodeAt(start) === SPACE) start++;
  const value = readByteCount(line, start);
  const end = digits.end;
  if (end === start || (end < line.length && line.charCodeAt(end) !== SPACE)) {
    throw new ReplyError(
      'ERR_INVALID_SIZE_REPLY',
      `expected "213 <decimal size>", got ${quoteText(line)}`,
      end,
    );
  }
  return checkByteCount(value, line, start, end);
}
