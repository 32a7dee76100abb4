import { AddressError, quote } from './errors.js';
import { checkPort } from './host-port.js';
import { checkDataPort, isDigit, readDecimal, scan } from './numbers.js';
import { checkReplyCode, checkReplyText, type ReplyLike, replyTextOf } from './reply-text.js';

const CLOSE = 0x29;

/** The validating path: reads what the fast path declined, or throws the precise error. */
function parseValidated(text: string): number {
  checkReplyCode(text, 229, 'ERR_INVALID_EPSV_REPLY');
  const start = 3;
  const end = text.length;
  for (let i = text.indexOf('(', start); i >= 0; i = text.indexOf('(', i + 1)) {
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
    if (text.charCodeAt(after) !== d) {
      throw new AddressError(
        'ERR_INVALID_EPSV_REPLY',
        `expected the delimiter ${quote(text, i + 1, i + 2)} after the port, got ${after < end ? quote(text, after, end) : 'the end'}`,
        after,
      );
    }
    if (text.charCodeAt(after + 1) !== CLOSE) {
      throw new AddressError(
        'ERR_INVALID_EPSV_REPLY',
        `expected ")" after the port's closing delimiter, got ${after + 1 < end ? quote(text, after + 1, end) : 'the end'}`,
        after + 1,
      );
    }
    return checkDataPort(text, port, i + 4, 'ERR_INVALID_EPSV_REPLY');
  }
  throw new AddressError(
    'ERR_INVALID_EPSV_REPLY',
    `expected (|||port|) in the 229 reply, got ${quote(text, 0, end)}`,
    start,
  );
}

/**
 * Reads the port of a 229 reply to EPSV. RFC 2428 §3: the text holds
 * `(<d><d><d><tcp-port><d>)`, the same delimiter `d` (ASCII 33-126, normally `|`; IBM i
 * sends `!`) four times, the protocol and address fields empty because the client reuses
 * the control connection's host. The first `(` followed by three equal non-digit
 * delimiters starts it; then a missing, signed, 0 or over-65535 port, a different closing
 * delimiter or a missing `)` throws `ERR_INVALID_EPSV_REPLY`. Another code than 229 throws
 * `ERR_UNEXPECTED_REPLY_CODE`. Linear time on any input.
 *
 * @param reply the reply as wire text starting with its code, or a reply object such as
 *   `@ftpwire/reply`'s `Reply`
 * @example
 * ```ts
 * import { parseEpsvReply } from '@ftpwire/address';
 * import { parseReply } from '@ftpwire/reply';
 *
 * parseEpsvReply('229 Entering Extended Passive Mode (|||30004|)'); // => 30004
 * parseEpsvReply('229 EPSV OK (|||2121|)'); // => 2121
 * parseEpsvReply('229 Entering Extended Passive Mode (!!!6446!)'); // => 6446
 * parseEpsvReply(parseReply('229 Extended Passive (|||50000|)\r\n')); // => 50000
 * parseEpsvReply('229 Entering Extended Passive Mode (|||70000|)');
 * // throws AddressError ERR_INVALID_EPSV_REPLY at offset 39
 * ```
 */
export function parseEpsvReply(reply: string | ReplyLike): number {
  const text = typeof reply === 'string' ? reply : replyTextOf(reply, 229);
  // Fast path for "229 " and a first "(" that opens "(|||port|)"; everything it declines is
  // read again by parseValidated, which accepts the same language and explains every refusal.
  if (
    text.charCodeAt(0) === 0x32 &&
    text.charCodeAt(1) === 0x32 &&
    text.charCodeAt(2) === 0x39 &&
    text.charCodeAt(3) === 0x20
  ) {
    const open = text.indexOf('(', 4);
    const d = text.charCodeAt(open + 1);
    if (
      open > 0 &&
      d >= 33 &&
      d <= 126 &&
      (d < 0x30 || d > 0x39) &&
      text.charCodeAt(open + 2) === d &&
      text.charCodeAt(open + 3) === d
    ) {
      let i = open + 4;
      let digit = text.charCodeAt(i) - 0x30;
      let port = 0;
      // Stops as soon as the value passes 65535, so a megabyte of digits costs nothing here.
      while (digit >= 0 && digit <= 9 && port <= 65535) {
        port = port * 10 + digit;
        digit = text.charCodeAt(++i) - 0x30;
      }
      if (
        i > open + 4 &&
        port > 0 &&
        port <= 65535 &&
        text.charCodeAt(i) === d &&
        text.charCodeAt(i + 1) === CLOSE
      ) {
        return port;
      }
    }
  }
  return parseValidated(text);
}

/**
 * Formats a 229 reply as RFC 2428 §3 shows it, `229 <text> (|||port|)` with CRLF. The text
 * may not contain CR, LF, NUL or parentheses (clients such as CPython's ftplib take the
 * first `(` as the start of the port).
 *
 * @param text the message before the port; default `Entering Extended Passive Mode`
 * @example
 * ```ts
 * import { formatEpsvReply } from '@ftpwire/address';
 *
 * formatEpsvReply(30004); // => '229 Entering Extended Passive Mode (|||30004|)\r\n'
 * formatEpsvReply(30004, 'EPSV OK'); // => '229 EPSV OK (|||30004|)\r\n'
 * ```
 */
export function formatEpsvReply(port: number, text = 'Entering Extended Passive Mode'): string {
  checkPort(port);
  checkReplyText(text, '()', 'clients take the first "(" as the start of the port');
  return `229 ${text} (|||${port}|)\r\n`;
}
