import { AddressError, quote } from './errors.js';
import { encodeHostPort, type HostPort, readCanonicalHostPort, readHostPort } from './host-port.js';
import { scan } from './numbers.js';
import { checkReplyCode, checkReplyText, type ReplyLike, replyTextOf } from './reply-text.js';

const CODE = 'ERR_INVALID_PASV_REPLY';
const COMMA = 0x2c;
const HYPHEN = 0x2d;

/**
 * Index of the first number in `text[start, end)` that is followed by a comma, the start of
 * an RFC 1123 §4.1.2.6 tuple "wherever the server put it"; -1 if there is none. It finds each
 * comma with `indexOf` and looks back over the digits before it: every character is read at
 * most twice (the digits before a comma belong to that comma alone), so any input costs
 * linear time.
 */
export function findTuple(text: string, start: number, end: number): number {
  let comma = text.indexOf(',', start);
  while (comma >= 0 && comma < end) {
    let first = comma;
    for (;;) {
      const unit = text.charCodeAt(first - 1);
      if (first <= start || unit < 0x30 || unit > 0x39) break;
      first--;
    }
    if (first < comma) return first;
    comma = text.indexOf(',', comma + 1);
  }
  return -1;
}

/** The validating path: reads what the fast path declined, or throws the precise error. */
function parseValidated(text: string): HostPort {
  checkReplyCode(text, 227, CODE);
  const end = text.length;
  const first = findTuple(text, 3, end);
  if (first < 0) {
    throw new AddressError(
      CODE,
      `expected h1,h2,h3,h4,p1,p2 in the 227 reply, got ${quote(text, 0, end)}`,
      3,
    );
  }
  const before = text.charCodeAt(first - 1);
  if (before === HYPHEN || before === COMMA) {
    // "-10,0,..." is a negative h1, ",10,0,..." a missing one: both mean seven fields were meant.
    throw new AddressError(
      CODE,
      before === HYPHEN
        ? `host byte h1 is negative: ${quote(text, first - 1, first + 12)}`
        : `expected h1 before ${quote(text, first - 1, first + 12)}, got a missing number`,
      first - 1,
    );
  }
  const hostPort = readHostPort(text, first, end, CODE);
  if (scan.end < end && text.charCodeAt(scan.end) === COMMA) {
    throw new AddressError(
      CODE,
      `expected six numbers, got a seventh field ${quote(text, scan.end, scan.end + 12)}`,
      scan.end,
    );
  }
  return hostPort;
}

/**
 * Reads the data address of a 227 reply to PASV. RFC 1123 §4.1.2.6: the reply format "is
 * not well standardized", so the text is scanned for the six numbers wherever the server
 * put them: `(h1,...,p2)` (RFC 959), `(h1,...,p2).` (vsftpd, ProFTPD), no parentheses,
 * `=h1,...,p2`, `227 PASV OK (h1,...)` (ftp-srv). The first number followed by a comma
 * starts the tuple; then each number is validated: a host byte or port byte over 255, a
 * negative, missing or seventh number throws `ERR_INVALID_PASV_REPLY` at that number,
 * never masked or wrapped. Host bytes may not have a leading zero (`010` is octal 8 to
 * `inet_aton`, which CPython's ftplib hands the text to). Another code than 227 throws
 * `ERR_UNEXPECTED_REPLY_CODE`.
 *
 * Each character is read at most twice: linear time on any input.
 *
 * Do not dial the host blindly: see {@link choosePassiveHost}.
 *
 * @param reply the reply as wire text starting with its code (a trailing CRLF is fine), or
 *   a reply object such as `@ftpwire/reply`'s `Reply`
 * @example
 * ```ts
 * import { parsePasvReply } from '@ftpwire/address';
 * import { parseReply } from '@ftpwire/reply';
 *
 * parsePasvReply('227 Entering Passive Mode (10,0,1,121,15,6).');
 * // => { host: '10.0.1.121', port: 3846 }
 * parsePasvReply('227 =10,0,1,121,15,6'); // => { host: '10.0.1.121', port: 3846 }
 * // A parsed reply works too (ftp-srv's wording here):
 * parsePasvReply(parseReply('227 PASV OK (10,0,1,121,15,6)\r\n'));
 * // => { host: '10.0.1.121', port: 3846 }
 * parsePasvReply('227 Entering Passive Mode (10,0,1,121,15,6,7)');
 * // throws AddressError ERR_INVALID_PASV_REPLY at offset 42
 * ```
 */
export function parsePasvReply(reply: string | ReplyLike): HostPort {
  const text = typeof reply === 'string' ? reply : replyTextOf(reply, 227);
  // Fast path for "227 " and a canonical tuple; everything it declines is read again by
  // parseValidated, which accepts the same language and explains every refusal.
  if (
    text.charCodeAt(0) === 0x32 &&
    text.charCodeAt(1) === 0x32 &&
    text.charCodeAt(2) === 0x37 &&
    text.charCodeAt(3) === 0x20
  ) {
    const first = findTuple(text, 3, text.length);
    const before = text.charCodeAt(first - 1);
    if (first > 0 && before !== HYPHEN && before !== COMMA) {
      const hostPort = readCanonicalHostPort(text, first, text.length, false);
      if (hostPort !== undefined) return hostPort;
    }
  }
  return parseValidated(text);
}

/**
 * Formats a 227 reply as RFC 959 §4.2.2 shows it, `227 <text> (h1,h2,h3,h4,p1,p2).` with
 * CRLF. The text may not contain CR, LF, NUL, parentheses or digits: RFC 1123 clients scan
 * for the first digit, so a digit in the text would be read as the address.
 *
 * @param text the message before the address; default `Entering Passive Mode`
 * @example
 * ```ts
 * import { formatPasvReply } from '@ftpwire/address';
 *
 * formatPasvReply({ host: '193.21.1.121', port: 3846 });
 * // => '227 Entering Passive Mode (193,21,1,121,15,6).\r\n'
 * formatPasvReply({ host: '193.21.1.121', port: 3846 }, 'Port 21 is taken');
 * // throws AddressError ERR_INVALID_TEXT
 * ```
 */
export function formatPasvReply(hp: HostPort, text = 'Entering Passive Mode'): string {
  checkReplyText(text, '0123456789()', 'RFC 1123 clients scan the text for the first digit');
  return `227 ${text} (${encodeHostPort(hp)}).\r\n`;
}
