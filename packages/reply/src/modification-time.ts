import { ReplyError } from './errors.js';
import type { Reply } from './reply.js';
import { replyLinesOf } from './reply-lines.js';
import { skipDigits } from './size.js';
import { readTimeVal } from './time-val.js';

const SPACE = 0x20;

/**
 * Reads the time of a 213 reply to MDTM (RFC 3659 §3: `213 <time-val>`) as a `Date`, read as
 * {@link parseTimeVal} reads it: UTC, fraction kept to the millisecond (`213
 * 20240229134501.123`, as some servers send), invalid dates refused. Spaces before the
 * time-val are skipped; after it comes the end of the line or a space and commentary.
 *
 * Two known server bugs, decided here:
 * - The Y2K year `19100` for 2000 (`"19%d", tm_year`): a 15-digit time starting `191` reads as
 *   years 2000-2099, as Perl's Net::FTP reads it; it cannot be a valid time-val, which has 14
 *   digits. curl's `%04d` scan and basic-ftp misread it.
 * - Servers that send local time instead of UTC (older IIS and Serv-U settings): the reply
 *   carries no zone, so nothing can tell. It is read as UTC, as RFC 3659, curl and basic-ftp
 *   do; a client that knows its server's offset corrects the `Date` itself.
 *
 * A missing or invalid time-val, or a multi-line reply, throws `ReplyError`
 * `ERR_INVALID_TIME_VAL` at the offending character of the line; another code throws
 * `ERR_UNEXPECTED_REPLY_CODE`.
 *
 * @param reply the reply as wire text starting with its code (a final CRLF is fine), or a
 *   parsed `Reply`
 * @example
 * ```ts
 * import { parseModificationTimeReply } from '@ftpwire/reply';
 *
 * parseModificationTimeReply('213 20240229134501').toISOString(); // => '2024-02-29T13:45:01.000Z'
 * parseModificationTimeReply('213 20240229134501.25').getUTCMilliseconds(); // => 250
 * parseModificationTimeReply('213 191240229134501').getUTCFullYear(); // => 2024
 * parseModificationTimeReply('213 20241301000000'); // throws ReplyError ERR_INVALID_TIME_VAL at offset 8
 * ```
 */
export function parseModificationTimeReply(reply: string | Reply): Date {
  const lines = replyLinesOf(reply, 213);
  const line = lines[0]!;
  if (lines.length > 1) {
    throw new ReplyError(
      'ERR_INVALID_TIME_VAL',
      `expected a single-line 213 reply (RFC 3659 §3), got ${lines.length} lines`,
      0,
    );
  }
  let start = 3;
  while (line.charCodeAt(start) === SPACE) start++;
  let end = line.indexOf(' ', start);
  if (end < 0) end = line.length;
  if (skipDigits(line, start) - start === 15 && line.startsWith('191', start)) {
    return new Date(readY2kTimeVal(line, start, end));
  }
  return new Date(readTimeVal(line, start, end));
}

/**
 * Reads `19YYY...` (tm_year 100-199 after a literal "19") as the time-val `20YY...`; errors
 * point into the line as received.
 */
function readY2kTimeVal(line: string, start: number, end: number): number {
  const fixed = `20${line.slice(start + 3, end)}`;
  try {
    return readTimeVal(fixed, 0, fixed.length);
  } catch (error) {
    if (!(error instanceof ReplyError)) throw error;
    const at = start + (error.offset < 2 ? error.offset : error.offset + 1);
    throw new ReplyError(error.code, error.message, at);
  }
}
