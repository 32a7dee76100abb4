import { ReplyError } from './errors.js';
import type { Reply } from './reply.js';
import { replyLinesOf } from './reply-lines.js';
import { quoteText } from './text.js';

const ZERO = 0x30;
const SPACE = 0x20;

/**
 * The decimal number of the digits `text[start, end)` (the caller has found them). A value
 * past `Number.MAX_SAFE_INTEGER` throws `ERR_SIZE_TOO_LARGE` at `start`: a double would round
 * it, and a resumed transfer would start at the wrong byte.
 */
export function readByteCount(text: string, start: number, end: number): number {
  let value = 0;
  for (let i = start; i < end; i++) {
    // Every step is exact while value stays at or under 2^53 - 1; past it, the answer is known.
    value = value * 10 + (text.charCodeAt(i) - ZERO);
    if (value > Number.MAX_SAFE_INTEGER) {
      throw new ReplyError(
        'ERR_SIZE_TOO_LARGE',
        `size ${quoteText(text, start, end)} is past Number.MAX_SAFE_INTEGER (${Number.MAX_SAFE_INTEGER})`,
        start,
      );
    }
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
  const end = skipDigits(line, start);
  if (end === start || (end < line.length && line.charCodeAt(end) !== SPACE)) {
    throw new ReplyError(
      'ERR_INVALID_SIZE_REPLY',
      `expected "213 <decimal size>", got ${quoteText(line)}`,
      end,
    );
  }
  return readByteCount(line, start, end);
}
