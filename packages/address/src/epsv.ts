import { AddressError, quote } from './errors.js';
import { checkPort } from './host-port.js';
import { isDigit, readDecimal, scan } from './numbers.js';
import { checkReplyText, type ReplyLike, replyText } from './reply-text.js';

const OPEN = 0x28;
const CLOSE = 0x29;

/**
 * Reads the port of a 229 reply to EPSV. RFC 2428 §3: the text holds
 * `(<d><d><d><tcp-port><d>)`, the same delimiter `d` (ASCII 33-126, normally `|`; IBM i
 * sends `!`) four times, the protocol and address fields empty because the client reuses
 * the control connection's host. The first `(` followed by three equal non-digit
 * delimiters starts it; then a missing, signed or over-65535 port, a different closing
 * delimiter or a missing `)` throws `ERR_INVALID_EPSV_REPLY`. Another code than 229 throws
 * `ERR_UNEXPECTED_REPLY_CODE`. Linear time on any input.
 *
 * @param reply the reply as wire text starting with its code, or a reply object such as
 *   `@ftpwire/reply`'s `Reply`
 * @example
 * ```ts
 * parseEpsvReply('229 Entering Extended Passive Mode (|||30004|)'); // 30004
 * parseEpsvReply('229 EPSV OK (|||2121|)');                         // 2121 (ftp-srv)
 * parseEpsvReply('229 Entering Extended Passive Mode (!!!6446!)');  // 6446
 * ```
 */
export function parseEpsvReply(reply: string | ReplyLike): number {
  const { text, start } = replyText(reply, 229, 'ERR_INVALID_EPSV_REPLY');
  const end = text.length;
  for (let i = start; i + 3 < end; i++) {
    if (text.charCodeAt(i) !== OPEN) continue;
    const d = text.charCodeAt(i + 1);
    if (
      d < 33 ||
      d > 126 ||
      isDigit(d) ||
      text.charCodeAt(i + 2) !== d ||
      text.charCodeAt(i + 3) !== d
    ) {
      continue;
    }
    const port = readDecimal(text, i + 4, end, 'ERR_INVALID_EPSV_REPLY', 'a TCP port', 65535);
    const after = scan.end;
    if (after >= end || text.charCodeAt(after) !== d) {
      throw new AddressError(
        'ERR_INVALID_EPSV_REPLY',
        `expected the delimiter ${quote(text, i + 1, i + 2)} after the port, got ${after < end ? quote(text, after, end) : 'the end'}`,
        after,
      );
    }
    if (after + 1 >= end || text.charCodeAt(after + 1) !== CLOSE) {
      throw new AddressError(
        'ERR_INVALID_EPSV_REPLY',
        `expected ")" after the port's closing delimiter, got ${after + 1 < end ? quote(text, after + 1, end) : 'the end'}`,
        after + 1,
      );
    }
    return port;
  }
  throw new AddressError(
    'ERR_INVALID_EPSV_REPLY',
    `expected (|||port|) in the 229 reply, got ${quote(text, 0, end)}`,
    start,
  );
}

/**
 * Formats a 229 reply as RFC 2428 §3 shows it, `229 <text> (|||port|)` with CRLF. The text
 * may not contain CR, LF, NUL or parentheses (clients such as CPython's ftplib take the
 * first `(` as the start of the port).
 *
 * @param text the message before the port; default `Entering Extended Passive Mode`
 * @example
 * ```ts
 * formatEpsvReply(30004); // '229 Entering Extended Passive Mode (|||30004|)\r\n'
 * ```
 */
export function formatEpsvReply(port: number, text = 'Entering Extended Passive Mode'): string {
  checkPort(port);
  checkReplyText(text, '()', 'clients take the first "(" as the start of the port');
  return `229 ${text} (|||${port}|)\r\n`;
}
