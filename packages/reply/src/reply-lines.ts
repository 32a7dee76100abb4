import { DEFAULT_MAX_LINE_LENGTH } from '@ftpwire/lines';
import { ReplyError } from './errors.js';
import { parseReply } from './parse.js';
import type { Reply } from './reply.js';

const ZERO = 0x30;
const SPACE = 0x20;
const CR = 0x0d;
/**
 * Longest text the shortcut takes: no line this long in UTF-16 units can pass the default
 * `maxLineLength` in UTF-8 bytes (3 at most per unit), so longer text is left to `parseReply`,
 * which applies the limit exactly.
 */
const SHORTCUT_LENGTH = Math.floor(DEFAULT_MAX_LINE_LENGTH / 3);

function unexpected(code: number, expected: number): ReplyError {
  return new ReplyError(
    'ERR_UNEXPECTED_REPLY_CODE',
    `expected a ${expected} reply, got ${code}`,
    0,
  );
}

/**
 * The line of `text` when it is one single-line reply with the code `expected` (`ddd text`,
 * or `ddd` alone, with an optional final CRLF or LF, well under the line limit); undefined for
 * anything else. A subset of what `parseReply` accepts, and the same line: only LF ends a line
 * there, and only the one CR before it is dropped, so a CR anywhere else stays in the line.
 */
function singleLine(text: string, expected: number): string | undefined {
  const length = text.length;
  if (
    length > SHORTCUT_LENGTH ||
    text.charCodeAt(0) - ZERO !== Math.trunc(expected / 100) ||
    text.charCodeAt(1) - ZERO !== Math.trunc(expected / 10) % 10 ||
    text.charCodeAt(2) - ZERO !== expected % 10
  ) {
    return undefined;
  }
  const lf = text.indexOf('\n', 3);
  if (lf >= 0 && lf !== length - 1) return undefined;
  const end = lf < 0 ? length : text.charCodeAt(lf - 1) === CR ? lf - 1 : lf;
  if (end > 3 && text.charCodeAt(3) !== SPACE) return undefined;
  return end === length ? text : text.slice(0, end);
}

/**
 * The wire lines of a reply the meaning parsers read: a `Reply` as it is (only its code is
 * checked), or reply text framed by `parseReply`, the one place RFC 959 framing lives. The
 * common single-line text skips the parser: it is already framed. A code other than
 * `expected` throws `ERR_UNEXPECTED_REPLY_CODE`, so a refusal is never read as a meaning.
 */
export function replyLinesOf(reply: string | Reply, expected: number): readonly string[] {
  if (typeof reply === 'string') {
    const line = singleLine(reply, expected);
    if (line !== undefined) return [line];
    const parsed = parseReply(reply);
    if (parsed.code !== expected) throw unexpected(parsed.code, expected);
    return parsed.lines;
  }
  if (reply.code !== expected) throw unexpected(reply.code, expected);
  return reply.lines;
}
