import { AddressError, type AddressErrorCode, quote } from './errors.js';
import { isDigit } from './numbers.js';

/**
 * The part of a reply the parsers read: what `@ftpwire/reply`'s `Reply` has (`parseReply`
 * output can be passed as is), declared here so this package depends on nothing. Given an
 * object, a parser checks its code first, so a refusal is never read as an address.
 *
 * @example
 * ```ts
 * import { parsePasvReply, type ReplyLike } from '@ftpwire/address';
 *
 * const reply: ReplyLike = { code: 227, lines: ['227 Entering Passive Mode (10,0,1,121,15,6).'] };
 * parsePasvReply(reply); // => { host: '10.0.1.121', port: 3846 }
 * parsePasvReply({ code: 425, lines: ["425 Can't open data connection 10,0,1,121,15,6."] });
 * // throws AddressError ERR_UNEXPECTED_REPLY_CODE
 * ```
 */
export interface ReplyLike {
  /** The three-digit reply code. */
  readonly code: number;
  /** The wire lines without CRLF, the first starting with the code (`"227 Entering ..."`). */
  readonly lines: readonly string[];
}

/**
 * The wire text of a reply given as text (returned as is) or as a {@link ReplyLike}, whose
 * code must be `expected` and whose lines are joined with CRLF, so offsets in errors count
 * from the reply's first character as it was on the wire.
 */
export function replyTextOf(reply: string | ReplyLike, expected: number): string {
  if (typeof reply === 'string') return reply;
  if (reply.code !== expected) {
    throw new AddressError(
      'ERR_UNEXPECTED_REPLY_CODE',
      `expected a ${expected} reply, got ${reply.code}`,
      0,
    );
  }
  return reply.lines.length === 1 ? reply.lines[0]! : reply.lines.join('\r\n');
}

/**
 * Checks that reply text starts with the code `expected` followed by a space, a hyphen or
 * the end of the line. The parsers scan from offset 3, after the code.
 */
export function checkReplyCode(text: string, expected: number, code: AddressErrorCode): void {
  const d1 = text.charCodeAt(0);
  const d2 = text.charCodeAt(1);
  const d3 = text.charCodeAt(2);
  if (!isDigit(d1) || !isDigit(d2) || !isDigit(d3)) {
    throw new AddressError(
      code,
      `expected a reply starting with its code ${expected}, got ${quote(text, 0, 12)}`,
      0,
    );
  }
  const found = (d1 - 0x30) * 100 + (d2 - 0x30) * 10 + (d3 - 0x30);
  if (found !== expected) {
    throw new AddressError(
      'ERR_UNEXPECTED_REPLY_CODE',
      `expected a ${expected} reply, got ${found}`,
      0,
    );
  }
  // RFC 959 §4.2: the code is followed by a space (or "-" opening a multi-line reply).
  const after = text.charCodeAt(3);
  if (text.length > 3 && after !== 0x20 && after !== 0x2d && after !== 0x0d && after !== 0x0a) {
    throw new AddressError(
      code,
      `expected a space after the reply code, got ${quote(text, 3, 8)}`,
      3,
    );
  }
}

/**
 * Refuses reply text to format that would end the line early (CR, LF), that RFC 959's NVT
 * forbids (NUL), or that holds any character in `forbidden`.
 */
export function checkReplyText(text: string, forbidden: string, why: string): void {
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    if (unit === 0x0d || unit === 0x0a || unit === 0x00) {
      throw new AddressError(
        'ERR_INVALID_TEXT',
        `reply text must not contain CR, LF or NUL, got ${quote(text, Math.max(0, i - 10), i + 10)}`,
        i,
      );
    }
    if (forbidden.includes(text[i]!)) {
      throw new AddressError(
        'ERR_INVALID_TEXT',
        `reply text must not contain ${quote(text, i, i + 1)}: ${why}`,
        i,
      );
    }
  }
}
