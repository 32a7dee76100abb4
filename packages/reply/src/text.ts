import { quoteBytes } from '@ftpwire/lines';
import { ReplyError, type ReplyErrorCode } from './errors.js';

const encoder = new TextEncoder();

/**
 * Quotes `text[start, end)` for an error message as `@ftpwire/lines`' `quoteBytes` does (at
 * most 40 bytes, then `...`, escaped): the meaning parsers read decoded text, not bytes.
 */
export function quoteText(text: string, start = 0, end: number = text.length): string {
  const from = Math.max(0, start);
  const to = Math.min(end, text.length);
  // 41 characters are enough to tell quoteBytes whether to print "...".
  const bytes = encoder.encode(text.slice(from, Math.min(to, from + 41)));
  return quoteBytes(bytes, 0, bytes.length);
}

/**
 * Throws `code` at `base` plus the index of the first CR, LF or NUL in `text`: CR and LF would
 * end a reply line early (reply injection), NUL is refused by RFC 959's NVT and cuts C strings.
 */
export function checkText(text: string, code: ReplyErrorCode, what: string, base = 0): void {
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    if (unit === 0x0d || unit === 0x0a || unit === 0x00) {
      throw new ReplyError(
        code,
        `${what} must not contain CR, LF or NUL, got ${quoteText(text, Math.max(0, i - 10), i + 10)}`,
        base + i,
      );
    }
  }
}
