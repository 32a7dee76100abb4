import { AddressError, quote } from './errors.js';
import { encodeHostPort, type HostPort, readHostPort } from './host-port.js';
import { findTuple, scan } from './numbers.js';
import { checkReplyText, type ReplyLike, replyText } from './reply-text.js';

const COMMA = 0x2c;
const HYPHEN = 0x2d;

/**
 * Reads the data address of a 227 reply to PASV. RFC 1123 §4.1.2.6: the reply format "is
 * not well standardized", so the text is scanned for the six numbers wherever the server
 * put them: `(h1,...,p2)` (RFC 959), `(h1,...,p2).` (vsftpd, ProFTPD), no parentheses,
 * `=h1,...,p2`, `227 PASV OK (h1,...)` (ftp-srv). The first number followed by a comma
 * starts the tuple; then each number is validated: a host byte or port byte over 255, a
 * negative, missing or seventh number throws `ERR_INVALID_PASV_REPLY` at that number,
 * never masked or wrapped. Another code than 227 throws `ERR_UNEXPECTED_REPLY_CODE`.
 *
 * Each character is read once: linear time on any input (a megabyte of digits included).
 *
 * Do not dial the host blindly: see {@link choosePassiveHost}.
 *
 * @param reply the reply as wire text starting with its code (a trailing CRLF is fine), or
 *   a reply object such as `@ftpwire/reply`'s `Reply`
 * @example
 * ```ts
 * parsePasvReply('227 Entering Passive Mode (10,0,1,121,15,6).');
 * // { host: '10.0.1.121', port: 3846 }
 * parsePasvReply('227 =10,0,1,121,15,6'); // same
 * parsePasvReply('227 Entering Passive Mode (10,0,1,121,15,6,7)'); // throws: a seventh number
 * ```
 */
export function parsePasvReply(reply: string | ReplyLike): HostPort {
  const { text, start } = replyText(reply, 227, 'ERR_INVALID_PASV_REPLY');
  const end = text.length;
  const first = findTuple(text, start, end);
  if (first < 0) {
    throw new AddressError(
      'ERR_INVALID_PASV_REPLY',
      `expected h1,h2,h3,h4,p1,p2 in the 227 reply, got ${quote(text, 0, end)}`,
      start,
    );
  }
  const before = text.charCodeAt(first - 1);
  if (before === HYPHEN || before === COMMA) {
    // "-10,0,..." is a negative h1, ",10,0,..." a missing one: both mean seven fields were meant.
    throw new AddressError(
      'ERR_INVALID_PASV_REPLY',
      before === HYPHEN
        ? `host byte h1 is negative: ${quote(text, first - 1, first + 12)}`
        : `expected h1 before ${quote(text, first - 1, first + 12)}, got a missing number`,
      first - 1,
    );
  }
  const hostPort = readHostPort(text, first, end, 'ERR_INVALID_PASV_REPLY');
  if (scan.end < end && text.charCodeAt(scan.end) === COMMA) {
    throw new AddressError(
      'ERR_INVALID_PASV_REPLY',
      `expected six numbers, got a seventh field ${quote(text, scan.end, scan.end + 12)}`,
      scan.end,
    );
  }
  return hostPort;
}

/**
 * Formats a 227 reply as RFC 959 §4.2.2 shows it, `227 <text> (h1,h2,h3,h4,p1,p2).` with
 * CRLF. The text may not contain CR, LF, NUL, parentheses or digits: RFC 1123 clients scan
 * for the first digit, so a digit in the text would be read as the address.
 *
 * @param text the message before the address; default `Entering Passive Mode`
 * @example
 * ```ts
 * formatPasvReply({ host: '193.21.1.121', port: 3846 });
 * // '227 Entering Passive Mode (193,21,1,121,15,6).\r\n'
 * ```
 */
export function formatPasvReply(hp: HostPort, text = 'Entering Passive Mode'): string {
  checkReplyText(text, '0123456789()', 'RFC 1123 clients scan the text for the first digit');
  return `227 ${text} (${encodeHostPort(hp)}).\r\n`;
}
